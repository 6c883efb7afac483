/**
 * End to end, running an encounter at the TV: the real stack, a GM page and a
 * players' page of TV size. Markers dragged with the mouse land on grid cell
 * centres (Alt places freely; the toolbar's Snap switches it off), and are
 * sized in cells; a polygon clicked on the GM's canvas uncovers exactly that
 * polygon on the TV, with anti-aliased edges; reveal all / cover all act on
 * the TV; `[` / `]` resize the brush and its outline under the pointer.
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

// A plain green 600 × 440 map named for a 30 × 22 grid: 20-unit cells, cell centres at 10 + 20k.
const MAP = { width: 600, height: 440 };
const CELL = 20;
const isGreen = ([r, g, b]: Rgba) => g > 150 && r < 90 && b < 90;
const isFog = ([r, g, b]: Rgba) => r < 40 && g < 40 && b < 40;
const isMagenta = ([r, g, b]: Rgba) => r > 150 && b > 150 && g < 90;
const onCellCentre = (v: number) => Math.abs((((v - CELL / 2) % CELL) + CELL) % CELL) < 1e-6;

function mapPng(): Buffer {
  const rgba = new Uint8Array(MAP.width * MAP.height * 4);
  for (let i = 0; i < MAP.width * MAP.height; i++) rgba.set([20, 200, 40, 255], i * 4);
  return encodePng(MAP.width, MAP.height, rgba);
}

const until = (page: Page, accept: (p: StageProps) => boolean) =>
  waitForProps(page, (p) => p, accept, 20_000);

describe('running an encounter: snapping markers, fog at game speed', () => {
  let stack: RunningStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let gm: Page;
  let tv: Page;
  const errors: string[] = [];

  async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(url);
    await waitLive(page);
    return page;
  }

  /** Moves the GM's mouse to a scene point (page coordinates of the canvas point). */
  async function mouseAt(p: Point): Promise<Point> {
    const canvas = (await gm.locator('ts-stage-view canvas').boundingBox())!;
    const s = await sceneToScreen(gm, p);
    return { x: canvas.x + s.x, y: canvas.y + s.y };
  }

  /** Drags from one scene point to another with the GM's mouse. */
  async function dragScene(from: Point, to: Point): Promise<void> {
    const a = await mouseAt(from);
    const b = await mouseAt(to);
    await gm.mouse.move(a.x, a.y);
    await gm.mouse.down();
    await gm.mouse.move(b.x, b.y, { steps: 6 });
    await gm.mouse.up();
  }

  const markerIds = async (page: Page) => Object.keys((await propsOf(page)).markers);

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const res = await fetch(`${stack.editorUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Encounter' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { links: { gm: string; player: string } };
    gm = await open(stack.editorUrl + created.links.gm, { width: 1400, height: 860 });
    tv = await open(stack.editorUrl + created.links.player, { width: 1280, height: 720 });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('a map named room_30x22.png lays a grid of 20-unit cells over it, on the TV too', async () => {
    await gm.locator('ts-upload-drop input[type=file]').setInputFiles({
      name: 'room_30x22.png',
      mimeType: 'image/png',
      buffer: mapPng(),
    });
    await until(tv, (p) => p.grid.size === CELL && Math.abs(p.display.center.x - MAP.width / 2) < 1);
    await waitForPixel(tv, { x: 310, y: 230 }, isGreen);
  });

  it('a marker dragged with the mouse lands on a cell centre; with Alt, where it is dropped', async () => {
    await gm.evaluate(() =>
      (window as unknown as HookWindow).__tablestage.store.addMember('markers', {
        position: { x: 103, y: 97 },
        color: '#ff00ff',
      }),
    );
    const [id] = await waitForProps(
      gm,
      (p) => Object.keys(p.markers),
      (ids) => ids.length === 1,
    );
    await gm.locator('ts-tool-bar [data-tool="select"]').click();
    await dragScene({ x: 103, y: 97 }, { x: 255, y: 163 });
    const placed = await waitForProps(
      tv,
      (p) => p.markers[id!]?.position,
      // The drag writes its way there; wait for where it ends, not the first step past the start.
      (at) => at?.x === 250 && at.y === 170,
    );
    // The grab offset is kept (the pointer moved +152, +66) and the result snaps to its cell's centre.
    expect(placed).toEqual({ x: 250, y: 170 });
    expect(onCellCentre(placed!.x) && onCellCentre(placed!.y)).toBe(true);
    // The TV draws a 1 × 1 marker over that cell: its colour fills the centre, not the next cell.
    await waitForPixel(tv, { x: 250, y: 170 }, isMagenta);
    expect(isGreen((await pixelsAt(tv, [{ x: 250 + CELL, y: 170 }]))[0]!)).toBe(true);

    // Alt: dropped exactly where the pointer puts it.
    await gm.keyboard.down('Alt');
    await dragScene({ x: 250, y: 170 }, { x: 303, y: 221 });
    await gm.keyboard.up('Alt');
    const free = await waitForProps(
      tv,
      (p) => p.markers[id!]?.position,
      (at) => at?.x === 303 && at.y === 221,
    );
    expect(free).toEqual({ x: 303, y: 221 });
  });

  it('a marker placed with the marker tool takes a cell; 2 × 2 covers four cells; Snap off places freely', async () => {
    await gm.locator('ts-tool-bar [data-tool="marker"]').click();
    const at = await mouseAt({ x: 447, y: 93 });
    await gm.mouse.click(at.x, at.y);
    await waitForProps(
      tv,
      (p) => Object.keys(p.markers),
      (k) => k.length === 2,
    );
    const props = await propsOf(tv);
    const added = Object.values(props.markers).find((m) => m.position.x > 400)!;
    expect(added.position).toEqual({ x: 450, y: 90 });
    expect(added.size).toBe(1);

    // Large: 2 × 2 cells, 40 units across, drawn with the scene's cell size; dragged, it sits on a corner.
    const largeId = Object.entries(props.markers).find(([, m]) => m.position.x > 400)![0];
    await gm.evaluate(
      ({ key, color }) => {
        const store = (window as unknown as HookWindow).__tablestage.store;
        store.queuePropertyUpdate(['markers', key, 'size'], 2);
        store.queuePropertyUpdate(['markers', key, 'color'], color);
      },
      { key: largeId, color: '#ff00ff' },
    );
    await gm.locator('ts-tool-bar [data-tool="select"]').click();
    await dragScene({ x: 450, y: 90 }, { x: 478, y: 127 });
    const corner = await waitForProps(
      tv,
      (p) => p.markers[largeId]?.position,
      (q) => !!q && q.y > 100,
    );
    expect(corner).toEqual({ x: 480, y: 120 });
    // (Sampled away from the grid's lines, every 20 units.)
    await waitForPixel(tv, { x: 480 - 12, y: 120 - 12 }, isMagenta);
    const [inside, beyond] = await pixelsAt(tv, [
      { x: 480 + 12, y: 120 + 12 },
      { x: 480 + 30, y: 125 },
    ]);
    expect(isMagenta(inside!)).toBe(true);
    expect(isGreen(beyond!)).toBe(true);

    // The toolbar's Snap switches snapping off: a click places exactly there.
    const snap = gm.locator('ts-tool-bar [data-plugin-action="grid-snap"]');
    expect(await snap.getAttribute('aria-pressed')).toBe('true');
    await snap.click();
    await until(gm, (p) => !p.grid.snap);
    expect(await snap.getAttribute('aria-pressed')).toBe('false');
    await gm.locator('ts-tool-bar [data-tool="marker"]').click();
    const free = await mouseAt({ x: 533, y: 377 });
    await gm.mouse.click(free.x, free.y);
    await waitForProps(
      tv,
      (p) => Object.values(p.markers).map((m) => m.position),
      (ps) => ps.some((q) => Math.abs(q.x - 533) <= 1 && Math.abs(q.y - 377) <= 1),
    );
    await snap.click();
    await until(gm, (p) => p.grid.snap);
    expect(await markerIds(gm)).toHaveLength(3);
  });

  it('a polygon clicked on the GM canvas uncovers exactly that polygon on the TV, edges anti-aliased', async () => {
    await gm.evaluate(() => {
      const store = (window as unknown as HookWindow).__tablestage.store;
      // Markers and grid lines would hide map pixels; this test reads the fog alone.
      for (const id of Object.keys(store.props.get()!.markers)) store.removeMember('markers', id);
      store.queuePropertyUpdate(['grid', 'visible'], false);
      store.queuePropertyUpdate(['fogOfWar', 'enabled'], true);
    });
    await gm.locator('ts-tool-bar [data-plugin-action="fog-cover-all"]').click();
    await until(tv, (p) => p.fogOfWar.enabled && !p.grid.visible && Object.keys(p.markers).length === 0);
    await waitForPixel(tv, { x: 310, y: 230 }, isFog);

    // An L-shaped room (a hall along the top, a wing down the right): click five corners, double-click the sixth.
    const room: Point[] = [
      { x: 100, y: 100 },
      { x: 400, y: 100 },
      { x: 400, y: 300 },
      { x: 260, y: 300 },
      { x: 260, y: 200 },
      { x: 100, y: 200 },
    ];
    await gm.locator('ts-tool-bar [data-tool="fogPolygon"]').click();
    for (const corner of room.slice(0, -1)) {
      const at = await mouseAt(corner);
      await gm.mouse.click(at.x, at.y);
    }
    // The outline being made shows on the GM's canvas.
    await gm.locator('ts-stage-view svg.polygon').waitFor({ timeout: 10_000 });
    const last = await mouseAt(room.at(-1)!);
    await gm.mouse.dblclick(last.x, last.y);
    await gm.locator('ts-stage-view svg.polygon').waitFor({ state: 'detached', timeout: 10_000 });

    const inside = (p: Point) =>
      (p.x > 100 && p.x < 400 && p.y > 100 && p.y < 200) ||
      (p.x > 260 && p.x < 400 && p.y > 100 && p.y < 300);
    // Every cell centre of the map, except within 6 units of the outline (a fog cell is 4, plus the soft edge).
    const MARGIN = 6;
    const nearEdge = (p: Point) =>
      room.some((a, i) => {
        const b = room[(i + 1) % room.length]!;
        const t = Math.max(
          0,
          Math.min(
            1,
            ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / ((b.x - a.x) ** 2 + (b.y - a.y) ** 2),
          ),
        );
        return Math.hypot(p.x - (a.x + t * (b.x - a.x)), p.y - (a.y + t * (b.y - a.y))) < MARGIN;
      });
    const samples: Point[] = [];
    for (let y = CELL / 2; y < MAP.height; y += CELL / 2)
      for (let x = CELL / 2; x < MAP.width; x += CELL / 2) if (!nearEdge({ x, y })) samples.push({ x, y });
    // The TV may not have drawn the reveal yet: wait for one inside point.
    await waitForPixel(tv, { x: 150, y: 150 }, isGreen);
    const pixels = await pixelsAt(tv, samples);
    const wrong = samples.filter((p, i) => (inside(p) ? !isGreen(pixels[i]!) : !isFog(pixels[i]!)));
    expect(wrong).toEqual([]);
    expect(samples.filter(inside).length).toBeGreaterThan(100);

    // Anti-aliased: across the room's left wall (x = 100) the TV's pixels step through in-between shades.
    const tvCanvas = await tv.evaluate(() => {
      const c = (window as unknown as HookWindow).__tablestage.renderer()!.engine.getRenderingCanvas()!;
      return c.width / c.clientWidth;
    });
    const a = await sceneToScreen(tv, { x: 90, y: 150 });
    const b = await sceneToScreen(tv, { x: 110, y: 150 });
    const steps = Math.ceil((b.x - a.x) * tvCanvas);
    const row = await pixelsAt(
      tv,
      Array.from({ length: steps }, (_, i) => ({ x: 90 + (20 * i) / steps, y: 150 })),
    );
    const between = row.filter((p) => !isGreen(p) && !isFog(p));
    expect(between.length).toBeGreaterThan(0);
    expect(between.length).toBeLessThan(steps / 2);
  });

  it('reveal all and cover all act on the whole TV in one click each', async () => {
    await gm.locator('ts-tool-bar [data-plugin-action="fog-reveal-all"]').click();
    await waitForPixel(tv, { x: 550, y: 410 }, isGreen);
    await waitForPixel(tv, { x: 150, y: 150 }, isGreen);
    await gm.locator('ts-tool-bar [data-plugin-action="fog-cover-all"]').click();
    await waitForPixel(tv, { x: 550, y: 410 }, isFog);
    await waitForPixel(tv, { x: 150, y: 150 }, isFog);
  });

  it('[ and ] resize the brush, shown as an outline under the pointer, and the brush reveals that wide', async () => {
    await gm.locator('ts-tool-bar [data-tool="fogReveal"]').click();
    const start = (await propsOf(gm)).fogOfWar.brushSize;
    const rotation = (await propsOf(gm)).scene.rotation;
    const at = await mouseAt({ x: 300, y: 220 });
    await gm.mouse.move(at.x, at.y);
    const outline = gm.locator('ts-stage-view .shape.ellipse');
    await outline.waitFor({ timeout: 10_000 });
    expect((await outline.boundingBox())!.width).toBeCloseTo(start, 0);
    await gm.locator('ts-stage-view canvas').focus();
    for (let i = 0; i < 5; i++) await gm.keyboard.press(']');
    await until(gm, (p) => p.fogOfWar.brushSize === start + 20);
    await gm.keyboard.press('[');
    const size = await waitForProps(
      gm,
      (p) => p.fogOfWar.brushSize,
      (s) => s === start + 16,
    );
    // The outline under the pointer follows the new size.
    await expect
      .poll(async () => Math.round((await outline.boundingBox())?.width ?? 0), { timeout: 10_000 })
      .toBe(size);
    // The brackets went to the brush, not to the view's rotation.
    expect((await propsOf(gm)).scene.rotation).toBe(rotation);

    // One click reveals a disc of that diameter on screen: its edge is inside, beyond it is fog.
    await gm.mouse.down();
    await gm.mouse.up();
    const zoom = await gm.evaluate(
      () => (window as unknown as HookWindow).__tablestage.renderer()!.viewport.zoom,
    );
    const r = size / 2 / zoom;
    await waitForPixel(tv, { x: 300, y: 220 }, isGreen);
    const [edgeIn, edgeOut] = await pixelsAt(tv, [
      { x: 300 + r - 4, y: 220 + 3 },
      { x: 300 + r + 6, y: 220 + 3 },
    ]);
    expect(isGreen(edgeIn!)).toBe(true);
    expect(isFog(edgeOut!)).toBe(true);
    expect(errors).toEqual([]);
  });
});
