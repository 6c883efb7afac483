/**
 * End to end, game night at the TV: the real stack, a GM page and players'
 * pages of real TV sizes. The GM drops a map named like `crypt_30x22.png`;
 * the TV must show the whole framed map at 16:9, at 4:3 (letterboxed) and
 * with the frame turned 90°; "1-inch squares" must make a grid cell one inch
 * on a TV of a given diagonal; moving the map must keep a marker and a fog
 * reveal on the same map pixel; pause must show the cover and no scene
 * pixel; and a GM who opens the scene anew sees it fitted.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../server/png';
import type { StageProps } from '../../engine/generated/stageProps';
import type { Point } from '../../engine/schema';
import type { TablestageHook } from '../../editor/state/test-hook';
import {
  collectErrors,
  launchChromium,
  pixelsAt,
  propsOf,
  sceneToScreen,
  waitForPixel,
  waitForProps,
  waitLive,
  type Rgba,
} from './browser';
import { startStack, type RunningStack } from './stack';

type HookWindow = Window & { __tablestage: TablestageHook };

// The map: 600 × 440 px, green, with a red top-left and a blue bottom-right corner square.
const MAP = { width: 600, height: 440 };
const RED_AT: Point = { x: 15, y: 15 };
const BLUE_AT: Point = { x: 585, y: 425 };
// Points inside grid cells (20 px), away from the lines.
const GREEN_AT: Point = { x: 310, y: 230 };
const isRed = ([r, g, b]: Rgba) => r > 150 && g < 90 && b < 90;
const isBlue = ([r, g, b]: Rgba) => b > 150 && r < 90 && g < 90;
const isGreen = ([r, g, b]: Rgba) => g > 150 && r < 90 && b < 90;
const isBlack = ([r, g, b]: Rgba) => r < 20 && g < 20 && b < 20;

function mapPng(): Buffer {
  const { width, height } = MAP;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const colour = x < 30 && y < 30 ? [220, 30, 30] : x >= 570 && y >= 410 ? [30, 30, 220] : [20, 200, 40];
      rgba.set([...colour, 255], (y * width + x) * 4);
    }
  return encodePng(width, height, rgba);
}

const pixelsAtScreen = (page: Page, points: readonly Point[]) => pixelsAt(page, points, 'screen');

/** Counts screenshot pixels the test's scene colours could have made (the page's own decoder reads the PNG). */
async function scenePixelsOnScreen(page: Page): Promise<number> {
  const png = (await page.screenshot()).toString('base64');
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
      const green = g > 150 && r < 90 && b < 90;
      const magenta = r > 150 && b > 150 && g < 90;
      const yellow = r > 150 && g > 150 && b < 90;
      if (green || magenta || yellow) n++;
    }
    return n;
  }, png);
}

/** Waits until the page's props satisfy `accept` (e.g. the GM's frame reached the TV). */
const until = (page: Page, accept: (p: StageProps) => boolean) =>
  waitForProps(page, (p) => p, accept, 20_000);

/** Checks that the whole map is on the TV's screen and its corners show the map's colours. */
async function expectWholeMap(tv: Page, size: { width: number; height: number }): Promise<void> {
  const corners = await Promise.all(
    [
      { x: 0, y: 0 },
      { x: MAP.width, y: 0 },
      { x: MAP.width, y: MAP.height },
      { x: 0, y: MAP.height },
    ].map((c) => sceneToScreen(tv, c)),
  );
  for (const c of corners) {
    expect(c.x).toBeGreaterThan(-1);
    expect(c.x).toBeLessThan(size.width + 1);
    expect(c.y).toBeGreaterThan(-1);
    expect(c.y).toBeLessThan(size.height + 1);
  }
  await waitForPixel(tv, RED_AT, isRed);
  await waitForPixel(tv, BLUE_AT, isBlue);
  await waitForPixel(tv, GREEN_AT, isGreen);
}

const MARK: Point = { x: 430, y: 300 };

describe('game night at the TV: framing, scale, map transform, pause', () => {
  let stack: RunningStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let gm: Page;
  let tv: Page;
  let tv43: Page;
  let gmLink = '';
  const errors: string[] = [];
  const TV = { width: 1920, height: 1080 };
  const TV43 = { width: 1024, height: 768 };

  async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(url);
    await waitLive(page);
    return page;
  }

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const res = await fetch(`${stack.editorUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Game night' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { links: { gm: string; player: string } };
    gmLink = stack.editorUrl + created.links.gm;
    gm = await open(gmLink, { width: 1400, height: 860 });
    tv = await open(stack.editorUrl + created.links.player, TV);
    tv43 = await open(stack.editorUrl + created.links.player, TV43);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('the GM sees the TV as it reported itself', async () => {
    await gm.locator(`[data-screen="${TV.width}x${TV.height}"]`).waitFor({ timeout: 15_000 });
  });

  it('a dropped crypt_30x22.png sets a 30×22 grid and the frame; the TV shows the whole map at 16:9 and 4:3', async () => {
    await gm.locator('ts-upload-drop input[type=file]').setInputFiles({
      name: 'crypt_30x22.png',
      mimeType: 'image/png',
      buffer: mapPng(),
    });
    // 600 px / 30 columns = 20 px cells; the frame fitted around the map (16:9, the TV's shape).
    await until(tv, (p) => p.grid.size === 20 && Math.abs(p.display.center.x - MAP.width / 2) < 1);
    const frame = (await propsOf(tv)).display;
    expect(frame.size.y).toBeCloseTo(MAP.height, 0);
    expect(frame.size.x / frame.size.y).toBeCloseTo(16 / 9, 2);
    await expectWholeMap(tv, TV);
    // At 16:9 the map fills the TV's height.
    expect((await sceneToScreen(tv, { x: 0, y: 0 })).y).toBeCloseTo(0, 0);
    expect((await sceneToScreen(tv, { x: 0, y: MAP.height })).y).toBeCloseTo(TV.height, 0);

    // A 4:3 TV shows the same 16:9 frame whole, letterboxed: black bands above and below.
    await expectWholeMap(tv43, TV43);
    // (The screen's centre is a grid crossing; the map is sampled inside a cell.)
    const [top, bottom, middle] = await pixelsAtScreen(tv43, [
      { x: TV43.width / 2, y: 10 },
      { x: TV43.width / 2, y: TV43.height - 10 },
      await sceneToScreen(tv43, GREEN_AT),
    ]);
    expect(isBlack(top!)).toBe(true);
    expect(isBlack(bottom!)).toBe(true);
    expect(isGreen(middle!)).toBe(true);

    // The GM's own view was fitted to the new map too.
    const a = await sceneToScreen(gm, { x: 0, y: 0 });
    const b = await sceneToScreen(gm, { x: MAP.width, y: MAP.height });
    const canvas = (await gm.locator('ts-stage-view canvas').boundingBox())!;
    expect(a.x).toBeGreaterThanOrEqual(-1);
    expect(a.y).toBeGreaterThanOrEqual(-1);
    expect(b.x).toBeLessThanOrEqual(canvas.width + 1);
    expect(b.y).toBeLessThanOrEqual(canvas.height + 1);
    expect(Math.max((b.x - a.x) / canvas.width, (b.y - a.y) / canvas.height)).toBeGreaterThan(0.8);
  });

  it('a frame turned 90° turns the TV: the whole map shows, its long side along the TV', async () => {
    await gm.locator('[data-plugin-action="display-turn"]').click();
    await until(tv, (p) => p.display.rotation === '90');
    await gm.locator('[data-plugin-action="display-fit-map"]').click();
    await until(tv, (p) => p.display.rotation === '90' && Math.abs(p.display.size.y - MAP.width) < 1);
    await expectWholeMap(tv, TV);
    // Turned clockwise, the map's top-right corner is the TV's top-left and its red corner is bottom-left.
    const red = await sceneToScreen(tv, RED_AT);
    expect(red.x).toBeLessThan(TV.width / 2);
    expect(red.y).toBeGreaterThan(TV.height / 2);
    // Back to upright for what follows.
    for (let i = 0; i < 3; i++) await gm.locator('[data-plugin-action="display-turn"]').click();
    await until(tv, (p) => p.display.rotation === '0');
    await gm.locator('[data-plugin-action="display-fit-map"]').click();
    await until(tv, (p) => Math.abs(p.display.size.y - MAP.height) < 1);
  });

  it('"1-inch squares" makes one grid cell one inch on a 40" TV, measured between drawn grid lines', async () => {
    const diagonal = 40;
    await gm.evaluate(
      (d) =>
        (window as unknown as HookWindow).__tablestage.store.queuePropertyUpdate(['display', 'diagonal'], d),
      diagonal,
    );
    await until(gm, (p) => p.display.diagonal === diagonal);
    await gm.locator('[data-plugin-action="display-inch-squares"]').click();
    const inchPx = Math.hypot(TV.width, TV.height) / diagonal;
    await until(tv, (p) => Math.abs(p.display.size.x - (TV.width * 20) / inchPx) < 0.5);
    // Grid lines (dark on the green map) along a row through the middle of a cell: their spacing is one inch.
    // The TV's renderer took the new frame: one 20-unit cell is one inch of CSS px.
    await tv.waitForFunction(
      (zoom) =>
        Math.abs((window as unknown as HookWindow).__tablestage.renderer()!.viewport.zoom - zoom) < 1e-3,
      inchPx / 20,
      { timeout: 15_000 },
    );
    const y = (await sceneToScreen(tv, { x: 0, y: 5 * 20 + 10 })).y;
    const x0 = (await sceneToScreen(tv, { x: 200, y: 0 })).x;
    const xs = Array.from({ length: Math.round(inchPx * 4) }, (_, i) => x0 + i);
    // The TV may not have drawn the new frame yet: read the row until it shows lines.
    let lines: number[] = [];
    for (let tries = 0; tries < 60 && lines.length < 3; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 150));
      const row = await pixelsAtScreen(
        tv,
        xs.map((x) => ({ x, y })),
      );
      // A 1 px line may straddle two pixels: anything darker than the plain map counts.
      const dark = xs.filter((_, i) => row[i]![1] < 180);
      lines = dark.filter((x, i) => i === 0 || x - dark[i - 1]! > 3);
    }
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const spacing = (lines.at(-1)! - lines[0]!) / (lines.length - 1);
    expect(Math.abs(spacing - inchPx)).toBeLessThan(1.5);
    await gm.locator('[data-plugin-action="display-fit-map"]').click();
    await until(tv, (p) => Math.abs(p.display.size.y - MAP.height) < 1);
  });

  it('moving and scaling the map keeps a marker and a fog reveal on the same map pixel', async () => {
    // The marker sits in the revealed rectangle: under fog, players would not see it.
    const INSIDE: Point = { x: 470, y: 350 };
    const OUTSIDE: Point = { x: 250, y: 320 };
    await gm.evaluate((at) => {
      const store = (window as unknown as HookWindow).__tablestage.store;
      store.addMember('markers', { position: at, color: '#ff00ff', size: 1.5 });
      store.queuePropertyUpdate(['fogOfWar', 'enabled'], true);
    }, MARK);
    // Reveal a rectangle with the GM's rectangle tool, dragged on the GM's canvas.
    await gm.locator('ts-tool-bar [data-tool="fogRect"]').click();
    const canvas = (await gm.locator('ts-stage-view canvas').boundingBox())!;
    const from = await sceneToScreen(gm, { x: 400, y: 280 });
    const to = await sceneToScreen(gm, { x: 520, y: 380 });
    await gm.mouse.move(canvas.x + from.x, canvas.y + from.y);
    await gm.mouse.down();
    await gm.mouse.move(canvas.x + to.x, canvas.y + to.y, { steps: 5 });
    await gm.mouse.up();
    const isMagenta = ([r, g, b]: Rgba) => r > 150 && b > 150 && g < 90;
    const isFog = ([r, g, b]: Rgba) => r < 40 && g < 40 && b < 40;
    await waitForPixel(tv, MARK, isMagenta);
    await waitForPixel(tv, INSIDE, isGreen);
    await waitForPixel(tv, OUTSIDE, isFog);

    // Move, scale and turn the map; then frame it again so it is on the TV.
    const before = await sceneToScreen(tv, INSIDE);
    await gm.evaluate(() => {
      const store = (window as unknown as HookWindow).__tablestage.store;
      store.queuePropertyUpdate(['map', 'offset'], { x: 300, y: -150 });
      store.queuePropertyUpdate(['map', 'zoom'], 1.5);
      store.queuePropertyUpdate(['map', 'rotation'], 30);
    });
    await until(tv, (p) => p.map.zoom === 1.5 && p.map.rotation === 30);
    await gm.locator('[data-plugin-action="display-fit-map"]').click();
    await until(tv, (p) => Math.abs(p.display.center.x - 300) > 1);
    expect(await sceneToScreen(tv, INSIDE)).not.toEqual(before);
    // The same map pixels: the marker still on its spot, the reveal still over the same part of the map.
    await waitForPixel(tv, MARK, isMagenta);
    await waitForPixel(tv, INSIDE, isGreen);
    await waitForPixel(tv, OUTSIDE, isFog);
    await waitForPixel(tv, BLUE_AT, isFog);
  });

  it('pause shows the cover and no scene pixel; edits made meanwhile show only after un-pausing', async () => {
    await gm.evaluate(() =>
      (window as unknown as HookWindow).__tablestage.store.queuePropertyUpdate(
        ['display', 'coverColor'],
        '#334466',
      ),
    );
    await until(tv, (p) => p.display.coverColor === '#334466');
    await gm.locator('[data-action="pause"]').click();
    await tv.locator('.pause').waitFor({ timeout: 15_000 });
    expect(await tv.locator('ts-stage-view').count()).toBe(0);
    expect(await scenePixelsOnScreen(tv)).toBe(0);
    // The GM turns the marker yellow while paused: nothing of it reaches the screen.
    await gm.evaluate(() => {
      const store = (window as unknown as HookWindow).__tablestage.store;
      const id = Object.keys(store.props.get()!.markers)[0]!;
      store.queuePropertyUpdate(['markers', id, 'color'], '#ffff00');
    });
    await until(tv, (p) => Object.values(p.markers)[0]?.color === '#ffff00');
    expect(await scenePixelsOnScreen(tv)).toBe(0);
    await gm.locator('[data-action="pause"]').click();
    await tv.locator('.pause').waitFor({ state: 'detached', timeout: 15_000 });
    await waitLive(tv);
    // The stage is mounted anew after the cover lifts: wait for its renderer's canvas.
    await tv.waitForFunction(
      () =>
        (window as unknown as HookWindow).__tablestage.renderer()?.engine.getRenderingCanvas()
          ?.isConnected === true,
    );
    const isYellow = ([r, g, b]: Rgba) => r > 150 && g > 150 && b < 90;
    await waitForPixel(tv, MARK, isYellow);
  });

  it('a GM opening the scene anew sees it fitted, not 1:1 from the corner', async () => {
    const fresh = await open(gmLink, { width: 1000, height: 700 });
    const canvas = (await fresh.locator('ts-stage-view canvas').boundingBox())!;
    await fresh.waitForFunction(
      () => (window as unknown as HookWindow).__tablestage.renderer()?.viewport.zoom !== 1,
      null,
      { timeout: 20_000 },
    );
    const map = (await propsOf(fresh)).map;
    expect(map.zoom).toBe(1.5);
    // The whole map (turned and scaled) is inside the canvas and fills most of it.
    const corners = await Promise.all(
      [
        { x: 0, y: 0 },
        { x: MAP.width, y: 0 },
        { x: MAP.width, y: MAP.height },
        { x: 0, y: MAP.height },
      ].map((c) => sceneToScreen(fresh, c)),
    );
    const xs = corners.map((c) => c.x);
    const ys = corners.map((c) => c.y);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-1);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...xs)).toBeLessThanOrEqual(canvas.width + 1);
    expect(Math.max(...ys)).toBeLessThanOrEqual(canvas.height + 1);
    const span = Math.max(
      (Math.max(...xs) - Math.min(...xs)) / canvas.width,
      (Math.max(...ys) - Math.min(...ys)) / canvas.height,
    );
    expect(span).toBeGreaterThan(0.8);
    expect(errors).toEqual([]);
  });
});
