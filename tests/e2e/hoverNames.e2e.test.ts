/**
 * End to end (issue 13, items 6 and 9), on the real stack with real
 * Chromium: a GM page, a second GM (another browser profile) and the TV.
 *
 * - A `hover` marker shows on the TV only while the GM's pointer is on it or
 *   it is selected (pixels on the TV), and a raw player connection's bytes
 *   never hold its GM note — nor, before it was first shown, its label.
 * - The name a GM types shows on their cursor in the other GM's view, and
 *   is still theirs after a reload.
 * - With the scene's "GM cursors on the TV" off, the TV shows no GM cursor.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { roomPlugins } from '../../partykit/generated/roomPlugins';
import type { PropInfo } from '../../engine/schema';
import type { TablestageHook } from '../../editor/state/test-hook';
import { ticketsFromApp } from '../../engine/sync/tickets';
import { RawClient } from '../integration/partykit/support';
import { collectErrors, launchChromium, pixelAtScene, waitForPixel, waitForProps, waitLive } from './browser';
import { COLLECTION, control, screenPoint, valueOf } from './helpers';
import { startStack, type RunningStack } from './stack';

type HookWindow = Window & { __tablestage: TablestageHook };
type Rgba = [number, number, number, number];

const LABEL = 'Lurker 4e1f';
const NOTE = 'GM only: the lurker is the mayor 9d07';
const NAME = 'Mira the Keeper';
/** Where the hover marker stands, and an empty spot well away from it (scene units). */
const AT = { x: 300, y: 220 };
const AWAY = { x: 700, y: 520 };
const isMagenta = ([r, g, b]: Rgba) => r > 150 && b > 150 && g < 90;

/** The scene setting whose `false` makes the room hide GM cursors from players (found through the room plugins). */
function cursorSetting(): PropInfo {
  for (const room of roomPlugins.filter((r) => r.hideGmPresence)) {
    const plugin = registry.plugin(room.name)!;
    for (const prop of plugin.props.filter((p) => p.decl.kind === 'boolean' && !p.localOnly)) {
      const values = Object.fromEntries(plugin.props.map((p) => [p.key, p.decl.default]));
      if (room.hideGmPresence!({ ...values, [prop.key]: false }).includes('cursor')) return prop;
    }
  }
  throw new Error('no plugin hides GM cursors');
}

describe('hover markers, GM names and GM cursors on the TV', () => {
  let stack: RunningStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let gm: Page;
  let gm2: Page;
  let tv: Page;
  let raw: RawClient;
  const errors: string[] = [];
  let created: {
    links: { gm: string; player: string };
    tokens: { player: string };
    gameSession: { id: string };
  };

  async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(url);
    await waitLive(page);
    return page;
  }

  const moveTo = async (page: Page, p: { x: number; y: number }) => {
    const s = await screenPoint(page, p);
    await page.mouse.move(s.x, s.y, { steps: 4 });
  };
  /** Moves the mouse over the page's canvas, at a fraction of its size (wherever the view shows). */
  const moveOnCanvas = async (page: Page, fx: number, fy: number) => {
    const box = (await page.locator('ts-stage-view canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 4 });
  };

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const res = await fetch(`${stack.editorUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Hover night' }),
    });
    expect(res.status).toBe(201);
    created = (await res.json()) as typeof created;
    gm = await open(stack.editorUrl + created.links.gm, { width: 1400, height: 860 });
    gm2 = await open(stack.editorUrl + created.links.gm, { width: 1400, height: 860 });
    tv = await open(stack.editorUrl + created.links.player, { width: 1280, height: 720 });
    // A player connection as a curious player could open one: every byte it receives is kept.
    const ticket = await ticketsFromApp(
      stack.appUrl,
      created.tokens.player,
    )({
      party: 'game_session',
      room: created.gameSession.id,
    });
    raw = await RawClient.connect(
      `ws://127.0.0.1:${stack.partykitPort}/parties/game_session/${created.gameSession.id}?ticket=${encodeURIComponent(ticket)}`,
    );
    await raw.whenSynced();
  });

  afterAll(async () => {
    raw?.close();
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  /**
   * The GM edits the grid's opacity and waits until the TV has it: the room sends pending presence (and the
   * reveal it causes) before a later edit, so the TV then shows everything the GM's pointer did before.
   */
  async function tvCaughtUp(opacity: number): Promise<void> {
    await gm.evaluate(
      (value) =>
        (window as unknown as HookWindow).__tablestage.store.queuePropertyUpdate(['grid', 'opacity'], value),
      opacity,
    );
    await waitForProps(
      tv,
      (p) => p.grid.opacity,
      (o) => o === opacity,
    );
  }

  it('a hover marker shows on the TV only while the GM hovers or selects it; its note never reaches players', async () => {
    await gm.evaluate(
      ({ key, at, label, note }) =>
        (window as unknown as HookWindow).__tablestage.store.addMember(key, {
          position: at,
          color: '#ff00ff',
          label,
          visibility: 'hover',
          gmNote: note,
        }),
      { key: COLLECTION.key, at: AT, label: LABEL, note: NOTE },
    );
    const [id] = await waitForProps(
      gm,
      (p) => Object.keys((p as unknown as Record<string, Record<string, unknown>>)[COLLECTION.key]!),
      (ids) => ids.length === 1,
    );
    await gm.locator('ts-tool-bar [data-tool="select"]').click();
    await moveTo(gm, AWAY);
    // The TV is current (a later edit reached it) and draws nothing there.
    await tvCaughtUp(0.5);
    expect(isMagenta(await pixelAtScene(tv, AT))).toBe(false);
    expect(raw.allBytes().includes(LABEL)).toBe(false);

    // Hovered: on the TV.
    await moveTo(gm, AT);
    await waitForPixel(tv, AT, isMagenta);
    // Away: gone.
    await moveTo(gm, AWAY);
    await waitForPixel(tv, AT, (px) => !isMagenta(px));
    // Selected (a click), then the pointer leaves: still shown while selected.
    const s = await screenPoint(gm, AT);
    await gm.mouse.click(s.x, s.y);
    await gm.waitForFunction(
      (want) => (window as unknown as HookWindow).__tablestage.store.selection.get()?.id === want,
      id,
    );
    await moveTo(gm, AWAY);
    await waitForPixel(tv, AT, isMagenta);
    // Deselected (Escape): gone.
    await gm.keyboard.press('Escape');
    await waitForPixel(tv, AT, (px) => !isMagenta(px));
    // Pointed at with a tool that does not pick members (a fog brush): not revealed.
    await gm.locator('ts-tool-bar [data-tool="fogReveal"]').click();
    await moveTo(gm, AT);
    await tvCaughtUp(0.6);
    expect(isMagenta(await pixelAtScene(tv, AT))).toBe(false);
    await moveTo(gm, AWAY);
    await gm.locator('ts-tool-bar [data-tool="select"]').click();

    expect(raw.allBytes().includes(LABEL)).toBe(true);
    expect(raw.allBytes().includes(NOTE)).toBe(false);
    const tvDoc = await tv.evaluate(() =>
      JSON.stringify((window as unknown as HookWindow).__tablestage.store.manager.doc.toJSON()),
    );
    expect(tvDoc).not.toContain(NOTE);
    expect(tvDoc).not.toContain(LABEL);
  });

  it('the name a GM types shows on their cursor in another GM’s view and survives a reload', async () => {
    const input = gm.locator('ts-user-name input');
    await input.fill(NAME);
    await input.press('Enter');
    await moveTo(gm, AWAY);
    await moveTo(gm, { x: AWAY.x + 20, y: AWAY.y });
    const label = gm2.locator('ts-stage-view .cursor span', { hasText: NAME });
    await label.waitFor({ timeout: 15_000 });

    await gm.reload();
    await waitLive(gm);
    expect(await gm.locator('ts-user-name input').inputValue()).toBe(NAME);
    // The reloaded view opens fitted to the scene's content (the marker): move over the canvas, wherever.
    await moveOnCanvas(gm, 0.3, 0.7);
    await moveOnCanvas(gm, 0.32, 0.7);
    await gm2.locator('ts-stage-view .cursor span', { hasText: NAME }).first().waitFor({ timeout: 15_000 });
  });

  it('with “GM cursors on the TV” off, the TV shows no GM cursor; the other GM still does', async () => {
    const setting = cursorSetting();
    await moveOnCanvas(gm, 0.4, 0.6);
    await moveOnCanvas(gm, 0.42, 0.6);
    await tv.locator('ts-stage-view .cursor span', { hasText: NAME }).waitFor({ timeout: 15_000 });

    await control(gm, setting).locator('input[type=checkbox]').uncheck();
    await waitForProps(
      tv,
      (p) => valueOf(p, setting),
      (v) => v === false,
    );
    await tv.locator('ts-stage-view .cursor').waitFor({ state: 'detached', timeout: 15_000 });
    await moveOnCanvas(gm, 0.5, 0.5);
    await moveOnCanvas(gm, 0.52, 0.5);
    await gm2.locator('ts-stage-view .cursor span', { hasText: NAME }).waitFor({ timeout: 15_000 });
    // The room withdrew the GM's state from the TV; the moves since brought it back, without the cursor.
    const clientId = await gm.evaluate(
      () => (window as unknown as HookWindow).__tablestage.store.manager.awareness.clientID,
    );
    const state = await tv.waitForFunction(
      (id) => (window as unknown as HookWindow).__tablestage.store.manager.awareness.getStates().get(id),
      clientId,
    );
    expect(await state.jsonValue()).not.toHaveProperty('cursor');
    expect(await tv.locator('ts-stage-view .cursor').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
