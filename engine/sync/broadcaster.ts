/**
 * The throttle-and-coalesce core of the property update broadcaster.
 *
 * Each queued item has a key (its path) and a throttle class. Items with the
 * same key coalesce (the last value wins, the first deadline stays). All
 * pending items are handed to `send` together — one Y.js transaction, one
 * message — at the earliest deadline among them, so a fast class is never
 * held back by a slow one, and the last value of a burst is always sent.
 * The original design used a single timer whose delay the first queued
 * update chose; that let a slow first update delay a fast one.
 */
import { THROTTLE_MS, type ThrottleClass } from '../schema';

/** Timer functions, replaceable in tests (vitest's fake timers replace the globals anyway). */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Entry<T> {
  item: T;
  deadline: number;
}

/** Coalesces items by key and sends them all at once at the earliest deadline. */
export class Broadcaster<T> {
  readonly #pending = new Map<string, Entry<T>>();
  #timer: unknown = undefined;
  #timerAt = Infinity;
  #sending = false;

  /**
   * @param send receives every pending item, in queue order; it is called at
   *   most once per deadline. If it throws, the items are dropped (the caller
   *   decides what an unsendable item means) and the error propagates.
   */
  constructor(
    private readonly send: (items: T[]) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Queues `item` under `key`; `throttle` is a class name or a delay in ms. */
  queue(key: string, item: T, throttle: ThrottleClass | number): void {
    const delay = typeof throttle === 'number' ? throttle : THROTTLE_MS[throttle];
    const existing = this.#pending.get(key);
    if (existing) {
      existing.item = item;
      // A faster class for the same key pulls the deadline in; it never pushes it out.
      existing.deadline = Math.min(existing.deadline, this.clock.now() + delay);
    } else this.#pending.set(key, { item, deadline: this.clock.now() + delay });
    this.#schedule();
  }

  /** Sends everything pending now (on blur, before undo, on destroy). */
  flush(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#pending.size === 0 || this.#sending) return;
    const items = [...this.#pending.values()].map((e) => e.item);
    this.#pending.clear();
    this.#sending = true;
    try {
      this.send(items);
    } finally {
      this.#sending = false;
      // Items queued by `send` itself (rare) get their own deadline.
      if (this.#pending.size > 0) this.#schedule();
    }
  }

  /** The pending item for `key`, if any. */
  get(key: string): T | undefined {
    return this.#pending.get(key)?.item;
  }

  /** Every pending item, in queue order. */
  items(): T[] {
    return [...this.#pending.values()].map((e) => e.item);
  }

  /** Drops pending items whose key matches (e.g. the members of a deleted scene). */
  drop(match: (key: string, item: T) => boolean): void {
    for (const [key, entry] of this.#pending) if (match(key, entry.item)) this.#pending.delete(key);
    if (this.#pending.size === 0 && this.#timer !== undefined) {
      this.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#timerAt = Infinity;
    }
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Stops the timer without sending. */
  destroy(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
  }

  #schedule(): void {
    let earliest = Infinity;
    for (const entry of this.#pending.values()) earliest = Math.min(earliest, entry.deadline);
    if (earliest >= this.#timerAt) return;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timerAt = earliest;
    this.#timer = this.clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.flush();
      },
      Math.max(0, earliest - this.clock.now()),
    );
  }
}
