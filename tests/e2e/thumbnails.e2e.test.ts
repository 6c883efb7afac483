/**
 * Scene thumbnails end to end: the real stack and two GM pages in Chromium
 * on the demo party (a map with markers). The scene on screen gets a
 * thumbnail in the scene list — real pixels, not a blank picture — and after
 * one GM's edit and a quiet spell a new one whose pixels differ, which the
 * other GM's list shows too without making one of its own.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, launchChromium, waitLive } from './browser';
import { control, FOG_TOGGLE } from './helpers';
import { startStack, type RunningStack } from './stack';

/** The shown scene's thumbnail in a GM page's scene list. */
const thumbnailOf = (page: Page): Locator => page.locator('ts-scene-list li[aria-current="true"] img.thumb');

/** The thumbnail's pixels as the page decoded them (RGBA), with its size. */
function pixelsOf(img: Locator): Promise<{ width: number; height: number; data: number[] }> {
  return img.evaluate(async (el: HTMLImageElement) => {
    await el.decode();
    const canvas = document.createElement('canvas');
    canvas.width = el.naturalWidth;
    canvas.height = el.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(el, 0, 0);
    return {
      width: canvas.width,
      height: canvas.height,
      data: [...ctx.getImageData(0, 0, canvas.width, canvas.height).data],
    };
  });
}

/** Distinct colours (to 4 bits a channel) among the opaque pixels: a blank picture has one or two. */
function colours(data: readonly number[]): number {
  const seen = new Set<number>();
  for (let i = 0; i < data.length; i += 4)
    if (data[i + 3]! > 0) seen.add(((data[i]! >> 4) << 8) | ((data[i + 1]! >> 4) << 4) | (data[i + 2]! >> 4));
  return seen.size;
}

/** Mean absolute difference per channel of two pictures of the same size. */
function difference(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

interface MakerState {
  made: number;
  pending: boolean;
}
const makerOf = (page: Page): Promise<MakerState> =>
  page.evaluate(() => {
    const t = (window as unknown as { __tablestage: { thumbnails: MakerState } }).__tablestage.thumbnails;
    return { made: t.made, pending: t.pending };
  });

describe('scene thumbnails, end to end', () => {
  let stack: RunningStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let alice: Page;
  let bob: Page;

  async function open(url: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(url);
    // Two editors cold-started on a shared two-core machine can take a while to go live.
    await waitLive(page, 120_000);
    return page;
  }

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  let first = '';
  let firstPixels: number[] = [];

  it('the scene on screen gets a thumbnail of its real pixels', async () => {
    alice = await open(stack.demo.gm);
    bob = await open(stack.demo.gm);
    const img = thumbnailOf(alice);
    await img.waitFor({ timeout: 30_000 });
    first = (await img.getAttribute('src'))!;
    expect(first).toMatch(/^\/uploads\/[A-Za-z0-9_-]+\.(webp|png)$/);
    const { width, height, data } = await pixelsOf(img);
    expect(Math.max(width, height)).toBeLessThanOrEqual(256);
    expect(Math.min(width, height)).toBeGreaterThan(16);
    // A map with rooms, a grid and markers: many colours, not one blank fill.
    expect(colours(data)).toBeGreaterThan(20);
    firstPixels = data;
    // Both GMs opened the scene without a thumbnail; let both settle before editing.
    await expect
      .poll(async () => (await makerOf(alice)).pending || (await makerOf(bob)).pending, { timeout: 30_000 })
      .toBe(false);
  }, 300_000);

  it("after a GM's edit and a quiet spell, a new thumbnail with other pixels reaches both GMs' lists", async () => {
    const bobMade = (await makerOf(bob)).made;
    await expect.poll(() => thumbnailOf(bob).getAttribute('src'), { timeout: 30_000 }).not.toBeNull();
    const before = (await thumbnailOf(alice).getAttribute('src'))!;
    if (before !== first) firstPixels = (await pixelsOf(thumbnailOf(alice))).data;
    const toggle = control(alice, FOG_TOGGLE).locator('input[type=checkbox]');
    await toggle.setChecked(!(await toggle.isChecked()));
    await expect.poll(() => thumbnailOf(alice).getAttribute('src'), { timeout: 30_000 }).not.toBe(before);
    const after = (await thumbnailOf(alice).getAttribute('src'))!;
    const pixels = await pixelsOf(thumbnailOf(alice));
    expect(pixels.data.length).toBe(firstPixels.length);
    // Fog on (or off) over the whole map changes the picture everywhere, not in a corner.
    expect(difference(pixels.data, firstPixels)).toBeGreaterThan(8);
    await expect.poll(() => thumbnailOf(bob).getAttribute('src'), { timeout: 30_000 }).toBe(after);
    // Bob edited nothing: Alice's edit is pictured once, by Alice, and Bob's page has nothing waiting.
    expect(await makerOf(bob)).toEqual({ made: bobMade, pending: false });
    expect(errors).toEqual([]);
  }, 120_000);
});
