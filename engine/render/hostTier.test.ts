import { describe, expect, it, vi } from 'vitest';
import { registry } from '../generated/schemas';
import { defaultStageProps } from '../generated/stageProps';
import { createNullStageRenderer } from './nullRenderer';
import type { StageRenderer } from './host';
import { defineRenderPlugin, type PerformanceTier, type RenderContext } from './types';

/**
 * The render host's automatic tier on NullEngine, with a test clock: an
 * animation whose frames "take" `cost` ms (the clock moves that much per
 * frame drawn), which the test can start, stop and make slower.
 */
function stageWithAnimation() {
  let now = 0;
  const anim = { cost: 1000 / 60, ctx: undefined as RenderContext | undefined, tierSeen: [] as string[] };
  const plugin = {
    name: registry.plugins[0]!.name,
    render: defineRenderPlugin({
      create(ctx) {
        anim.ctx = ctx;
        return {
          update() {},
          beforeFrame() {
            now += anim.cost;
          },
          tierChanged(c) {
            anim.tierSeen.push(c.tier);
          },
          dispose() {},
        };
      },
    }),
  };
  // Short windows so a few real frames decide; the thresholds are the real ones.
  const tierPolicy = { settleMs: 0, windowMs: 200, riseAfterMs: 1_000 };
  const make = (tier: PerformanceTier | 'auto') => {
    const r = createNullStageRenderer({
      view: 'player',
      plugins: [plugin],
      registry,
      clock: () => now,
      tier,
      tierPolicy,
    });
    r.setProps(defaultStageProps());
    return r;
  };
  return {
    make,
    anim,
    animate: (on: boolean) => anim.ctx!.setAnimating(on),
    advance: (ms: number) => (now += ms),
  };
}

const frames = (n: number) => new Promise((res) => setTimeout(res, n * 16 + 40));

/** Waits until the host drew no frame for a while: a loop frame still pending would follow the clock's jump. */
async function drained(r: StageRenderer): Promise<void> {
  for (let still = 0, last = -1; still < 3;) {
    await frames(3);
    const now = r.stats().frames;
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

describe('render host: automatic performance tier', () => {
  it('drops tier by tier while animated frames are slow, telling systems and listeners', async () => {
    const t = stageWithAnimation();
    const r = t.make('auto');
    const heard: PerformanceTier[] = [];
    r.onTierChange((tier) => heard.push(tier));
    expect(r.tier).toBe('high');
    t.anim.cost = 60; // about 16 frames/s
    t.animate(true);
    await vi.waitFor(() => expect(r.tier).toBe('low'), { timeout: 10_000 });
    expect(heard).toEqual(['medium', 'low']);
    expect(t.anim.tierSeen).toEqual(['medium', 'low']);
    expect(r.stats()).toMatchObject({ tier: 'low', tierMode: 'auto' });
    expect(r.stats().frameMs).toBeGreaterThan(25);
    r.dispose();
  });

  it('never takes idling for slowness: gaps between animations and on-demand frames are not samples', async () => {
    const t = stageWithAnimation();
    const r = t.make('auto');
    for (let round = 0; round < 4; round++) {
      t.animate(true);
      await frames(8); // a few fast frames (but under one window)…
      t.animate(false);
      await drained(r);
      t.advance(60_000); // …then a minute of nothing, which would read as a 250 ms frame if counted
      r.requestRender(); // a frame on demand after the gap
      await frames(2);
    }
    expect(r.stats().frames).toBeGreaterThan(20);
    expect(r.stats().animating).toBe(0);
    expect(r.tier).toBe('high');
    r.dispose();
  });

  it('rises again after calm, even with nothing animating (weather comes back by itself)', async () => {
    const t = stageWithAnimation();
    const r = t.make('auto');
    t.anim.cost = 60;
    t.animate(true);
    await vi.waitFor(() => expect(r.tier).toBe('medium'), { timeout: 10_000 });
    t.animate(false);
    await drained(r);
    t.advance(1_000); // the calm wait (test policy) passes on the host's clock
    await vi.waitFor(() => expect(r.tier).toBe('high'), { timeout: 10_000 });
    r.dispose();
  });

  it('a pinned tier stays put whatever the frame time; `auto` hands it back to measurement', async () => {
    const t = stageWithAnimation();
    const r = t.make('medium');
    expect(r.stats()).toMatchObject({ tier: 'medium', tierMode: 'fixed' });
    t.anim.cost = 60;
    t.animate(true);
    await frames(20);
    expect(r.tier).toBe('medium');
    r.setTier('auto');
    expect(r.tierMode).toBe('auto');
    await vi.waitFor(() => expect(r.tier).toBe('low'), { timeout: 10_000 });
    r.setTier('high');
    await frames(20);
    expect(r.stats()).toMatchObject({ tier: 'high', tierMode: 'fixed' });
    r.dispose();
  });
});
