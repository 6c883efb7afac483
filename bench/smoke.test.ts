/**
 * Quick smokes of the in-process benchmarks (no servers, no timing asserted):
 * they must run, and what they compare must hold its shape.
 */
import { describe, expect, it } from 'vitest';
import { run as wireBytes } from './m1-wireBytes';
import { run as messages } from './m2-messages';

describe('bench smoke (--quick)', () => {
  it('metric 1: writing one key per property costs a fraction of rewriting the whole stageProps', async () => {
    const result = await wireBytes({ quick: true, seed: 1 });
    const mean = result.rows[0]!;
    expect(mean.ours).toBeGreaterThan(0);
    expect(mean.ours).toBeLessThan(mean.baseline);
    expect(result.details.edits).toBe(300);
  });

  it('metric 2: the throttled client sends fewer messages than the naive one and loses no final value', async () => {
    const result = await messages({ quick: true, seed: 1 });
    const [doc, awareness, lost] = result.rows;
    expect(doc!.ours).toBeLessThan(doc!.baseline);
    expect(awareness!.ours).toBeLessThan(awareness!.baseline);
    expect(lost!.ours).toBe(0);
  });
});
