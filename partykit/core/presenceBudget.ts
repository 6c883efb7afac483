/**
 * Presence budget of one connection. Every awareness state a connection
 * sends reaches every other connection of the room, so one fast sender costs
 * the room (sender rate × listeners) states: a player once sent ~1,000
 * updates in 4 s and the room fanned out 147 MiB to 20 listeners. (The
 * fan-out is now coalesced per tick, presenceFanout.ts, which bounds messages
 * but not the bytes of ever-changing large states.)
 *
 * Two token buckets, messages and bytes, allow a little more than the
 * client's cursor rate (30 Hz, engine/sync/cursors.ts) plus a burst for a
 * client catching up after a stall. An update that finds the buckets empty
 * is held, and later updates of the same sender replace it (coalescing:
 * listeners get the newest state when the budget allows). Each held update
 * also costs a strike from a third, slowly refilling bucket; a connection
 * that runs out of strikes keeps exceeding its budget and is cut off.
 */
import type { GatedEntry } from './awarenessGate';

/** Limits of a {@link PresenceBudget}. */
export interface PresenceLimits {
  /** Updates a second a connection may send on average (the client sends at most 30). */
  readonly ratePerSecond: number;
  /** Updates it may send at once after being quiet. */
  readonly burst: number;
  /** Awareness state bytes a second it may send on average. */
  readonly bytesPerSecond: number;
  /** Bytes it may send at once after being quiet. */
  readonly burstBytes: number;
  /** Over-budget updates tolerated before the connection is cut off… */
  readonly strikes: number;
  /** …refilled at this rate, so only a sustained excess runs out. */
  readonly strikesPerSecond: number;
}

export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = {
  ratePerSecond: 40,
  burst: 20,
  bytesPerSecond: 64 * 1024,
  burstBytes: 64 * 1024,
  strikes: 90,
  strikesPerSecond: 15,
};

class Bucket {
  #level: number;
  #at: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.#level = capacity;
    this.#at = now;
  }

  level(now: number): number {
    this.#level = Math.min(this.capacity, this.#level + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    return this.#level;
  }

  take(amount: number): void {
    this.#level -= amount;
  }

  /** Milliseconds until the level reaches `amount` (0 when it has). */
  waitFor(amount: number, now: number): number {
    const missing = amount - this.level(now);
    return missing <= 0 ? 0 : Math.ceil((missing / this.perSecond) * 1000);
  }
}

/** See the module comment. Time is passed in, so the budget is pure and testable. */
export class PresenceBudget {
  readonly #messages: Bucket;
  readonly #bytes: Bucket;
  readonly #strikes: Bucket;

  constructor(
    private readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS,
    now: number = Date.now(),
  ) {
    this.#messages = new Bucket(limits.burst, limits.ratePerSecond, now);
    this.#bytes = new Bucket(limits.burstBytes, limits.bytesPerSecond, now);
    this.#strikes = new Bucket(limits.strikes, limits.strikesPerSecond, now);
  }

  /** Spends one update of `bytes` when the budget allows it now; false when it must wait. */
  trySpend(bytes: number, now: number): boolean {
    // An update larger than the byte burst can never fit; it waits for a full bucket instead.
    const cost = Math.min(bytes, this.limits.burstBytes);
    if (this.#messages.level(now) < 1 || this.#bytes.level(now) < cost) return false;
    this.#messages.take(1);
    this.#bytes.take(cost);
    return true;
  }

  /** Records an update that had to be held; false when the connection has exceeded its budget for too long. */
  strike(now: number): boolean {
    if (this.#strikes.level(now) < 1) return false;
    this.#strikes.take(1);
    return true;
  }

  /** Milliseconds until an update of `bytes` fits. */
  waitMs(bytes: number, now: number): number {
    const cost = Math.min(bytes, this.limits.burstBytes);
    return Math.max(this.#messages.waitFor(1, now), this.#bytes.waitFor(cost, now), 1);
  }
}

/**
 * The awareness updates of one connection on their way into the room:
 * applied at once while within budget, else held — newer entries of the
 * same awareness client replacing older ones — until the budget allows.
 */
export class PresenceQueue {
  readonly #pending = new Map<number, GatedEntry>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(
    private readonly budget: PresenceBudget,
    /** Applies gated awareness entries to the room (applyAwarenessEntries). */
    private readonly apply: (entries: readonly GatedEntry[]) => void,
    /** Cuts the connection off (it exceeded its budget for too long). */
    private readonly cut: (reason: string) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  offer(entries: readonly GatedEntry[]): void {
    if (this.#closed || entries.length === 0) return;
    // The common case (a cursor move within budget, nothing held) goes straight in.
    if (entries.length === 1 && this.#pending.size === 0 && this.#timer === undefined) {
      if (this.budget.trySpend(entries[0]!.chars, this.clock())) return this.apply(entries);
    }
    for (const e of entries) {
      this.#pending.delete(e.clientId); // re-insert: the newest entries go last
      this.#pending.set(e.clientId, e);
    }
    if (this.#timer !== undefined) {
      if (!this.budget.strike(this.clock())) this.#cut();
      return;
    }
    this.#flush(true);
  }

  /** Forgets held updates (the connection closed). */
  destroy(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
  }

  #flush(offered: boolean): void {
    if (this.#closed || this.#pending.size === 0) return;
    const now = this.clock();
    const entries = [...this.#pending.values()];
    const size = entries.reduce((n, e) => n + e.chars, 0);
    if (this.budget.trySpend(size, now)) {
      this.#pending.clear();
      this.apply(entries);
      return;
    }
    if (offered && !this.budget.strike(now)) return this.#cut();
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#flush(false);
      },
      this.budget.waitMs(size, now),
    );
  }

  #cut(): void {
    this.destroy();
    this.cut('presence flood: awareness updates kept exceeding the budget');
  }
}
