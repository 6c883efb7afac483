/**
 * Rulers and pings end to end, on the real `npm start` stack in Chromium: a
 * GM drags the ruler and the TV and a second GM show the distance while the
 * drag lasts and nothing after release; a GM ping reaches the TV and the
 * second GM; a player's ping (a raw player connection: the player view has
 * no ping control) is refused while "Players may ping" is off and shown once
 * the GM turns it on in the party settings. None of it enters the document.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Point } from '../../engine/schema';
import { RawClient } from '../integration/partykit/support';
import { ticketsFromApp } from '../../engine/sync/tickets';
import { collectErrors, launchChromium, waitLive } from './browser';
import { screenPoint } from './helpers';
import { playersSetting, setPlayersSetting, waitForSetting } from './playerSettings';
import { startStack, type RunningStack } from './stack';

/** The texts the page's ruler labels show now. */
function rulerTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const mesh = window.__tablestage!.renderer()!.scene.getMeshByName('ruler-labels');
    return mesh?.isEnabled() ? ((mesh.metadata as { texts?: string[] } | null)?.texts ?? []) : [];
  });
}

/** The plugin's presence values the page's renderer was handed (what it draws), as JSON. */
function presenceOf(page: Page, plugin: string): Promise<unknown[]> {
  return page.evaluate(
    (name) => (window.__tablestage!.store.presence.get().get(name) ?? []).map((e) => e.value),
    plugin,
  );
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('rulers and pings, end to end', () => {
  let stack: RunningStack;
  let browser: Browser;
  let gm: Page;
  let gm2: Page;
  let tv: Page;
  let raw: RawClient | undefined;
  const errors: string[] = [];
  let body: {
    gameSession: { id: string };
    scenes: { id: string }[];
    links: { gm: string; player: string };
    tokens: { player: string };
  };

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const res = await fetch(`${stack.editorUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ruler party' }),
    });
    expect(res.status).toBe(201);
    body = (await res.json()) as typeof body;
    const open = async (link: string) => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      errors.push(...collectErrors(page));
      await page.goto(stack.editorUrl + link);
      await waitLive(page);
      return page;
    };
    gm = await open(body.links.gm);
    gm2 = await open(body.links.gm);
    tv = await open(body.links.player);
  });

  afterAll(async () => {
    raw?.close();
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('the TV and a second GM show the ruler’s distance while the GM drags, and nothing after release', async () => {
    await gm.locator('ts-tool-bar [data-tool="ruler"]').click();
    // Default grid: 64-unit cells of 5 ft. Cell (1, 1) to cell (7, 1): six cells, 30 ft.
    const from: Point = await screenPoint(gm, { x: 96, y: 96 });
    const to: Point = await screenPoint(gm, { x: 96 + 6 * 64, y: 96 });
    await gm.mouse.move(from.x, from.y);
    await gm.mouse.down();
    for (let i = 1; i <= 8; i++) await gm.mouse.move(from.x + ((to.x - from.x) * i) / 8, from.y);
    for (const page of [gm, tv, gm2])
      await until(
        'the ruler label',
        () => rulerTexts(page),
        (t) => t.includes('30 ft'),
      );
    await gm.mouse.up();
    for (const page of [gm, tv, gm2])
      await until(
        'the ruler to disappear',
        () => rulerTexts(page),
        (t) => t.length === 0,
      );
    const doc = await tv.evaluate(() => JSON.stringify(window.__tablestage!.store.manager.doc.toJSON()));
    expect(doc).not.toContain('"pts"');
  });

  it('a GM ping reaches the TV and the second GM', async () => {
    await gm.locator('ts-tool-bar [data-tool="ping"]').click();
    const at = await screenPoint(gm, { x: 300, y: 200 });
    await gm.mouse.click(at.x, at.y);
    for (const page of [tv, gm2]) {
      const [ping] = await until(
        'the ping',
        () => presenceOf(page, 'ping'),
        (v) => v.length === 1,
      );
      expect(ping).toMatchObject({ x: expect.closeTo(300, 0), y: expect.closeTo(200, 0) });
    }
  });

  it('a player ping is refused while "Players may ping" is off and shown once the GM turns it on', async () => {
    const sceneId = body.scenes[0]!.id;
    // A player's raw connection comes in the editor's way: a one-use ticket fetched with the token.
    const ticket = await ticketsFromApp(
      stack.appUrl,
      body.tokens.player,
    )({ party: 'game_session', room: body.gameSession.id });
    const url = `ws://127.0.0.1:${stack.partykitPort}/parties/game_session/${body.gameSession.id}?ticket=${encodeURIComponent(ticket)}`;
    raw = await RawClient.connect(url);
    await raw.whenSynced();
    const from = (v: unknown[]) => v.filter((p) => (p as { x: number }).x === 77);
    raw.publishAwareness({
      user: { name: 'Pat' },
      cursor: { x: 70, y: 70, s: sceneId },
      ping: { s: sceneId, v: { x: 77, y: 88, n: 1 } },
    });
    // The GM sees the player's cursor (so the state arrived) but no ping from them.
    await gm.locator('ts-stage-view .cursor').first().waitFor({ timeout: 15_000 });
    expect(from(await presenceOf(gm, 'ping'))).toEqual([]);
    expect(from(await presenceOf(tv, 'ping'))).toEqual([]);

    const setting = playersSetting('ping');
    await setPlayersSetting(gm, setting, true);
    await waitForSetting(tv, setting, true);
    // The game-session room learns the party's settings from the party room (a nudge, then a read): a
    // ping sent before it knows is refused, so the raw player pings again (a new ping) until one shows.
    let n = 2;
    await until(
      'the player ping',
      async () => {
        raw!.publishAwareness({
          user: { name: 'Pat' },
          cursor: { x: 71, y: 70, s: sceneId },
          ping: { s: sceneId, v: { x: 77, y: 88, n: n++ } },
        });
        await new Promise((r) => setTimeout(r, 700));
        return from(await presenceOf(gm, 'ping'));
      },
      (v) => v.length === 1,
    );
    for (const page of [gm, gm2, tv])
      await until(
        'the player ping',
        async () => from(await presenceOf(page, 'ping')),
        (v) => v.length === 1,
      );
    expect(errors).toEqual([]);
  });
});
