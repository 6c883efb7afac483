import { describe, expect, it } from 'vitest';
import type { PresenceField } from '../../engine/sync/presence';
import { ConnectionRates } from './presenceRates';

const ping: PresenceField = { key: 'ping', read: (v) => v, rate: { perSecond: 2, burst: 2 } };
const cursor: PresenceField = { key: 'cursor', read: (v) => v };

describe('per-connection presence field rates', () => {
  it('relays changes within the rate; beyond it the last accepted value stands', () => {
    const rates = new ConnectionRates({ strikes: 10, perSecond: 1 }, 0);
    const at = (now: number, v: unknown) => rates.guard(now)(ping, v);
    expect(at(0, { n: 1 })).toEqual({ n: 1 });
    expect(at(0, { n: 2 })).toEqual({ n: 2 });
    expect(at(0, { n: 3 })).toEqual({ n: 2 }); // burst spent
    expect(at(0, { n: 2 })).toEqual({ n: 2 }); // unchanged: free
    expect(at(0, null)).toBeNull(); // clearing: free
    expect(at(500, { n: 4 })).toEqual({ n: 4 }); // refilled by one
    expect(rates.flooded).toBe(false);
  });

  it('fields without a rate pass untouched', () => {
    const rates = new ConnectionRates(undefined, 0);
    for (let i = 0; i < 100; i++) expect(rates.guard(0)(cursor, { x: i })).toEqual({ x: i });
    expect(rates.flooded).toBe(false);
  });

  it('a first change beyond the rate is dropped, not replaced', () => {
    const rates = new ConnectionRates({ strikes: 10, perSecond: 1 }, 0);
    const limited: PresenceField = { ...ping, rate: { perSecond: 1, burst: 1 } };
    expect(rates.guard(0)(limited, null)).toBeNull();
    expect(rates.guard(0)(limited, { n: 1 })).toEqual({ n: 1 });
    const other: PresenceField = { ...limited, key: 'other' };
    expect(rates.guard(0)(other, { n: 1 })).toEqual({ n: 1 });
  });

  it('a connection that keeps exceeding the rate runs out of strikes: flooded', () => {
    const rates = new ConnectionRates({ strikes: 5, perSecond: 1 }, 0);
    let t = 0;
    for (let n = 0; n < 8; n++) rates.guard((t += 10))(ping, { n });
    expect(rates.flooded).toBe(true);
  });

  it('an honest sender at the rate never floods', () => {
    const rates = new ConnectionRates({ strikes: 5, perSecond: 1 }, 0);
    for (let n = 0; n < 200; n++) rates.guard(n * 500)(ping, { n });
    expect(rates.flooded).toBe(false);
  });
});
