/**
 * Virtual time for benchmarks that script minutes of user input: replaces
 * `setTimeout`/`setInterval`/`Date.now` (and their clears) on globalThis while
 * installed, and runs due timers in deadline order as the script advances
 * the clock. A scripted minute then takes milliseconds, and the throttles
 * under test see exactly the timestamps the script says.
 */
interface Timer {
  id: number;
  at: number;
  fn: () => void;
  every?: number;
}

export class VirtualTime {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();
  readonly #saved: Record<string, unknown> = {};
  #installed = false;

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  get now(): number {
    return this.#now;
  }

  install(): void {
    if (this.#installed) return;
    this.#installed = true;
    const g = globalThis as unknown as Record<string, unknown>;
    for (const k of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']) this.#saved[k] = g[k];
    this.#saved.dateNow = Date.now;
    const add = (fn: () => void, ms: number | undefined, every?: number) => {
      const id = this.#nextId++;
      const delay = Math.max(0, Number(ms) || 0);
      this.#timers.set(id, { id, at: this.#now + delay, fn, ...(every === undefined ? {} : { every }) });
      // Node's timers have unref(); code under test may call it.
      return { id, unref() {}, ref() {}, hasRef: () => true, [Symbol.toPrimitive]: () => id };
    };
    const clear = (handle: unknown) => {
      const id = typeof handle === 'object' && handle ? (handle as { id: number }).id : Number(handle);
      this.#timers.delete(id);
    };
    g.setTimeout = (fn: () => void, ms?: number) => add(fn, ms);
    g.setInterval = (fn: () => void, ms?: number) => add(fn, ms, Math.max(1, Number(ms) || 1));
    g.clearTimeout = clear;
    g.clearInterval = clear;
    Date.now = () => this.#now;
  }

  uninstall(): void {
    if (!this.#installed) return;
    this.#installed = false;
    const g = globalThis as unknown as Record<string, unknown>;
    for (const k of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']) g[k] = this.#saved[k];
    Date.now = this.#saved.dateNow as () => number;
  }

  /** Moves the clock to `time`, running every timer due by then in deadline order. */
  advanceTo(time: number): void {
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.#timers.values()) if (t.at <= time && (!next || t.at < next.at)) next = t;
      if (!next) break;
      this.#now = Math.max(this.#now, next.at);
      if (next.every !== undefined) next.at += next.every;
      else this.#timers.delete(next.id);
      next.fn();
    }
    this.#now = Math.max(this.#now, time);
  }

  /** Runs every pending one-shot timer (intervals are left alone). */
  runPending(limitMs = 60_000): void {
    this.advanceTo(this.#now + limitMs);
  }
}
