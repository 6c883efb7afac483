import { describe, expect, it } from 'vitest';
import { DEFAULT_TIER_POLICY, initialTierState, nextTierState, riseDueAt, type TierState } from './autoTier';
import type { PerformanceTier } from './types';

/** Frame interval (ms) as a function of the tier running: what atmosphere costs on a given display. */
type Cost = number | Partial<Record<PerformanceTier, number>>;

/**
 * A stretch of time: `animate` draws frames back to back for `ms` at `cost`;
 * `idle` draws nothing for `ms` and then one frame on demand (no interval);
 * `stall` is one frame that took `ms` inside an animation.
 */
type Segment = { animate: Cost; ms: number } | { idle: number; tick?: boolean } | { stall: number };

const hz60 = 1000 / 60;

function costOf(cost: Cost, tier: PerformanceTier): number {
  return typeof cost === 'number' ? cost : (cost[tier] ?? hz60);
}

/** Runs `segments` from `start`; returns the tier after each segment and every change with its time. */
function simulate(segments: readonly Segment[], start: PerformanceTier = 'high') {
  let s: TierState = initialTierState(start, 0);
  let at = 0;
  const changes: Array<[number, PerformanceTier]> = [];
  const see = (intervalMs?: number) => {
    const before = s.tier;
    s = nextTierState(s, { at, intervalMs });
    if (s.tier !== before) changes.push([Math.round(at), s.tier]);
  };
  const after: PerformanceTier[] = [];
  for (const seg of segments) {
    if ('animate' in seg) {
      const end = at + seg.ms;
      while (at < end) {
        const dt = costOf(seg.animate, s.tier);
        at += dt;
        see(dt);
      }
    } else if ('idle' in seg) {
      at += seg.idle;
      see(undefined);
    } else {
      at += seg.stall;
      see(seg.stall);
    }
    after.push(s.tier);
  }
  return { after, changes, state: s };
}

describe('automatic performance tier: frame-time sequences → tier decisions', () => {
  const table: Array<{
    name: string;
    start?: PerformanceTier;
    segments: Segment[];
    after: PerformanceTier[];
  }> = [
    {
      name: 'a display holding 60 frames/s stays high',
      segments: [{ animate: hz60, ms: 120_000 }],
      after: ['high'],
    },
    {
      name: 'sustained 20 frames/s drops one tier per slow window, down to low, and stays there',
      segments: [
        { animate: 50, ms: 3_100 },
        { animate: 50, ms: 3_100 },
        { animate: 50, ms: 60_000 },
      ],
      after: ['medium', 'low', 'low'],
    },
    {
      name: 'a single stall (an image decoding) inside smooth animation is not a slow window',
      segments: [{ animate: hz60, ms: 5_000 }, { stall: 1_500 }, { animate: hz60, ms: 5_000 }],
      after: ['high', 'high', 'high'],
    },
    {
      name: 'a slow burst shorter than a window does not drop',
      segments: [
        { animate: hz60, ms: 3_000 },
        { animate: 50, ms: 400 },
        { animate: hz60, ms: 10_000 },
      ],
      after: ['high', 'high', 'high'],
    },
    {
      name: 'an idle host (minutes between on-demand frames) is never taken for a slow one',
      segments: [
        { animate: hz60, ms: 2_000 },
        { idle: 600_000 },
        { idle: 5_000 },
        { idle: 5_000 },
        { idle: 120_000 },
      ],
      after: ['high', 'high', 'high', 'high', 'high'],
    },
    {
      name: 'slow stretches split by idling are not one sustained window',
      segments: [
        { animate: hz60, ms: 1_200 },
        { animate: 50, ms: 1_500 },
        { idle: 10_000 },
        { animate: 50, ms: 1_500 },
        { idle: 10_000 },
        { animate: 50, ms: 1_500 },
      ],
      after: ['high', 'high', 'high', 'high', 'high', 'high'],
    },
    {
      name: 'atmosphere too heavy for high but fine at medium: settles at medium, tries high again after calm',
      segments: [
        { animate: { high: 40, medium: hz60 }, ms: 3_500 },
        { animate: { high: 40, medium: hz60 }, ms: 14_000 },
        { animate: { high: 40, medium: hz60 }, ms: 2_000 },
      ],
      after: ['medium', 'medium', 'high'],
    },
    {
      name: 'between fast and slow (23 ms) neither drops nor rises: the band is the hysteresis',
      start: 'medium',
      segments: [{ animate: 23, ms: 300_000 }],
      after: ['medium'],
    },
    {
      name: 'already low and still slow (not atmosphere’s fault): stays low',
      start: 'low',
      segments: [{ animate: 80, ms: 120_000 }],
      after: ['low'],
    },
    {
      name: 'a lowered tier rises after calm even while idle (the host ticks it), so weather comes back',
      start: 'medium',
      segments: [{ idle: 10_000 }, { idle: 6_000 }],
      after: ['medium', 'high'],
    },
    {
      name: 'a tier slow only at high recovers when the cost goes away',
      segments: [
        { animate: { high: 40 }, ms: 3_500 },
        { animate: hz60, ms: 20_000 },
        { animate: hz60, ms: 60_000 },
      ],
      after: ['medium', 'high', 'high'],
    },
  ];

  for (const row of table)
    it(row.name, () => {
      expect(simulate(row.segments, row.start).after).toEqual(row.after);
    });

  it('drops within settle + one window of sustained slowness (the TV is below 40 frames/s for about 3 s)', () => {
    const { changes } = simulate([{ animate: 50, ms: 10_000 }]);
    const { settleMs, windowMs } = DEFAULT_TIER_POLICY;
    expect(changes[0]![1]).toBe('medium');
    expect(changes[0]![0]).toBeLessThanOrEqual(settleMs + windowMs + 50);
  });

  it('backs off after failed rises: each try of a tier the display cannot hold waits twice as long', () => {
    const { changes } = simulate([{ animate: { high: 40, medium: hz60 }, ms: 200_000 }]);
    const rises = changes.filter(([, t]) => t === 'high').map(([at]) => at);
    const drops = changes.filter(([, t]) => t === 'medium').map(([at]) => at);
    const waits = rises.map((r, i) => r - drops[i]!);
    expect(waits.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < waits.length; i++) expect(waits[i]! / waits[i - 1]!).toBeCloseTo(2, 1);
    // Never below low, never flapping every few seconds: at most one try per wait.
    expect(changes.every(([, t]) => t !== 'low')).toBe(true);
  });

  it('names when a rise is due (none at high), for the host to check while idle', () => {
    const s = initialTierState('medium', 1_000);
    expect(riseDueAt(s)).toBe(1_000 + DEFAULT_TIER_POLICY.riseAfterMs);
    expect(riseDueAt(initialTierState('high', 0))).toBeUndefined();
  });
});
