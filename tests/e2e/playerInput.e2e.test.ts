/**
 * Players' own input end to end, on the real `npm start` stack in Chromium:
 * a player with a screen pings and measures from the player page once the
 * GM allows it (and the room refuses it, even from a raw connection, while
 * not allowed); a GM's click and hold pings on the TV; a GM's "pull view"
 * ping moves a player's free view (Follow the TV off) and not the TV.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Point } from '../../engine/schema';
import { RawClient } from '../integration/partykit/support';
import { ticketsFromApp } from '../../engine/sync/tickets';
import { collectErrors, launchChromium, waitLive } from './browser';
import { scenePointAt, screenPoint } from './helpers';
import { playersSetting, setPlayersSetting } from './playerSettings';
import { startStack, type RunningStack } from './stack';

interface Entry {
  readonly role: string | undefined;
  readonly value: Record<string, unknown>;
}

/** The plugin's presence entries the page's renderer was handed (what it draws): sender role and value. */
function presenceOf(page: Page, plugin: string): Promise<Entry[]> {
  return page.evaluate(
    (name) =>
      (window.__tablestage!.store.presence.get().get(name) ?? []).map((e) => ({
        role: e.user.role,
        value: e.value as Record<string, unknown>,
      })),
    plugin,
  );
}

/** The texts the page's ruler labels show now. */
function rulerTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const mesh = window.__tablestage!.renderer()!.scene.getMeshByName('ruler-labels');
    return mesh?.isEnabled() ? ((mesh.metadata as { texts?: string[] } | null)?.texts ?? []) : [];
  });
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

const near = (a: Point, b: Point, d = 2) => Math.abs(a.x - b.x) <= d && Math.abs(a.y - b.y) <= d;

describe('players’ input on the player page, end to end', () => {
  let stack: RunningStack;
  let browser: Browser;
  let gm: Page;
  let tv: Page;
  let player: Page;
  let raw: RawClient | undefined;
  const errors: string[] = [];
  let body: {
    id: string;
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
      body: JSON.stringify({ name: 'Player input party' }),
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
    tv = await open(body.links.player);
    player = await open(body.links.player);
  });

  afterAll(async () => {
    raw?.close();
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('while pinging is not allowed, the player page offers no ping and the room drops a raw player’s ping', async () => {
    await player.mouse.move(400, 300);
    await player.locator('ts-player-tools').waitFor();
    expect(await player.locator('ts-player-tools [data-tool]').count()).toBe(0);
    // A player's hold pings nothing either: the page does not publish what the GM does not allow.
    await player.mouse.down();
    await player.waitForTimeout(900);
    await player.mouse.up();

    const sceneId = body.scenes[0]!.id;
    const ticket = await ticketsFromApp(
      stack.appUrl,
      body.tokens.player,
    )({ party: 'game_session', room: body.gameSession.id });
    raw = await RawClient.connect(
      `ws://127.0.0.1:${stack.partykitPort}/parties/game_session/${body.gameSession.id}?ticket=${encodeURIComponent(ticket)}`,
    );
    await raw.whenSynced();
    raw.publishAwareness({
      user: { name: 'Pat' },
      cursor: { x: 70, y: 70, s: sceneId },
      ping: { s: sceneId, v: { x: 77, y: 88, n: 1 } },
    });
    // The cursor arrived (so the state did), the ping did not.
    await gm.locator('ts-stage-view .cursor').first().waitFor({ timeout: 15_000 });
    for (const page of [gm, tv]) expect(await presenceOf(page, 'ping')).toEqual([]);
  });

  it('once the GM allows it, a player pings from the player page and the GM and the TV see it', async () => {
    // Measuring first, then pinging: a room that shows the later setting's ping has read both.
    await setPlayersSetting(gm, playersSetting('ruler'), true);
    await setPlayersSetting(gm, playersSetting('ping'), true);
    await player.mouse.move(420, 300);
    await player.locator('ts-player-tools [data-tool="ping"]').click();
    await player.locator('ts-player-tools [data-tool="ruler"]').waitFor();
    const spot = await scenePointAt(player, 0.5, 0.5);
    const at = await screenPoint(player, spot);
    // The game-session room learns the party's settings from the party room (a nudge, then a read); a
    // ping that reaches it before is refused, so the player pings again until one shows.
    for (const page of [gm, tv]) {
      const pings = await until(
        'the player’s ping',
        async () => {
          if (page === gm) await player.mouse.click(at.x, at.y);
          await new Promise((r) => setTimeout(r, 700));
          return presenceOf(page, 'ping');
        },
        (v) => v.some((e) => e.role === 'player'),
      );
      const ping = pings.find((e) => e.role === 'player')!.value as unknown as Point;
      expect(near(ping, spot)).toBe(true);
    }
  });

  it('once the GM allows it, a player measures from the player page and the GM sees the distance', async () => {
    await player.mouse.move(420, 300);
    await player.locator('ts-player-tools [data-tool="ruler"]').click();
    // Default grid: 64-unit cells of 5 ft; cell centres four cells apart: 20 ft.
    const from = await screenPoint(player, { x: 96, y: 96 });
    const to = await screenPoint(player, { x: 96 + 4 * 64, y: 96 });
    await player.mouse.move(from.x, from.y);
    await player.mouse.down();
    for (let i = 1; i <= 8; i++) await player.mouse.move(from.x + ((to.x - from.x) * i) / 8, from.y);
    for (const page of [gm, tv])
      await until(
        'the player’s ruler',
        () => rulerTexts(page),
        (t) => t.includes('20 ft'),
      );
    await player.mouse.up();
    await until(
      'the ruler to go',
      () => rulerTexts(gm),
      (t) => t.length === 0,
    );
    await player.locator('ts-player-tools [data-tool="ruler"]').click();
  });

  it('a GM’s click and hold (select tool) pings on the TV', async () => {
    await gm.locator('ts-tool-bar [data-tool="select"]').click();
    const spot: Point = { x: 500, y: 380 };
    const at = await screenPoint(gm, spot);
    await gm.mouse.move(at.x, at.y);
    await gm.mouse.down();
    const pings = await until(
      'the held ping on the TV',
      () => presenceOf(tv, 'ping'),
      (v) => v.some((e) => e.role === 'gm'),
    );
    await gm.mouse.up();
    expect(near(pings.find((e) => e.role === 'gm')!.value as unknown as Point, spot)).toBe(true);
  });

  it('a “pull view” ping moves a player’s free view to the spot, not the TV', async () => {
    await player.mouse.move(420, 300);
    // The controls hide 4 s after the pointer last moved, but not from under it.
    const follow = player.locator('ts-player-tools [data-action="follow"]');
    await follow.hover();
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await follow.isVisible()).toBe(true);
    await follow.uncheck();
    const tvBefore = await tv.evaluate(() => window.__tablestage!.renderer()!.viewport);
    const spot: Point = { x: 250, y: 200 };
    await gm.locator('ts-tool-bar [data-tool="ping"]').click();
    const at = await screenPoint(gm, spot);
    await gm.keyboard.down('Shift');
    await gm.mouse.click(at.x, at.y);
    await gm.keyboard.up('Shift');
    await until(
      'the free view to centre on the spot',
      () => scenePointAt(player, 0.5, 0.5),
      (c) => near(c, spot, 3),
    );
    // The TV got the ping and kept its frame.
    await until(
      'the ping on the TV',
      () => presenceOf(tv, 'ping'),
      (v) => v.some((e) => e.value.pull === true),
    );
    expect(await tv.evaluate(() => window.__tablestage!.renderer()!.viewport)).toEqual(tvBefore);
    expect(errors).toEqual([]);
  });
});
