/**
 * Headless Chromium for the browser benchmarks: Debian's /usr/bin/chromium
 * (or CHROMIUM_PATH) through playwright-core, WebGL2 on SwiftShader, and an
 * esbuild bundle of a bench page served from a temporary folder as file://.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Bundles `entry` (relative to the repository) into a page; returns its file:// URL and a cleanup. */
export async function bundlePage(entry: string): Promise<{ url: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'tablestage-bench-page-'));
  await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    outfile: join(dir, 'bundle.js'),
    conditions: ['browser', 'production'],
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><body style="margin:0"><script src="bundle.js"></script></body></html>',
  );
  return {
    url: pathToFileURL(join(dir, 'index.html')).href,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
