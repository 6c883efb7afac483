/**
 * Chromium through playwright-core with the flags CI uses (headless, no
 * sandbox, no background traffic, WebGL2 through SwiftShader), and helpers
 * that read a page's state through its `window.__tablestage` hook and its
 * canvas pixels.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StageProps } from '../../engine/generated/stageProps';
import type { Point } from '../../engine/schema';
import type { TablestageHook } from '../../editor/state/test-hook';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}

type HookWindow = Window & { __tablestage?: TablestageHook };

/** Errors the page threw, kept for failure messages. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Waits until the page shows live data for its scene. */
export async function waitLive(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => (window as HookWindow).__tablestage?.live() === true, null, { timeout });
}

/** The StageProps the page shows right now. */
export function propsOf(page: Page): Promise<StageProps> {
  return page.evaluate(
    () => JSON.parse(JSON.stringify((window as HookWindow).__tablestage!.props())) as StageProps,
  );
}

/** Polls `read(props)` on the page until `accept` is true; returns the last value. */
export async function waitForProps<T>(
  page: Page,
  read: (props: StageProps) => T,
  accept: (value: T) => boolean,
  timeout = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = read(await propsOf(page));
  while (!accept(value)) {
    if (Date.now() > deadline)
      throw new Error(`page state never matched; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = read(await propsOf(page));
  }
  return value;
}

export type Rgba = [number, number, number, number];

/** A scene point on the page's canvas (CSS px, relative to the canvas). */
export function sceneToScreen(page: Page, p: Point): Promise<Point> {
  return page.evaluate((q) => (window as HookWindow).__tablestage!.renderer()!.sceneToScreen(q), p);
}

/**
 * Renders one frame and reads the canvas pixels (RGBA) at `points`: scene
 * points, or canvas CSS-pixel points with `space: 'screen'`.
 */
export function pixelsAt(
  page: Page,
  points: readonly Point[],
  space: 'scene' | 'screen' = 'scene',
): Promise<Rgba[]> {
  return page.evaluate(
    ({ pts, scene }) => {
      const r = (window as HookWindow).__tablestage!.renderer()!;
      r.renderNow();
      const canvas = r.engine.getRenderingCanvas()!;
      const k = canvas.width / canvas.clientWidth;
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const ctx = copy.getContext('2d')!;
      ctx.drawImage(canvas, 0, 0);
      return pts.map((p) => {
        const s = scene ? r.sceneToScreen(p) : p;
        const d = ctx.getImageData(Math.round(s.x * k), Math.round(s.y * k), 1, 1).data;
        return [d[0]!, d[1]!, d[2]!, d[3]!] as Rgba;
      });
    },
    { pts: points, scene: space === 'scene' },
  );
}

/** Renders a frame and reads the canvas pixel (RGBA) under a scene point. */
export async function pixelAtScene(page: Page, p: Point): Promise<Rgba> {
  return (await pixelsAt(page, [p]))[0]!;
}

/** A 96×54 thumbnail of the canvas (RGB bytes), to tell whether what it shows changed. */
export function canvasDigest(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const r = (window as HookWindow).__tablestage!.renderer()!;
    r.renderNow();
    const canvas = r.engine.getRenderingCanvas()!;
    const copy = document.createElement('canvas');
    copy.width = 96;
    copy.height = 54;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0, 96, 54);
    const d = ctx.getImageData(0, 0, 96, 54).data;
    const out: number[] = [];
    for (let i = 0; i < d.length; i += 4) out.push(d[i]!, d[i + 1]!, d[i + 2]!);
    return out;
  });
}

/** How many thumbnail channels differ by more than `threshold`. */
export function digestDifference(a: readonly number[], b: readonly number[], threshold = 6): number {
  let n = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (Math.abs(a[i]! - b[i]!) > threshold) n++;
  return n;
}

/** Polls a pixel until `accept` holds (the other page may not have rendered the change yet). */
export async function waitForPixel(
  page: Page,
  p: Point,
  accept: (rgba: [number, number, number, number]) => boolean,
  timeout = 15_000,
): Promise<[number, number, number, number]> {
  const deadline = Date.now() + timeout;
  let px = await pixelAtScene(page, p);
  while (!accept(px)) {
    if (Date.now() > deadline) throw new Error(`pixel at ${JSON.stringify(p)} stayed ${JSON.stringify(px)}`);
    await new Promise((r) => setTimeout(r, 150));
    px = await pixelAtScene(page, p);
  }
  return px;
}

/** The whole game-session document the page holds, as JSON text (what a curious player could read). */
export function documentText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const m = (window as HookWindow).__tablestage!.store.manager;
    return JSON.stringify({ session: m.doc.toJSON(), party: m.partyDoc.toJSON() });
  });
}
