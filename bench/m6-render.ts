/**
 * Metric 6 — render frame time and draw calls in headless Chromium
 * (SwiftShader WebGL2, so every number is CPU-bound and machine-relative).
 * Ours: the render host with the built-in plugins (markers as thin
 * instances) on a default scene, so its frames also draw the default grid.
 * Baseline: one Babylon disc mesh per marker, nothing else. Both wait until
 * every shader is compiled before timing. Each case runs in a fresh page;
 * see bench/render/page.ts for what a frame does.
 */
import type { BenchRequest, BenchResponse } from './render/page';
import { bundlePage, launchChromium } from './lib/browser';
import { row, type MetricResult, type RunOptions, type Row } from './lib/report';
import { percentile, round } from './lib/stats';

export async function run(options: RunOptions): Promise<MetricResult> {
  const sizes = options.quick ? [1000] : [1000, 10000];
  const page = await bundlePage('bench/render/page.ts');
  const browser = await launchChromium();
  const rows: Row[] = [];
  const details: Record<string, unknown> = { canvas: '1024×768 CSS px', chromium: browser.version() };
  try {
    for (const count of sizes) {
      const frames = count >= 10000 ? (options.quick ? 5 : 12) : options.quick ? 15 : 40;
      const results = {} as Record<'ours' | 'baseline', BenchResponse>;
      for (const mode of ['ours', 'baseline'] as const) {
        const tab = await browser.newPage({ viewport: { width: 1024, height: 768 } });
        const errors: string[] = [];
        tab.on('pageerror', (e) => errors.push(e.message));
        try {
          await tab.goto(page.url);
          if (errors.length) throw new Error(`bench page failed: ${errors.join('; ')}`);
          await tab.waitForFunction(() => typeof window.runBench === 'function');
          const req: BenchRequest = { mode, count, frames, seed: options.seed };
          results[mode] = await tab.evaluate((r) => window.runBench(r), req);
        } finally {
          await tab.close();
        }
      }
      const o = results.ours;
      const b = results.baseline;
      const n = count.toLocaleString('en-US');
      rows.push(
        row('6', `${n} markers: frame time p50`, 'ms', percentile(o.frameMs, 50), percentile(b.frameMs, 50)),
        row('6', `${n} markers: frame time p95`, 'ms', percentile(o.frameMs, 95), percentile(b.frameMs, 95)),
        row('6', `${n} markers: draw calls`, 'calls', o.drawCalls, b.drawCalls),
      );
      details[`markers${count}`] = {
        frames,
        oursFirstFrameMs: round(o.firstFrameMs, 1),
        baselineFirstFrameMs: round(b.firstFrameMs, 1),
      };
    }
  } finally {
    await browser.close();
    page.dispose();
  }
  return { id: '6', title: 'Render frame time and draw calls', rows, details };
}
