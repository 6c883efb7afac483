/**
 * Metric 9 — atmosphere cost in headless Chromium (SwiftShader WebGL2, so
 * CPU-bound and machine-relative): frame time of a player view with 100
 * flickering lights and rain against the same scene with atmosphere off,
 * and each half alone (so a ratio says which costs); the same at the low
 * tier, where the automatic tier would land (particles off); draw calls with
 * 100 lights against 1 (the light map is one pass, so they should match);
 * frames the host draws by itself in one second with atmosphere off, and
 * with rain at the low tier (it should idle: 0 in both).
 *
 * Frames are timed up to a count or a time budget per scene, whichever comes
 * first (at least 3): on SwiftShader a rain frame can take seconds.
 */
import type { Page } from 'playwright-core';
import type { AtmosphereRequest, AtmosphereResponse, IdleRequest } from './render/atmosphere';
import { bundlePage, launchChromium } from './lib/browser';
import { row, type MetricResult, type RunOptions } from './lib/report';
import { percentile } from './lib/stats';

type Scene = Pick<AtmosphereRequest, 'lights' | 'weather' | 'tier'>;

export async function run(options: RunOptions): Promise<MetricResult> {
  const frames = options.quick ? 15 : 40;
  const budgetMs = options.quick ? 8_000 : 20_000;
  const page = await bundlePage('bench/render/atmosphere.ts');
  const browser = await launchChromium();
  const go = async <T>(fn: (tab: Page) => Promise<T>): Promise<T> => {
    const tab = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    try {
      await tab.goto(page.url);
      if (errors.length) throw new Error(`bench page failed: ${errors.join('; ')}`);
      await tab.waitForFunction(() => typeof window.runAtmosphere === 'function');
      return await fn(tab);
    } finally {
      await tab.close();
    }
  };
  const bench = (scene: Scene): Promise<AtmosphereResponse> =>
    go((tab) => {
      const req: AtmosphereRequest = { ...scene, frames, budgetMs, seed: options.seed };
      return tab.evaluate((r) => window.runAtmosphere(r), req);
    });
  const idle = (req: IdleRequest): Promise<number> =>
    go((tab) => tab.evaluate((r) => window.idleFrames(r), req));
  try {
    const off = await bench({ lights: 0, weather: false, tier: 'high' });
    const one = await bench({ lights: 1, weather: false, tier: 'high' });
    const lights = await bench({ lights: 100, weather: false, tier: 'high' });
    const rain = await bench({ lights: 0, weather: true, tier: 'high' });
    const full = await bench({ lights: 100, weather: true, tier: 'high' });
    const fullLow = await bench({ lights: 100, weather: true, tier: 'low' });
    const idleOff = await idle({ ms: 1000, weather: false, tier: 'high' });
    const idleLowRain = await idle({ ms: 1000, weather: true, tier: 'low' });
    const p50 = (r: AtmosphereResponse) => percentile(r.frameMs, 50);
    return {
      id: '9',
      title: 'Atmosphere: frame time, draw calls, idling',
      rows: [
        row('9', '100 lights + rain vs off: frame time p50', 'ms', p50(full), p50(off)),
        row(
          '9',
          '100 lights + rain vs off: frame time p95',
          'ms',
          percentile(full.frameMs, 95),
          percentile(off.frameMs, 95),
        ),
        row('9', '100 lights alone vs off: frame time p50', 'ms', p50(lights), p50(off)),
        row('9', 'rain alone vs off: frame time p50', 'ms', p50(rain), p50(off)),
        row('9', '100 lights + rain at tier low vs off: p50', 'ms', p50(fullLow), p50(off)),
        row('9', 'draw calls: 100 lights vs 1 light', 'calls', lights.drawCalls, one.drawCalls, {
          on: 'ratio',
          op: '<=',
          value: 1,
        }),
        row('9', 'idle frames/s with atmosphere off', 'frames', idleOff, 0, {
          on: 'ours',
          op: '<=',
          value: 0,
        }),
        row('9', 'idle frames/s, rain at tier low', 'frames', idleLowRain, 0, {
          on: 'ours',
          op: '<=',
          value: 0,
        }),
      ],
      details: {
        frames,
        budgetMs,
        framesTimed: Object.fromEntries(
          Object.entries({ off, one, lights, rain, full, fullLow }).map(([k, v]) => [k, v.frameMs.length]),
        ),
        canvas: '1024×768 CSS px',
        browser: browser.version(),
        offDrawCalls: off.drawCalls,
        fullDrawCalls: full.drawCalls,
      },
    };
  } finally {
    await browser.close();
    page.dispose();
  }
}
