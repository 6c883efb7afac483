/**
 * The TV's performance tier end to end, on the real stack in Chromium: the
 * player link picks the tier automatically (starting high, shown on the
 * stage as `data-tier` / `data-tier-mode`), `?tier=low` on the link pins it,
 * the pinned tier reaches the renderer the plugins read, and it survives the
 * token leaving the address bar. The GM editor is never automatic.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, launchChromium, waitLive } from './browser';
import { startStack, type RunningStack } from './stack';

/** The tier the page's stage shows, its mode, and the tier its renderer runs at. */
function tierOf(page: Page) {
  return page.evaluate(() => {
    // The stage sits in the pages' shadow roots: search them all.
    const find = (root: Document | ShadowRoot): Element | null => {
      const hit = root.querySelector('ts-stage-view');
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) {
        const inner = el.shadowRoot && find(el.shadowRoot);
        if (inner) return inner;
      }
      return null;
    };
    const stage = find(document);
    return {
      shown: stage?.getAttribute('data-tier'),
      mode: stage?.getAttribute('data-tier-mode'),
      renderer: window.__tablestage?.renderer()?.tier,
      address: location.search,
    };
  });
}

describe('performance tier on the TV', () => {
  let stack: RunningStack;
  let browser: Browser;
  const errors: string[] = [];
  let links: { gm: string; player: string };

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const res = await fetch(`${stack.editorUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Tier party' }),
    });
    expect(res.status).toBe(201);
    ({ links } = (await res.json()) as { links: typeof links });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const open = async (link: string) => {
    const page = await (await browser.newContext({ viewport: { width: 960, height: 540 } })).newPage();
    errors.push(...collectErrors(page));
    await page.goto(stack.editorUrl + link);
    await waitLive(page);
    await page.waitForFunction(() => !!window.__tablestage?.renderer());
    return page;
  };

  it('the player link is automatic from high; `?tier=low` pins low; the GM editor stays pinned high', async () => {
    const tv = await open(links.player);
    expect(await tierOf(tv)).toMatchObject({ shown: 'high', mode: 'auto', renderer: 'high' });

    const pinned = await open(`${links.player}&tier=low`);
    const t = await tierOf(pinned);
    expect(t).toMatchObject({ shown: 'low', mode: 'fixed', renderer: 'low' });
    // The token left the address bar; the tier stayed (a reload keeps the TV pinned).
    expect(t.address).toBe('?tier=low');

    const gm = await open(links.gm);
    expect(await tierOf(gm)).toMatchObject({ shown: 'high', mode: 'fixed', renderer: 'high' });
    expect(errors).toEqual([]);
    // Three pages going live on a shared 2-core machine.
  }, 240_000);
});
