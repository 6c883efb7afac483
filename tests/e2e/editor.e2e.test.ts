/**
 * End to end: the real `npm start` stack (app server, partykit dev, Vite)
 * and Chromium pages in separate browser contexts (separate users). A GM
 * edits through the real UI — inspector controls, toolbar tools, pointer
 * gestures on the Babylon canvas — and the player page must show each change
 * in its state and in its canvas pixels, never receive GM-only data, and a
 * reload must show what the room saved.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@libsql/client';
import { encodePng } from '../../server/png';
import type { StageProps } from '../../engine/generated/stageProps';
import type { Point } from '../../engine/schema';
import {
  canvasDigest,
  collectErrors,
  digestDifference,
  documentText,
  launchChromium,
  pixelAtScene,
  propsOf,
  waitForPixel,
  waitForProps,
  waitLive,
} from './browser';
import { VIEW_GROUP } from '../../editor/state/plugins';
import {
  control,
  group,
  FOG_TOGGLE,
  GM_ONLY_KEY,
  GM_ONLY_PROP,
  GM_ONLY_VALUES,
  MAP_ASSET,
  members,
  OTHER_FIELD,
  P,
  reddish,
  scenePointAt,
  screenPoint,
  SLIDER,
  typeNumber,
  valueOf,
} from './helpers';
import { startStack, type RunningStack } from './stack';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-results/e2e');

describe('editor and player view, end to end', () => {
  let stack: RunningStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let gm: Page;
  let player: Page;
  let gmLink = '';
  let playerLink = '';
  const errors: string[] = [];

  async function open(url: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(url);
    await waitLive(page);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack();
    browser = await launchChromium();
    const res = await fetch(`${stack.editorUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'E2E party' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { links: { gm: string; player: string } };
    gmLink = stack.editorUrl + created.links.gm;
    gm = await open(gmLink);
    playerLink = stack.editorUrl + created.links.player;
    player = await open(playerLink);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('shows the GM its editor and the player the same scene, without editing controls', async () => {
    expect(await gm.locator('ts-tool-bar').count()).toBe(1);
    expect(await player.locator('ts-tool-bar, ts-inspector-column, ts-scene-list').count()).toBe(0);
    expect((await propsOf(player)).display).toEqual((await propsOf(gm)).display);
  });

  it('a slider change in the inspector reaches the player, in state and in pixels', async () => {
    const before = await canvasDigest(player);
    await typeNumber(gm, SLIDER, 0);
    await waitForProps(
      player,
      (p) => valueOf(p, SLIDER),
      (v) => v === 0,
    );
    // The grid's lines disappear from the player's canvas.
    let changed = 0;
    for (let i = 0; i < 50 && changed < 20; i++) {
      changed = digestDifference(before, await canvasDigest(player));
      if (changed < 20) await new Promise((r) => setTimeout(r, 100));
    }
    expect(changed).toBeGreaterThanOrEqual(20);
  });

  let markerId = '';

  it('a marker added with the marker tool appears on the player display', async () => {
    await gm.locator('ts-tool-bar [data-tool="marker"]').click();
    const at = await screenPoint(gm, P);
    await gm.mouse.click(at.x, at.y);
    const ids = await waitForProps(
      gm,
      (p) => Object.keys(members(p)),
      (v) => v.length === 1,
    );
    markerId = ids[0]!;
    const position = await waitForProps(
      player,
      (p) => members(p)[markerId]?.position,
      (v) => v !== undefined,
    );
    // Placed on the grid cell under the click (snapping is on by default): within half a cell of P.
    const placed = members(await propsOf(gm))[markerId]!.position as Point;
    expect(position).toEqual(placed);
    const half = (await propsOf(gm)).grid.size / 2;
    expect(Math.abs(placed.x - P.x)).toBeLessThanOrEqual(half);
    expect(Math.abs(placed.y - P.y)).toBeLessThanOrEqual(half);
    await waitForPixel(player, P, reddish);
  });

  it('fog covers the player view when enabled', async () => {
    await control(gm, FOG_TOGGLE).locator('input[type=checkbox]').check();
    await waitForProps(
      player,
      (p) => valueOf(p, FOG_TOGGLE),
      (v) => v === true,
    );
    await waitForPixel(player, P, ([r]) => r! < 60);
  });

  it('the reveal brush uncovers the marker for the player', async () => {
    await gm.locator('ts-tool-bar [data-tool="fogReveal"]').click();
    const at = await screenPoint(gm, P);
    await gm.mouse.move(at.x - 10, at.y);
    await gm.mouse.down();
    await gm.mouse.move(at.x + 10, at.y, { steps: 4 });
    await gm.mouse.up();
    await player.waitForFunction(
      (p) =>
        (
          window as unknown as {
            __tablestage: { store: { channelState(id: string): { at(x: number, y: number): number } } };
          }
        ).__tablestage.store
          .channelState('fogOfWar.tiles')
          .at(p.x, p.y) === 0,
      P,
      { timeout: 15_000 },
    );
    await waitForPixel(player, P, reddish);
    await gm.screenshot({ path: resolve(ARTIFACTS, 'gm-editor.png') });
    await player.screenshot({ path: resolve(ARTIFACTS, 'player-view.png') });
  });

  it('a marker the GM makes GM-only leaves the player documents and display', async () => {
    await gm.locator('ts-tool-bar [data-tool="select"]').click();
    const at = await screenPoint(gm, P);
    await gm.mouse.click(at.x, at.y);
    const select = gm.locator(`ts-inspector-column .member [label="${GM_ONLY_PROP.label}"] select`);
    await select.selectOption(String(GM_ONLY_VALUES[0]!));
    await waitForProps(
      gm,
      (p) => members(p)[markerId]?.[GM_ONLY_KEY],
      (v) => v === GM_ONLY_VALUES[0],
    );
    await waitForProps(
      player,
      (p) => members(p)[markerId],
      (v) => v === undefined,
    );
    expect(await documentText(player)).not.toContain(markerId);
    await waitForPixel(player, P, (px) => !reddish(px));
  });

  it('never sends the seeded GM-only marker to a player', async () => {
    const gmPage = await open(stack.demo.gm);
    const gmOnly = Object.entries(members(await propsOf(gmPage)))
      .filter(([, m]) => GM_ONLY_VALUES.includes(String(m[GM_ONLY_KEY])))
      .map(([id]) => id);
    expect(gmOnly.length).toBeGreaterThan(0);
    const demoPlayer = await open(stack.demo.player);
    const text = await documentText(demoPlayer);
    const shown = members(await propsOf(demoPlayer));
    for (const id of gmOnly) {
      expect(text).not.toContain(id);
      expect(shown[id]).toBeUndefined();
    }
    // The demo scenes have a map, markers and fog: the screenshots a person looks at first.
    await gmPage.screenshot({ path: resolve(ARTIFACTS, 'demo-gm-editor.png') });
    await demoPlayer.screenshot({ path: resolve(ARTIFACTS, 'demo-player-view.png') });
    await gmPage.context().close();
    await demoPlayer.context().close();
  });

  it('two GMs editing different fields of one scene both keep their edits', async () => {
    const second = await open(gmLink);
    await Promise.all([typeNumber(gm, SLIDER, 0.5), typeNumber(second, OTHER_FIELD, 3)]);
    for (const page of [gm, second, player]) {
      await waitForProps(
        page,
        (p) => valueOf(p, SLIDER),
        (v) => v === 0.5,
      );
      await waitForProps(
        page,
        (p) => valueOf(p, OTHER_FIELD),
        (v) => v === 3,
      );
    }
    // Each GM sees the other's cursor, named; the player sees GM cursors too.
    const at = await screenPoint(second, P);
    await second.mouse.move(at.x, at.y);
    await second.mouse.move(at.x + 30, at.y + 10, { steps: 3 });
    await gm.locator('ts-stage-view .cursor').first().waitFor({ timeout: 10_000 });
    await player.locator('ts-stage-view .cursor').first().waitFor({ timeout: 10_000 });
    await second.context().close();
  });

  it('a reload of the GM page shows the saved state at once', async () => {
    // Wait until the room has saved the edits to the database, as the app server reports them.
    const url = new URL(gmLink);
    const [, , , sessionId, sceneId] = url.pathname.split('/');
    const token = url.searchParams.get('token')!;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${stack.editorUrl}/api/sessions/${sessionId}/load?scene=${sceneId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const stored = ((await res.json()) as { props: StageProps }).props;
      if (valueOf(stored, SLIDER) === 0.5 && valueOf(stored, OTHER_FIELD) === 3 && members(stored)[markerId])
        break;
      if (Date.now() > deadline)
        throw new Error(`the edits never reached the database: ${JSON.stringify(stored)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await gm.reload();
    await gm.waitForFunction(
      () => (window as unknown as { __tablestage?: unknown }).__tablestage !== undefined,
    );
    // The first props the page shows come from the database (before any WebSocket sync).
    const loaded = await propsOf(gm);
    expect(valueOf(loaded, SLIDER)).toBe(0.5);
    expect(valueOf(loaded, OTHER_FIELD)).toBe(3);
    expect(valueOf(loaded, FOG_TOGGLE)).toBe(true);
    expect(members(loaded)[markerId]?.[GM_ONLY_KEY]).toBe(GM_ONLY_VALUES[0]);
    await waitLive(gm);
    expect(await pixelAtScene(gm, P)).toBeDefined();
    expect(errors).toEqual([]);
  });

  it("undo and redo with the keyboard revert and restore the GM's own edit", async () => {
    await typeNumber(gm, SLIDER, 0.8);
    await waitForProps(
      player,
      (p) => valueOf(p, SLIDER),
      (v) => v === 0.8,
    );
    await gm.locator('ts-stage-view canvas').focus();
    await gm.keyboard.press('Control+z');
    await waitForProps(
      player,
      (p) => valueOf(p, SLIDER),
      (v) => v === 0.5,
    );
    await gm.keyboard.press('Control+Shift+z');
    await waitForProps(
      player,
      (p) => valueOf(p, SLIDER),
      (v) => v === 0.8,
    );
  });

  it('the player follows "show to players" and shows a pause screen while paused', async () => {
    type Hook = { __tablestage: { sceneId(): string } };
    const first = await gm.evaluate(() => (window as unknown as Hook).__tablestage.sceneId());
    await gm.locator('ts-scene-list [data-action="add"]').click();
    await gm.waitForFunction((id) => (window as unknown as Hook).__tablestage.sceneId() !== id, first);
    const added = await gm.evaluate(() => (window as unknown as Hook).__tablestage.sceneId());
    await gm.locator('ts-scene-list [data-action="show"]').click();
    await player.waitForFunction((id) => (window as unknown as Hook).__tablestage.sceneId() === id, added, {
      timeout: 15_000,
    });
    await gm.locator('[data-action="pause"]').click();
    await player.locator('.pause').waitFor({ timeout: 15_000 });
    await gm.locator('[data-action="pause"]').click();
    await player.locator('.pause').waitFor({ state: 'detached', timeout: 15_000 });
  });

  let lastMapUrl = '';

  it("a map file given to the upload picker, or dropped on the viewport, becomes the scene's map for the player", async () => {
    const asset = MAP_ASSET;
    const rgba = new Uint8Array(64 * 64 * 4);
    for (let i = 0; i < rgba.length; i += 4) rgba.set([20, 200, 40, 255], i);
    await gm.locator('ts-upload-drop input[type=file]').setInputFiles({
      name: 'map.png',
      mimeType: 'image/png',
      buffer: encodePng(64, 64, rgba),
    });
    const url = await waitForProps(
      player,
      (p) => String(valueOf(p, asset)),
      (v) => v.startsWith('/uploads/'),
    );
    expect((await fetch(stack.editorUrl + url)).headers.get('content-type')).toBe('image/png');
    await waitForPixel(player, { x: 32, y: 32 }, ([r, g, b]) => g! > 150 && r! < 90 && b! < 90);

    // A file dropped on the viewport replaces it.
    for (let i = 0; i < rgba.length; i += 4) rgba.set([30, 60, 220, 255], i);
    const bytes = [...encodePng(64, 64, rgba)];
    const transfer = await gm.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'blue.png', { type: 'image/png' }));
      return dt;
    }, bytes);
    await gm.locator('ts-upload-drop').dispatchEvent('drop', { dataTransfer: transfer });
    lastMapUrl = await waitForProps(
      player,
      (p) => String(valueOf(p, asset)),
      (v) => v.startsWith('/uploads/') && v !== url,
    );
    await waitForPixel(player, { x: 32, y: 32 }, ([r, g, b]) => b! > 150 && r! < 90 && g! < 120);
  });

  it("drift: a change made in the database behind the room's back is offered for reload and reloads", async () => {
    type Hook = { __tablestage: { sceneId(): string } };
    const sceneId = await gm.evaluate(() => (window as unknown as Hook).__tablestage.sceneId());
    const db = createClient({ url: `file:${resolve(stack.dataDir, 'tablestage.db')}` });
    const column = SLIDER.columns[0]!.name;
    try {
      // Wait until the room has saved this scene with the uploaded map (its last edit), so no save of
      // the room's own lands after the change below and overwrites it.
      const deadline = Date.now() + 20_000;
      for (;;) {
        const saved = await db
          .execute({
            sql: `SELECT ${MAP_ASSET.columns[0]!.name} AS url FROM scene WHERE id = ?`,
            args: [sceneId],
          })
          .catch(() => ({ rows: [] }));
        const url = saved.rows[0]?.url;
        // The app server writes the same file: a busy database is retried, like the room's own saves.
        const r =
          url !== lastMapUrl
            ? { rowsAffected: 0 }
            : await db
                .execute({
                  sql: `UPDATE scene SET ${column} = ?, last_updated = ? WHERE id = ?`,
                  args: [0.15, Date.now(), sceneId],
                })
                .catch((e: { code?: string }) => {
                  if (e.code === 'SQLITE_BUSY') return { rowsAffected: 0 };
                  throw e;
                });
        if (r.rowsAffected === 1) break;
        if (Date.now() > deadline) throw new Error('the new scene never reached the database');
        await new Promise((res) => setTimeout(res, 250));
      }
    } finally {
      db.close();
    }
    await gm.evaluate(() => window.dispatchEvent(new Event('focus')));
    await gm.locator('ts-drift-banner').waitFor({ timeout: 15_000 });
    await gm.locator('ts-drift-banner button.primary').click();
    await gm.locator('ts-drift-banner').waitFor({ state: 'detached', timeout: 15_000 });
    await waitForProps(
      gm,
      (p) => valueOf(p, SLIDER),
      (v) => v === 0.15,
    );
    await waitForProps(
      player,
      (p) => valueOf(p, SLIDER),
      (v) => v === 0.15,
    );
  });

  it('the select tool drags a marker and the player sees it move', async () => {
    // Whole scene points inside the GM's view: the view fitted the map placed above (a 64-unit
    // image), so fixed scene coordinates may lie off screen. The marker goes to Q, the drag takes it to `moved`.
    const Q = await scenePointAt(gm, 0.4, 0.45);
    const moved = await scenePointAt(gm, 0.6, 0.55);
    await gm.locator('ts-tool-bar [data-tool="marker"]').click();
    const from = await screenPoint(gm, Q);
    // Alt places and drags freely (markers snap to cell centres otherwise), so the exact points hold.
    await gm.keyboard.down('Alt');
    await gm.mouse.click(from.x, from.y);
    await gm.keyboard.up('Alt');
    const found = await waitForProps(
      gm,
      (p) => Object.entries(members(p)).find(([, m]) => JSON.stringify(m.position) === JSON.stringify(Q)),
      (v) => v !== undefined,
    );
    const id = found![0];
    await waitForProps(
      player,
      (p) => members(p)[id],
      (v) => v !== undefined,
    );
    await gm.locator('ts-tool-bar [data-tool="select"]').click();
    const to = await screenPoint(gm, moved);
    await gm.mouse.move(from.x, from.y);
    await gm.keyboard.down('Alt');
    await gm.mouse.down();
    await gm.mouse.move(to.x, to.y, { steps: 6 });
    await gm.mouse.up();
    await gm.keyboard.up('Alt');
    await waitForProps(
      player,
      (p) => members(p)[id]?.position,
      (v) => JSON.stringify(v) === JSON.stringify(moved),
    );
    await waitForPixel(player, moved, reddish);
  });

  it('scene list: rename, duplicate, reorder by drag and delete after a confirm', async () => {
    const names = () => gm.locator('ts-scene-list li .name').allTextContents();
    await gm.locator('ts-scene-list [data-action="rename"]').click();
    const input = gm.locator('ts-scene-list li input');
    await input.fill('Cellar');
    await input.press('Enter');
    await expect.poll(names, { timeout: 10_000 }).toContain('Cellar');
    await gm.locator('ts-scene-list [data-action="duplicate"]').click();
    await expect.poll(async () => (await names()).length, { timeout: 10_000 }).toBe(3);
    const before = await names();
    await gm
      .locator('ts-scene-list li')
      .last()
      .dragTo(gm.locator('ts-scene-list li').first(), { targetPosition: { x: 20, y: 3 } });
    await expect.poll(names, { timeout: 10_000 }).toEqual([before[2], before[0], before[1]]);
    gm.once('dialog', (d) => void d.accept());
    await gm.locator('ts-scene-list [data-action="delete"]').click();
    await expect.poll(async () => (await names()).length, { timeout: 10_000 }).toBe(2);
    expect(await names()).toEqual([before[0], before[1]]);
  });

  it('home: create a party, find it listed, open its editor and copy its player link', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    contexts.push(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.editorUrl });
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(`${stack.editorUrl}/`);
    await page.locator('ts-home-page input[name=name]').fill('Home party');
    await page.locator('ts-home-page button[type=submit]').click();
    await waitLive(page);
    expect(new URL(page.url()).pathname).toMatch(/^\/gm\//);
    await page.goBack();
    await page.locator('ts-home-page .party h3', { hasText: 'Home party' }).waitFor();
    await page.locator('ts-home-page .copy-player-link').click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/\/play\/[^/?]+\?token=/);
    // Forget the first editor's hook, so the wait below sees the editor this link opens.
    await page.evaluate(() => delete (window as { __tablestage?: unknown }).__tablestage);
    await page.locator('ts-home-page .open-editor').click();
    await waitLive(page);
    const firstSession = new URL(page.url()).pathname.split('/')[3];
    await page.goBack();
    await page.locator('ts-home-page .new-session').click();
    await page.waitForFunction((old) => {
      const hook = (
        window as unknown as {
          __tablestage?: { live(): boolean; store: { manager: { gameSessionId: string } } };
        }
      ).__tablestage;
      return hook?.live() === true && hook.store.manager.gameSessionId !== old;
    }, firstSession);
    // "Open player view" opens it with a player token, never the GM's own.
    await page.goto(`${stack.editorUrl}/`);
    await page.locator('ts-home-page .open-player').click();
    await waitLive(page);
    expect(
      await page.evaluate(() => (window as unknown as { __tablestage: { view: string } }).__tablestage.view),
    ).toBe('player');
    await page.goto(link);
    await waitLive(page);
    expect(await page.locator('ts-tool-bar').count()).toBe(0);
  });

  it('the player view shows when it is offline and catches up by itself when the connection returns', async () => {
    // The GM works on the scene the players see.
    await gm.locator('ts-scene-list li:has(.live) .name').click();
    const context = await browser.newContext();
    contexts.push(context);
    let offline = false;
    const sockets: WebSocketRoute[] = [];
    // Every WebSocket to PartyKit goes through this route, so the test can cut and restore the network.
    await context.routeWebSocket(/\/parties\//, (ws) => {
      if (offline) return void ws.close();
      ws.connectToServer();
      sockets.push(ws);
    });
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(playerLink);
    await waitLive(page);
    expect(await page.locator('ts-player-view-page .offline').count()).toBe(0);

    offline = true;
    for (const ws of sockets.splice(0)) await ws.close();
    await page.locator('ts-player-view-page .offline').waitFor({ timeout: 10_000 });
    await typeNumber(gm, SLIDER, 0.3);

    offline = false;
    await page.locator('ts-player-view-page .offline').waitFor({ state: 'detached', timeout: 20_000 });
    await waitForProps(
      page,
      (p) => valueOf(p, SLIDER),
      (v) => v === 0.3,
      20_000,
    );
  });

  it("zooming and panning change only this GM's own view, never the shared document", async () => {
    type Hook = {
      __tablestage: {
        sceneId(): string;
        store: { manager: { doc: { getMap(k: string): { get(id: string): { has(k: string): boolean } } } } };
      };
    };
    const view = (props: StageProps) => group(props, VIEW_GROUP!) as { zoom: number; offset: Point };
    const playerZoom = view(await propsOf(player)).zoom;
    const at = await screenPoint(gm, P);
    await gm.mouse.move(at.x, at.y);
    await gm.mouse.wheel(0, -400);
    const zoom = await waitForProps(
      gm,
      (p) => view(p).zoom,
      (z) => z > 1,
    );
    // Zooming at the pointer keeps the scene point under it in place.
    const after = await screenPoint(gm, P);
    expect(Math.abs(after.x - at.x) + Math.abs(after.y - at.y)).toBeLessThan(2);
    expect(zoom).toBeGreaterThan(1);
    const inDoc = await gm.evaluate((key) => {
      const h = (window as unknown as Hook).__tablestage;
      return h.store.manager.doc.getMap('scenes').get(h.sceneId()).has(key);
    }, VIEW_GROUP!);
    expect(inDoc).toBe(false);
    expect(view(await propsOf(player)).zoom).toBe(playerZoom);
  });

  it('bad, expired and unreachable links get pages that say what to do', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const url = new URL(playerLink);
    await page.goto(`${url.origin}${url.pathname}`);
    await page.locator('ts-error-screen [data-problem="bad-link"]').waitFor();

    const [head, payload, sig] = url.searchParams.get('token')!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const expired = Buffer.from(JSON.stringify({ ...claims, exp: 1 })).toString('base64url');
    await page.goto(`${url.origin}${url.pathname}?token=${head}.${expired}.${sig}`);
    await page.locator('ts-error-screen [data-problem="expired"]').waitFor();

    // A room that refuses the token for good (as PartyKit does with close code 4401) gets the same page.
    const refusing = await browser.newContext();
    contexts.push(refusing);
    await refusing.routeWebSocket(
      /\/parties\//,
      (ws) => void ws.close({ code: 4401, reason: 'the token has expired' }),
    );
    const refused = await refusing.newPage();
    await refused.goto(playerLink);
    await refused.locator('ts-error-screen [data-problem="expired"]').waitFor({ timeout: 15_000 });

    // The app server is gone (the editor's own /api/*.ts modules still load).
    await page.route(
      (u) => u.pathname.startsWith('/api/') && !/\.[jt]s$/.test(u.pathname),
      (route) => route.abort('connectionrefused'),
    );
    await page.goto(playerLink);
    await page.locator('ts-error-screen [data-problem="unreachable"]').waitFor();
  });
});
