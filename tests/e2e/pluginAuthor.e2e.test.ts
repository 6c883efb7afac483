/**
 * The plugin author's whole journey, end to end: copy the repository, add the
 * example plugin (`tests/fixtures/example-plugin/`: one schema file and one
 * plugin folder), run codegen, typecheck, start the real stack from that tree
 * and use the plugin in Chromium — its tool, its members, its binary channel
 * and its room rule — across a restart. Nothing outside `schemas/`,
 * `plugins/` and `generated/` folders may change.
 *
 * The names below (beacon, its tool and properties) are test data: the
 * fixture's, not the repository's.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageProps } from '../../engine/generated/stageProps';
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
import { screenPoint } from './helpers';
import { startStack, type RunningStack } from './stack';

const REPO = resolve(import.meta.dirname, '../..');
const FIXTURE = join(REPO, 'tests/fixtures/example-plugin');
// What `npm start` needs; tests stay behind (the copy is what an author's clone runs, not its suites).
const COPY = [
  'schemas',
  'engine',
  'plugins',
  'editor',
  'partykit',
  'server',
  'scripts',
  'package.json',
  'partykit.json',
  'tsconfig.json',
  'vite.config.ts',
  '.prettierrc.json',
];
// Test data: the fixture's names.
const TOOL = 'beacon';
const COLLECTION = 'beacons';
const EMBLEM_KEY = 'beaconGlyph/emblem';
const EMBLEM = [0x18, 0x18, 0x18, 0xff, 0xff, 0x18, 0x18, 0x18];
const SECRET_COLOR = '#0a0b0c';
const A: Point = { x: 420, y: 300 };
const B: Point = { x: 620, y: 300 };
// Inside A's core, off its emblem's cells (the emblem is a plus sign in the middle).
const A_CORE: Point = { x: A.x - 12, y: A.y - 12 };

type Member = Record<string, unknown>;
const beacons = (props: StageProps) =>
  ((props as unknown as Record<string, Record<string, Member>>)[COLLECTION] ?? {}) as Record<string, Member>;
const yellow = ([r, g, b]: number[]) => r! > 200 && g! > 160 && b! < 120;
const dark = ([r, g, b]: number[]) => r! < 80 && g! < 80 && b! < 80;

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = join(e.parentPath, e.name);
    if (e.isFile() && !full.includes('node_modules'))
      out.set(relative(dir, full), createHash('sha1').update(readFileSync(full)).digest('hex'));
  }
  return out;
}

function run(cwd: string, cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

/** The page's stored values of the plugin's channel, key → bytes. */
function blobsOf(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => {
    const hook = (
      window as unknown as { __tablestage: { store: { blobs: { get(): Map<string, Uint8Array> } } } }
    ).__tablestage;
    return Object.fromEntries([...hook.store.blobs.get()].map(([k, v]) => [k, [...v]]));
  });
}

describe('a plugin author adds the example plugin and uses it in the running app', () => {
  let tmp: string;
  let dataDir: string;
  let before: Map<string, string>;
  let stack: RunningStack | undefined;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  // Every WebSocket byte each page received, to prove what players never get.
  const received = new Map<Page, Buffer[]>();
  let links = { gm: '', player: '' };
  let gm: Page;
  let gm2: Page;
  let player: Page;
  let shown = '';
  let hidden = '';

  async function open(path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    errors.push(...collectErrors(page));
    const frames: Buffer[] = [];
    received.set(page, frames);
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(Buffer.from(payload))));
    await page.goto(stack!.editorUrl + path);
    await waitLive(page);
    return page;
  }

  async function closePages(): Promise<void> {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tablestage-plugin-e2e-'));
    dataDir = mkdtempSync(join(tmpdir(), 'tablestage-plugin-e2e-data-'));
    for (const path of COPY)
      cpSync(join(REPO, path), join(tmp, path), {
        recursive: true,
        filter: (src) => !src.endsWith('.test.ts'),
      });
    symlinkSync(join(REPO, 'node_modules'), join(tmp, 'node_modules'));
    before = hashes(tmp);

    // The author's whole change: a schema file and a plugin folder, then codegen.
    cpSync(join(FIXTURE, 'schemas'), join(tmp, 'schemas'), { recursive: true });
    cpSync(join(FIXTURE, 'plugins'), join(tmp, 'plugins'), { recursive: true });
    run(tmp, join(REPO, 'node_modules/.bin/tsx'), ['engine/codegen/cli.ts', '--root', tmp]);
    run(tmp, join(REPO, 'node_modules/.bin/tsc'), ['--noEmit', '-p', tmp]);

    stack = await startStack({ timeoutMs: 120_000, root: tmp, dataDir });
    browser = await launchChromium();
    const res = await fetch(`${stack.editorUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Plugin author party' }),
    });
    expect(res.status).toBe(201);
    links = ((await res.json()) as { links: typeof links }).links;
    gm = await open(links.gm);
    gm2 = await open(links.gm);
    player = await open(links.player);
  }, 600_000);

  afterAll(async () => {
    await closePages();
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the plugin’s tool in the toolbar', async () => {
    await gm.locator(`ts-tool-bar [data-tool="${TOOL}"]`).waitFor({ timeout: 10_000 });
  });

  it('places a member where the GM clicks, which the second GM and the player receive', async () => {
    await gm.locator(`ts-tool-bar [data-tool="${TOOL}"]`).click();
    const at = await screenPoint(gm, A);
    await gm.mouse.click(at.x, at.y);
    const ids = await waitForProps(
      gm,
      (p) => Object.keys(beacons(p)),
      (v) => v.length === 1,
    );
    shown = ids[0]!;
    for (const page of [gm2, player])
      expect(
        await waitForProps(
          page,
          (p) => beacons(p)[shown]?.position,
          (v) => v !== undefined,
        ),
      ).toEqual(A);
  });

  it('syncs the binary channel the tool wrote, and the player view draws the member with it', async () => {
    await expect.poll(async () => (await blobsOf(gm2))[EMBLEM_KEY], { timeout: 15_000 }).toEqual(EMBLEM);
    await waitForPixel(player, A_CORE, yellow);
    // The emblem's middle cells are set: the render module drew the channel's value.
    await waitForPixel(player, A, dark);
  });

  it('applies the room rule: a reach below the radius is raised to it for everyone', async () => {
    // The tool selected the new beacon, so the inspector shows its properties.
    const reach = gm.locator('ts-inspector-column .member [label="Reach"] input[type=number]');
    await reach.fill('5');
    await reach.press('Tab');
    const radius = beacons(await propsOf(gm2))[shown]!.radius;
    for (const page of [gm, gm2])
      await waitForProps(
        page,
        (p) => beacons(p)[shown]?.reach,
        (v) => v === radius,
      );
  });

  it('never sends a hidden member to a player', async () => {
    const at = await screenPoint(gm, B);
    await gm.mouse.click(at.x, at.y);
    const ids = await waitForProps(
      gm,
      (p) => Object.keys(beacons(p)),
      (v) => v.length === 2,
    );
    hidden = ids.find((id) => id !== shown)!;
    await gm
      .locator('ts-inspector-column .member [label="Hidden from players"] input[type=checkbox]')
      .check();
    await waitForProps(
      player,
      (p) => beacons(p)[hidden],
      (v) => v === undefined,
    );
    await waitForPixel(player, B, (px) => !yellow(px));

    // Edited while hidden: the new colour must reach the other GM and no byte of the player's connections.
    const color = gm.locator('ts-inspector-column .member [label="Color"] input[type=color]');
    await color.fill(SECRET_COLOR);
    await color.blur();
    await waitForProps(
      gm2,
      (p) => beacons(p)[hidden]?.color,
      (v) => v === SECRET_COLOR,
    );
    // A player who connects now must not even learn the member's id (the first player saw it while it was
    // visible: a Y.js map keeps a removed entry's key, so only this one can be asked that).
    const late = await open(links.player);
    await waitForProps(
      late,
      (p) => beacons(p)[shown],
      (v) => v !== undefined,
    );
    expect(await documentText(late)).not.toContain(hidden);
    for (const page of [player, late]) {
      const bytes = Buffer.concat(received.get(page) ?? []);
      expect(bytes.includes(shown)).toBe(true);
      expect(bytes.includes(SECRET_COLOR)).toBe(false);
    }
  });

  it('stores members and the channel value in the database', async () => {
    const db = createClient({ url: `file:${join(dataDir, 'tablestage.db')}` });
    try {
      await expect
        .poll(
          async () =>
            (await db.execute('SELECT id, reach, radius, hidden, color FROM beacon ORDER BY id')).rows.map(
              (r) => ({
                ...r,
              }),
            ),
          { timeout: 30_000 },
        )
        .toEqual(
          [
            { id: shown, reach: 24, radius: 24, hidden: 0, color: '#ffd43b' },
            { id: hidden, reach: 64, radius: 24, hidden: 1, color: SECRET_COLOR },
          ].sort((a, b) => (a.id < b.id ? -1 : 1)),
        );
      const blob = (
        await db.execute({ sql: 'SELECT data FROM scene_blob WHERE key = ?', args: [EMBLEM_KEY] })
      ).rows[0];
      expect([...new Uint8Array(blob!.data as ArrayBuffer)]).toEqual(EMBLEM);
    } finally {
      db.close();
    }
  });

  it('keeps everything across a restart of the stack', async () => {
    await closePages();
    await stack!.stop();
    stack = await startStack({ timeoutMs: 120_000, root: tmp, dataDir });
    const page = await open(links.gm);
    const after = beacons(await propsOf(page));
    expect(after[shown]).toMatchObject({ position: A, reach: 24, hidden: false });
    expect(after[hidden]).toMatchObject({ position: B, hidden: true, color: SECRET_COLOR });
    expect((await blobsOf(page))[EMBLEM_KEY]).toEqual(EMBLEM);
    const again = await open(links.player);
    await waitForPixel(again, A, dark);
    await waitForPixel(again, A_CORE, yellow);
    expect(beacons(await propsOf(again))[hidden]).toBeUndefined();
    expect(errors).toEqual([]);
  }, 240_000);

  it('changed no file outside schemas/, plugins/ and generated/ folders', () => {
    const after = hashes(tmp);
    const changed = [...after].filter(([f, h]) => before.get(f) !== h).map(([f]) => f);
    const removed = [...before.keys()].filter((f) => !after.has(f));
    expect(changed).toContain('schemas/beacon.schema.ts');
    expect(changed).toContain('plugins/beacon/index.ts');
    expect(removed).toEqual([]);
    for (const f of changed) expect(f, f).toMatch(/^(schemas\/|plugins\/|(.+\/)?generated\/)/);
  });
});
