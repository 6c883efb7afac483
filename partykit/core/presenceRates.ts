/**
 * Per-connection rates of rate-limited presence fields (a plugin's pings,
 * its ruler: `PresenceField.rate`). The overall presence budget
 * (presenceBudget.ts) bounds how many awareness updates a connection sends;
 * this bounds how often one field may take a *new* value, which is what a
 * hostile sender floods with (a ping per update is a ring on every screen).
 *
 * A change within the field's rate is relayed; one beyond it is not — the
 * last accepted value stands, so an honest ruler stutters rather than
 * vanishes — and costs a strike. Strikes refill slowly; a connection that
 * runs out of them keeps flooding and the room cuts it off. Unchanged values
 * and clearing (null) are free.
 */
import type { PresenceField, PresenceGuard } from '../../engine/sync/presence';

/** Strikes of one connection and their refill. */
export interface StrikeLimits {
  readonly strikes: number;
  readonly perSecond: number;
}

export const DEFAULT_STRIKE_LIMITS: StrikeLimits = { strikes: 20, perSecond: 1 };

interface FieldState {
  tokens: number;
  at: number;
  last: string | undefined;
  lastValue: unknown;
}

/** The rate state of one connection; see the module comment. */
export class ConnectionRates {
  readonly #fields = new Map<string, FieldState>();
  #strikes: number;
  #strikesAt: number;
  #flooded = false;

  constructor(
    private readonly limits: StrikeLimits = DEFAULT_STRIKE_LIMITS,
    now = Date.now(),
  ) {
    this.#strikes = limits.strikes;
    this.#strikesAt = now;
  }

  /** True once the connection ran out of strikes: the room should cut it off. */
  get flooded(): boolean {
    return this.#flooded;
  }

  /** The guard for one incoming state, at time `now`. */
  guard(now: number = Date.now()): PresenceGuard {
    return (field, value) => this.#check(field, value, now);
  }

  #check(field: PresenceField, value: unknown, now: number): unknown {
    const rate = field.rate;
    if (!rate) return value;
    const json = JSON.stringify(value);
    let f = this.#fields.get(field.key);
    if (!f)
      this.#fields.set(
        field.key,
        (f = { tokens: rate.burst, at: now, last: undefined, lastValue: undefined }),
      );
    if (value === null || json === f.last) return this.#accept(f, value, json);
    f.tokens = Math.min(rate.burst, f.tokens + ((now - f.at) / 1000) * rate.perSecond);
    f.at = now;
    if (f.tokens >= 1) {
      f.tokens -= 1;
      return this.#accept(f, value, json);
    }
    this.#strike(now);
    return f.last === undefined ? undefined : f.lastValue;
  }

  #accept(f: FieldState, value: unknown, json: string): unknown {
    f.last = json;
    f.lastValue = value;
    return value;
  }

  #strike(now: number): void {
    this.#strikes = Math.min(
      this.limits.strikes,
      this.#strikes + ((now - this.#strikesAt) / 1000) * this.limits.perSecond,
    );
    this.#strikesAt = now;
    if (this.#strikes < 1) this.#flooded = true;
    else this.#strikes -= 1;
  }
}
