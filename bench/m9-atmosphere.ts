/**
 * Metric 8 — atmosphere cost in headless Chromium (SwiftShader WebGL2, so
 * CPU-bound and machine-relative): frame time of a player view with 100
 * flickering lights and rain against the same scene with atmosphere off;
 * draw calls with 100 lights against 1 (the light map is one pass, so they
 * should match); frames the host draws by itself in one second with
 * atmosphere off (it should idle: 0).
 */
import type { Page } from 'playwright-core';
import type { AtmosphereRequest, AtmosphereResponse } from './render/atmosphere';
import { bundlePage, launchChromium } from './lib/browser';
import { row, type MetricResult, type RunOptions } from './lib/report';
import { percentile } from './lib/stats';

export async function run(options: RunOptions): Promise<MetricResult> {
  const frames = options.quick ? 15 : 40;
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
  const bench = (lights: number, weather: boolean): Promise<AtmosphereResponse> =>
    go((tab) => {
      const req: AtmosphereRequest = { lights, weather, frames, seed: options.seed };
      return tab.evaluate((r) => window.runAtmosphere(r), req);
    });
  try {
    const off = await bench(0, false);
    const one = await bench(1, false);
    const hundred = await bench(100, false);
    const full = await bench(100, true);
    const idle = await go((tab) => tab.evaluate(() => window.idleFrames({ ms: 1000 })));
    return {
      id: '9',
      title: 'Atmosphere: frame time, draw calls, idling',
      rows: [
        row(
          '9',
          '100 lights + rain vs off: frame time p50',
          'ms',
          percentile(full.frameMs, 50),
          percentile(off.frameMs, 50),
        ),
        row(
          '9',
          '100 lights + rain vs off: frame time p95',
          'ms',
          percentile(full.frameMs, 95),
          percentile(off.frameMs, 95),
        ),
        row('9', 'draw calls: 100 lights vs 1 light', 'calls', hundred.drawCalls, one.drawCalls),
        row('9', 'idle frames/s with atmosphere off', 'frames', idle, 0),
      ],
      details: { frames, canvas: '1024×768 CSS px', browser: browser.version(), offDrawCalls: off.drawCalls },
    };
  } finally {
    await browser.close();
    page.dispose();
  }
}
