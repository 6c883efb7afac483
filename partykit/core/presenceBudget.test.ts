import { describe, expect, it, vi } from 'vitest';
import type { GatedEntry } from './awarenessGate';
import { PresenceBudget, PresenceQueue, type PresenceLimits } from './presenceBudget';

const LIMITS: PresenceLimits = {
  ratePerSecond: 40,
  burst: 20,
  bytesPerSecond: 64 * 1024,
  burstBytes: 64 * 1024,
  strikes: 90,
  strikesPerSecond: 15,
};

describe('PresenceBudget', () => {
  it('lets a 30 Hz sender through for a long time without a strike', () => {
    const budget = new PresenceBudget(LIMITS, 0);
    for (let i = 0; i < 30 * 60; i++) expect(budget.trySpend(300, Math.round(i * (1000 / 30)))).toBe(true);
  });

  it('holds updates past the burst and runs out of strikes under a sustained flood', () => {
    const budget = new PresenceBudget(LIMITS, 0);
    let sent = 0;
    let cutAt: number | undefined;
    for (let i = 0; i < 2000 && cutAt === undefined; i++) {
      const now = i * 4; // 250 updates a second
      if (budget.trySpend(300, now)) sent++;
      else if (!budget.strike(now)) cutAt = now;
    }
    expect(cutAt).toBeDefined();
    expect(cutAt!).toBeLessThan(2000);
    expect(sent).toBeLessThan(LIMITS.burst + (cutAt! / 1000) * LIMITS.ratePerSecond + 1);
  });

  it('budgets bytes: large states wait even when the message rate is low', () => {
    const budget = new PresenceBudget({ ...LIMITS, burstBytes: 1000, bytesPerSecond: 1000 }, 0);
    expect(budget.trySpend(800, 0)).toBe(true);
    expect(budget.trySpend(800, 100)).toBe(false);
    expect(budget.waitMs(800, 100)).toBe(500);
    expect(budget.trySpend(800, 600)).toBe(true);
  });
});

describe('PresenceQueue', () => {
  const entry = (clock: number): GatedEntry => ({
    clientId: 1,
    clock,
    state: { cursor: { x: clock, y: 0 } },
    chars: JSON.stringify({ cursor: { x: clock, y: 0 } }).length,
  });
  const clocks = (applied: (readonly GatedEntry[])[]) => applied.flatMap((es) => es.map((e) => e.clock));

  it('coalesces held updates of a client: only the newest goes out when the budget allows', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const applied: (readonly GatedEntry[])[] = [];
      const queue = new PresenceQueue(
        new PresenceBudget({ ...LIMITS, burst: 1, ratePerSecond: 10 }, 0),
        (u) => applied.push(u),
        () => undefined,
      );
      queue.offer([entry(1)]);
      queue.offer([entry(2)]);
      queue.offer([entry(3)]);
      expect(clocks(applied)).toEqual([1]);
      vi.runAllTimers();
      expect(clocks(applied)).toEqual([1, 3]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('cuts off a sender that keeps exceeding its budget, and applies nothing after', () => {
    const applied: (readonly GatedEntry[])[] = [];
    const cuts: string[] = [];
    const queue = new PresenceQueue(
      new PresenceBudget({ ...LIMITS, burst: 1, strikes: 3, strikesPerSecond: 0.001 }, 0),
      (u) => applied.push(u),
      (r) => cuts.push(r),
      () => 0,
    );
    for (let clock = 1; clock <= 4; clock++) queue.offer([entry(clock)]);
    expect(cuts).toEqual([]);
    queue.offer([entry(5)]);
    expect(cuts).toEqual(['presence flood: awareness updates kept exceeding the budget']);
    queue.offer([entry(6)]);
    expect(applied).toHaveLength(1);
  });
});
