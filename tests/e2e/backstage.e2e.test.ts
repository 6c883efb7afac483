/**
 * End to end, what the TV shows as the GM works (issue 16): the real stack,
 * a GM page and a TV page. The GM switches the shown scene, covers the
 * marker with fog and reveals it again, then holds the TV ("backstage"):
 * edits stay off the TV — its document and its pixels — until the GM
 * publishes, and a second GM sees who holds it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Point } from '../../engine/schema';
import {
  collectErrors,
  documentText,
  launchChromium,
  propsOf,
  waitForPixel,
  waitForProps,
  waitLive,
} from './browser';
import { COLLECTION, FOG_TOGGLE, P, control, members, reddish, screenPoint, valueOf } from './helpers';
import { startStack, type RunningStack } from './stack';
import { FOG_CELL, FOG_TILE, encodeTile, tileKey } from '../../plugins/fogOfWar/mask';

type HookWindow = {
  __tablestage: {
    sceneId(): string;
    store: {
      channelState(id: string): { at(x: number, y: number): number };
      writeBlobs(changes: Map<string, Uint8Array | null>): { ok: boolean };
    };
  };
};

const dark = ([r, g, b]: number[]) => r! < 60 && g! < 60 && b! < 60;

describe('the TV shows what the GM shows: scene switch, fog, backstage hold', () => {
  let stack: RunningStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let gm: Page;
  let tv: Page;
  let gmLink = '';
  let firstScene = '';
  let markerAtP = '';
  const errors: string[] = [];

  async function open(url: string, viewport = { width: 1400, height: 860 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(url);
    await waitLive(page);
    return page;
  }

  const sceneOnTv = () => tv.evaluate(() => (window as unknown as HookWindow).__tablestage.sceneId());

  /** Places a marker with the marker tool at scene point `p`; returns its id once the GM has it. */
  async function placeMarker(p: Point): Promise<string> {
    const before = Object.keys(members(await propsOf(gm)));
    await gm.locator('ts-tool-bar [data-tool="marker"]').click();
    const at = await screenPoint(gm, p);
    await gm.mouse.click(at.x, at.y);
    const ids = await waitForProps(
      gm,
      (props) => Object.keys(members(props)).filter((id) => !before.includes(id)),
      (v) => v.length === 1,
    );
    return ids[0]!;
  }

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const res = await fetch(`${stack.editorUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Backstage party' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { links: { gm: string; player: string } };
    gmLink = stack.editorUrl + created.links.gm;
    gm = await open(gmLink);
    tv = await open(stack.editorUrl + created.links.player, { width: 1280, height: 720 });
    firstScene = await sceneOnTv();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('a marker the GM places appears on the TV', async () => {
    markerAtP = await placeMarker(P);
    await waitForProps(
      tv,
      (p) => members(p)[markerAtP]?.position,
      (v) => v !== undefined,
    );
    await waitForPixel(tv, P, reddish);
  });

  it('switching the shown scene switches the TV, and back', async () => {
    await gm.locator('ts-scene-list [data-action="add"]').click();
    const second = await gm.waitForFunction(
      (first) => {
        const id = (window as unknown as HookWindow).__tablestage.sceneId();
        return id !== first && id;
      },
      firstScene,
      { timeout: 15_000 },
    );
    const secondId = (await second.jsonValue()) as string;
    await gm.locator(`ts-scene-list [data-scene="${secondId}"] [data-action="show"]`).click();
    await tv.waitForFunction(
      (id) => (window as unknown as HookWindow).__tablestage.sceneId() === id,
      secondId,
      {
        timeout: 15_000,
      },
    );
    // The new scene has no marker: P shows no marker any more, and the TV's document has none.
    await waitForPixel(tv, P, (px) => !reddish(px));
    expect(await documentText(tv)).not.toContain(markerAtP);
    // The GM opens the first scene again and shows it.
    await gm.locator(`ts-scene-list [data-scene="${firstScene}"] .name`).click();
    await gm.waitForFunction(
      (id) => (window as unknown as HookWindow).__tablestage.sceneId() === id,
      firstScene,
      { timeout: 15_000 },
    );
    await gm.locator(`ts-scene-list [data-scene="${firstScene}"] [data-action="show"]`).click();
    await tv.waitForFunction(
      (id) => (window as unknown as HookWindow).__tablestage.sceneId() === id,
      firstScene,
      { timeout: 15_000 },
    );
    await waitForPixel(tv, P, reddish);
  });

  it('fog covers the marker on the TV (and takes it out of the TV document); revealing brings it back', async () => {
    await control(gm, FOG_TOGGLE).locator('input[type=checkbox]').check();
    await waitForProps(
      tv,
      (p) => valueOf(p, FOG_TOGGLE),
      (v) => v === true,
    );
    await waitForPixel(tv, P, dark);
    await waitForProps(
      tv,
      (p) => members(p)[markerAtP],
      (v) => v === undefined,
    );
    // The reveal is written the way the reveal brush writes it (one tile through the GM's store); the
    // brush gesture itself is skipped in editor.e2e.test.ts and is not what this test is about.
    const tile = tileKey(Math.floor(P.x / (FOG_TILE * FOG_CELL)), Math.floor(P.y / (FOG_TILE * FOG_CELL)));
    const bytes = [...encodeTile(new Uint8Array(FOG_TILE * FOG_TILE))];
    await gm.evaluate(
      ([key, data]) =>
        (window as unknown as HookWindow).__tablestage.store.writeBlobs(
          new Map([[key as string, new Uint8Array(data as number[])]]),
        ),
      [tile, bytes] as const,
    );
    await tv.waitForFunction(
      (p) =>
        (window as unknown as HookWindow).__tablestage.store.channelState('fogOfWar.tiles').at(p.x, p.y) ===
        0,
      P,
      { timeout: 15_000 },
    );
    await waitForProps(
      tv,
      (p) => members(p)[markerAtP]?.position,
      (v) => v !== undefined,
    );
    await waitForPixel(tv, P, reddish);
    // Fog off again, and the tile covered again (a later test turns the fog on over the marker).
    await control(gm, FOG_TOGGLE).locator('input[type=checkbox]').uncheck();
    await gm.evaluate(
      (key) => (window as unknown as HookWindow).__tablestage.store.writeBlobs(new Map([[key, null]])),
      tile,
    );
    await waitForProps(
      tv,
      (p) => valueOf(p, FOG_TOGGLE),
      (v) => v === false,
    );
  });

  it('hold: the GM edits, the TV stays unchanged; another GM sees the hold; publish changes the TV', async () => {
    await gm.locator('header [data-action="hold"]').click();
    const banner = gm.locator('ts-backstage-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.locator('span').textContent()).toMatch(
      /Holding\s+— players see the state of \d\d:\d\d/,
    );
    const other = await open(gmLink);
    await other.locator('ts-backstage-banner').waitFor({ timeout: 15_000 });
    const holder = await other.locator('ts-backstage-banner span').textContent();
    expect(holder).toMatch(/held by GM [0-9a-f]{4}/);

    // Edit 1, through the inspector: fog on. The TV keeps showing the marker uncovered.
    await control(gm, FOG_TOGGLE).locator('input[type=checkbox]').check();
    const fogPlugin = FOG_TOGGLE.plugin.name;
    const publishFog = banner.locator(`[data-plugin="${fogPlugin}"]`);
    // The room noted the unpublished fog (the banner offers to publish it): the edit went through.
    await publishFog.waitFor({ timeout: 15_000 });
    expect(await publishFog.textContent()).toContain(`Publish ${FOG_TOGGLE.plugin.label}`);
    expect(valueOf(await propsOf(tv), FOG_TOGGLE)).toBe(false);
    await waitForPixel(tv, P, reddish);
    // The other GM sees the edit live: only the TV is held.
    await waitForProps(
      other,
      (p) => valueOf(p, FOG_TOGGLE),
      (v) => v === true,
    );

    // Edit 2, with the marker tool: a second marker, also held back.
    // The GM's view was fitted to the lone marker (a scene switch refits it): zoom out to find room
    // beside it, one marker size to the right of P.
    const box = (await gm.locator('ts-stage-view canvas').boundingBox())!;
    await gm.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await gm.mouse.wheel(0, 800);
    await gm.mouse.wheel(0, 800);
    const before = await propsOf(gm);
    // Markers are sized in grid cells; the new one goes one marker width away, on another cell.
    const size = Number(members(before)[markerAtP]!.size) * before.grid.size;
    const Q: Point = { x: P.x + size, y: P.y };
    const added = await placeMarker(Q);
    const publishMarkers = banner.locator(`[data-plugin="${COLLECTION.name}"]`);
    await publishMarkers.waitFor({ timeout: 15_000 });
    expect(members(await propsOf(tv))[added]).toBeUndefined();
    expect(await documentText(tv)).not.toContain(added);
    await waitForPixel(tv, Q, (px) => !reddish(px));

    // "Publish Fog of war": the TV goes dark over the marker; the new marker stays held back.
    await publishFog.click();
    await waitForProps(
      tv,
      (p) => valueOf(p, FOG_TOGGLE),
      (v) => v === true,
    );
    await waitForPixel(tv, P, dark);
    await publishFog.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await documentText(tv)).not.toContain(added);

    // "Publish": everything the GM did reaches the TV (the new marker, under the fog, stays out of its document).
    await control(gm, FOG_TOGGLE).locator('input[type=checkbox]').uncheck();
    await publishMarkers.waitFor({ timeout: 15_000 });
    await waitForPixel(tv, P, dark);
    await banner.locator('[data-action="publish"]').click();
    await waitForProps(
      tv,
      (p) => members(p)[added]?.position,
      (v) => v !== undefined,
    );
    await waitForPixel(tv, Q, reddish);
    await waitForPixel(tv, P, reddish);

    await banner.locator('[data-action="resume"]').click();
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await other.locator('ts-backstage-banner').waitFor({ state: 'detached', timeout: 15_000 });
    expect(errors).toEqual([]);
  });
});
