import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { THROTTLE_MS, type ThrottleClass } from '../schema';
import { Broadcaster } from './broadcaster';

interface Sent {
  at: number;
  items: { key: string; value: number }[];
}

function setup() {
  const sent: Sent[] = [];
  const b = new Broadcaster<{ key: string; value: number }>((items) => sent.push({ at: Date.now(), items }));
  const queue = (key: string, value: number, cls: ThrottleClass) => b.queue(key, { key, value }, cls);
  return { b, sent, queue };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

const classes = ['member', 'control', 'scene'] as const;

describe('Broadcaster', () => {
  it.each(classes)(
    'a 60 fps burst of class %s sends at most one message per window, last value last',
    (cls) => {
      const { sent, queue } = setup();
      const window = THROTTLE_MS[cls];
      const frames = 120; // two seconds at 60 fps
      for (let i = 0; i < frames; i++) {
        queue('a.b', i, cls);
        vi.advanceTimersByTime(1000 / 60);
      }
      vi.runAllTimers();
      // Every window of the class's length holds at most one message…
      for (let i = 1; i < sent.length; i++)
        expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(window);
      // …and the burst is not starved: about one message per window.
      expect(sent.length).toBeGreaterThanOrEqual(Math.floor(2000 / (window + 17)));
      expect(sent.length).toBeLessThanOrEqual(Math.ceil(2000 / window) + 1);
      // Each message carries the one coalesced path; the final message carries the final value.
      for (const s of sent) expect(s.items).toHaveLength(1);
      expect(sent.at(-1)!.items[0]!.value).toBe(frames - 1);
    },
  );

  it('coalesces by path: only the last value of each path in a window is sent', () => {
    const { sent, queue } = setup();
    queue('x', 1, 'control');
    queue('y', 1, 'control');
    queue('x', 2, 'control');
    queue('x', 3, 'control');
    vi.advanceTimersByTime(THROTTLE_MS.control);
    expect(sent).toEqual([
      {
        at: THROTTLE_MS.control,
        items: [
          { key: 'x', value: 3 },
          { key: 'y', value: 1 },
        ],
      },
    ]);
  });

  it('mixed classes flush together at the earliest deadline', () => {
    const { sent, queue } = setup();
    queue('slow', 1, 'scene'); // deadline 200
    vi.advanceTimersByTime(10);
    queue('fast', 1, 'member'); // deadline 60
    vi.advanceTimersByTime(49);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.at).toBe(10 + THROTTLE_MS.member);
    expect(sent[0]!.items.map((i) => i.key)).toEqual(['slow', 'fast']);
    vi.runAllTimers();
    expect(sent).toHaveLength(1);
  });

  it('a fast class is never delayed by a slow one queued before it', () => {
    const { sent, queue } = setup();
    for (let t = 0; t < 1000; t += 10) {
      queue('slow', t, 'scene');
      queue(`fast`, t, 'member');
      vi.advanceTimersByTime(10);
    }
    vi.runAllTimers();
    // The marker path goes out every marker window, not every scene window.
    for (let i = 1; i < sent.length; i++)
      expect(sent[i]!.at - sent[i - 1]!.at).toBeLessThanOrEqual(THROTTLE_MS.member + 10);
    expect(sent.at(-1)!.items).toEqual([
      { key: 'slow', value: 990 },
      { key: 'fast', value: 990 },
    ]);
  });

  it('immediate items go out on the next tick, taking pending slower ones along', () => {
    const { sent, queue } = setup();
    queue('slider', 5, 'control');
    queue('add', 1, 'immediate');
    vi.advanceTimersByTime(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.items.map((i) => i.key)).toEqual(['slider', 'add']);
  });

  it('flush sends at once and cancels the timer; drop and destroy send nothing', () => {
    const { b, sent, queue } = setup();
    queue('x', 1, 'scene');
    b.flush();
    expect(sent).toHaveLength(1);
    queue('y', 1, 'scene');
    queue('z', 1, 'scene');
    b.drop((key) => key === 'y');
    vi.runAllTimers();
    expect(sent.at(-1)!.items.map((i) => i.key)).toEqual(['z']);
    queue('w', 1, 'scene');
    b.destroy();
    vi.runAllTimers();
    expect(sent).toHaveLength(2);
  });

  it('for any sequence of edits: never late, never early, one message per deadline, last values delivered', () => {
    const step = fc.record({
      key: fc.constantFrom('a', 'b', 'c', 'd'),
      cls: fc.constantFrom('immediate', 'member', 'control', 'scene') as fc.Arbitrary<ThrottleClass>,
      gap: fc.integer({ min: 0, max: 120 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        vi.setSystemTime(0);
        const { sent, queue } = setup();
        const last = new Map<string, number>();
        // Per key: when it was first queued since its last send, and its tightest class delay.
        const open = new Map<string, { since: number; delay: number }>();
        const deadlines: number[] = [];
        const check = () => {
          while (deadlines.length < sent.length) {
            const msg = sent[deadlines.length]!;
            const due = Math.min(...msg.items.map((i) => open.get(i.key)!.since + open.get(i.key)!.delay));
            deadlines.push(due);
            expect(msg.at).toBe(due); // sent exactly at the earliest deadline among its items
            for (const i of msg.items) open.delete(i.key);
          }
        };
        steps.forEach((s, n) => {
          queue(s.key, n, s.cls);
          last.set(s.key, n);
          const o = open.get(s.key);
          const delay = THROTTLE_MS[s.cls];
          if (o) o.delay = Math.min(o.delay, delay + (Date.now() - o.since));
          else open.set(s.key, { since: Date.now(), delay });
          for (let t = 0; t < s.gap; t++) {
            vi.advanceTimersByTime(1);
            check();
          }
        });
        vi.advanceTimersByTime(1000);
        check();
        // The last value of every key arrived, and nothing is left.
        const delivered = new Map<string, number>();
        for (const msg of sent) for (const i of msg.items) delivered.set(i.key, i.value);
        expect(delivered).toEqual(last);
        expect(open.size).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
