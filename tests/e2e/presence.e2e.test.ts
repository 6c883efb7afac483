/**
 * A raw player client (not the editor: a bare WebSocket speaking the Y.js
 * protocol) sends hostile presence into the real `npm start` stack while a
 * GM has the editor open in Chromium. The GM page must show the player's
 * cursor with only validated presence: no attacker style, no attacker
 * markup or text beyond the bounded name, and no request to the attacker's
 * URL. And the GM's "New player link" cuts off an open player view, which
 * says the link was replaced, while the new link works.
 */
import { ticketsFromApp } from '../../engine/sync/tickets';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../integration/partykit/support';
import { collectErrors, launchChromium, waitLive } from './browser';
import { startStack, type RunningStack } from './stack';

const ATTACKER = 'attacker.invalid';

describe('hostile presence, end to end', () => {
  let stack: RunningStack;
  let browser: Browser;
  let gm: Page;
  let raw: RawClient | undefined;
  const requests: string[] = [];
  const errors: string[] = [];
  let created: { party: { id: string }; gameSession: { id: string }; scenes: { id: string }[] };
  let playerToken = '';
  let playerLink = '';

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const res = await fetch(`${stack.editorUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Presence party' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as typeof created & { links: { gm: string }; tokens: { player: string } };
    created = body;
    playerToken = body.tokens.player;
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.editorUrl });
    gm = await context.newPage();
    errors.push(...collectErrors(gm));
    gm.on('request', (r) => requests.push(r.url()));
    await gm.goto(stack.editorUrl + body.links.gm);
    await waitLive(gm);
    playerLink = stack.editorUrl + (body as unknown as { links: { player: string } }).links.player;
  });

  afterAll(async () => {
    raw?.close();
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('the GM page shows nothing of a player’s hostile presence but its bounded name', async () => {
    // The editor's way in: a one-use ticket fetched with the token in a header, only the ticket in the URL.
    const ticket = await ticketsFromApp(
      stack.appUrl,
      playerToken,
    )({
      party: 'game_session',
      room: created.gameSession.id,
    });
    const url = `ws://127.0.0.1:${stack.partykitPort}/parties/game_session/${created.gameSession.id}?ticket=${encodeURIComponent(ticket)}`;
    raw = await RawClient.connect(url);
    await raw.whenSynced();
    const name = `<img src=http://${ATTACKER}/n.png>`;
    raw.sendAwareness(
      raw.doc.clientID,
      {
        user: {
          id: 'the-gm',
          role: 'gm',
          name: `${name}${'X'.repeat(60)}`,
          color: `red;position:fixed;inset:0;z-index:99;background:url(http://${ATTACKER}/bg.png)`,
        },
        cursor: { x: 400, y: 300, s: created.scenes[0]!.id },
        overlay: `<div style="position:fixed;inset:0">OWNED by http://${ATTACKER}</div>`,
      },
      1,
    );

    const cursor = gm.locator('ts-stage-view .cursor');
    await cursor.first().waitFor({ timeout: 15_000 });
    expect(await cursor.count()).toBe(1);
    const label = cursor.locator('span');
    // The name is text, cut to 40 characters; no element was made of it.
    expect(await label.textContent()).toBe(`${name}${'X'.repeat(40 - name.length)}`);
    expect(await cursor.locator('img').count()).toBe(0);
    // The colour was not a #rrggbb colour: the fallback grey, and nothing else reached the styles.
    const styles = await label.evaluate((el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, image: s.backgroundImage, position: s.position };
    });
    expect(styles).toEqual({ background: 'rgb(136, 136, 136)', image: 'none', position: 'static' });
    const inline = await cursor.evaluate((el) => el.outerHTML);
    expect(inline).not.toContain('url(');
    expect(inline).not.toContain('fixed');
    // The id the GM sees is the room's, not the one the player claimed.
    expect(await cursor.getAttribute('data-user')).not.toBe('the-gm');

    // Two frames after the cursor was drawn, any background image would have been requested.
    await gm.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))),
    );
    expect(requests.filter((u) => u.includes(ATTACKER))).toEqual([]);
    expect(await gm.evaluate(() => document.body.innerText)).not.toContain('OWNED');
    expect(errors).toEqual([]);
  });

  it('“New player link” closes an open player view with “link replaced”; the new link works', async () => {
    // The GM page dropped the token from its address once it had it.
    expect(new URL(gm.url()).searchParams.has('token')).toBe(false);
    const context = await browser.newContext();
    const player = await context.newPage();
    await player.goto(playerLink);
    await waitLive(player);
    expect(new URL(player.url()).searchParams.has('token')).toBe(false);

    gm.on('dialog', (d) => void d.accept());
    await gm.locator('ts-link-menu summary').click();
    await gm.locator('ts-link-menu [data-link-action="new-player"]').click();
    await player.locator('ts-error-screen [data-problem="replaced"]').waitFor({ timeout: 15_000 });
    expect(await player.locator('ts-error-screen [data-problem="replaced"]').textContent()).toContain(
      'This link was replaced',
    );

    // The rooms close the old link's sockets before the API answers the GM, so the player may show
    // "replaced" before the GM page has the new link: it says so once it has copied it.
    await gm
      .locator('ts-status-bar .message', { hasText: 'New player link copied' })
      .waitFor({ timeout: 15_000 });
    const copied = await gm.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/\/play\/[^/?]+\?token=/);
    expect(copied).not.toBe(playerLink);
    // The GM kept working: its own link was not replaced.
    expect(await gm.locator('ts-error-screen').count()).toBe(0);
    const fresh = await context.newPage();
    await fresh.goto(copied);
    await waitLive(fresh);
    await context.close();
  });
});
