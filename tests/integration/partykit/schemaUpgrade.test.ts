/**
 * A rename and a retype across a real deployment: today's code (app server
 * and `partykit dev`) stores a scene in the DB and in the room's snapshot;
 * then a temporary copy of the code with a changed schema (declared steps,
 * codegen run) boots its app server (which migrates the DB) and its rooms
 * over the same DB and room storage. The GM sees every value under its new
 * name, and the room's next save keeps them in the DB.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { freePort, startPartykit, type PartykitDev } from '../../harness/partykit';
import {
  INTERNAL_SECRET,
  TOKEN_SECRET,
  createParty,
  dbScene,
  providerClient,
  sceneOf,
  startApp,
  startRooms,
  ticketsFrom,
  waitFor,
} from './support';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const COPY = [
  'schemas',
  'plugins',
  'engine',
  'partykit',
  'partykit.json',
  'server',
  'editor',
  'package.json',
  '.prettierrc.json',
];

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function edit(file: string, from: string, to: string): void {
  const source = readFileSync(file, 'utf8');
  expect(source).toContain(from);
  writeFileSync(file, source.replace(from, to));
}

/** The temporary tree with the changed schema, codegen run (no terminal). */
function changedTree(): string {
  const tmp = mkdtempSync(join(tmpdir(), 'tablestage-upgrade-'));
  cleanup.push(() => rmSync(tmp, { recursive: true, force: true }));
  for (const path of COPY)
    cpSync(join(repo, path), join(tmp, path), {
      recursive: true,
      filter: (src) => !src.endsWith('.test.ts'),
    });
  symlinkSync(join(repo, 'node_modules'), join(tmp, 'node_modules'));
  const grid = join(tmp, 'schemas/grid.schema.ts');
  edit(
    grid,
    '  props: {\n',
    `  migrations: [
    { version: 1, rename: { lineWidth: 'thickness' } },
    { version: 2, up: (v) => (typeof v.opacity === 'number' ? { ...v, opacity: Math.round(v.opacity * 100) } : v) },
  ],
  props: {\n`,
  );
  edit(grid, 'lineWidth: p.number(', 'thickness: p.number(');
  edit(
    grid,
    'opacity: p.number(0.6, { min: 0, max: 1, step: 0.05 })',
    'opacity: p.integer(60, { min: 0, max: 100 })',
  );
  const run = spawnSync(join(repo, 'node_modules/.bin/tsx'), [join(tmp, 'engine/codegen/cli.ts')], {
    cwd: tmp,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(run.status, run.stderr).toBe(0);
  return tmp;
}

/** The changed tree's app server (`tsx server/main.ts`), which migrates the DB as it boots. */
async function startChangedApp(tmp: string, dir: string): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(join(repo, 'node_modules/.bin/tsx'), [join(tmp, 'server/main.ts')], {
    cwd: tmp,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      APP_PORT: String(port),
      DATA_DIR: dir,
      DATABASE_URL: `file:${join(dir, 'test.db')}`,
      TOKEN_SECRET,
      INTERNAL_SECRET,
    },
  });
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  cleanup.push(() => proc.kill('SIGTERM'));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the changed app server (${log})`, async () => (await fetch(`${url}/api/health`)).ok, 60_000);
  return { url, proc };
}

describe('a renamed and retyped property across the DB and a live room', () => {
  it('keeps every value in the DB, in the room and after its next save', async () => {
    // Today's code: a GM sets the values; the room saves them and keeps its snapshot.
    const app = await startApp();
    const persistDir = mkdtempSync(join(tmpdir(), 'tablestage-upgrade-rooms-'));
    cleanup.push(() => rmSync(persistDir, { recursive: true, force: true }));
    cleanup.push(() => rmSync(app.dir, { recursive: true, force: true }));
    let pk: PartykitDev = await startRooms(app, persistDir);
    const party = await createParty(app);
    const before = providerClient(pk, 'game_session', party.gameSessionId, party.gm);
    await before.whenSynced();
    const grid = () => sceneOf(before.doc, party.sceneId)!.get('grid') as Y.Map<unknown>;
    before.doc.transact(() => {
      grid().set('lineWidth', 3.5);
      grid().set('opacity', 0.25);
    });
    await waitFor('the save of the old values', async () => {
      const scene = await dbScene(app, party.gameSessionId, party.sceneId);
      return scene?.props.grid.lineWidth === 3.5 && scene.props.grid.opacity === 0.25;
    });
    before.provider.destroy();
    await pk.stop();
    await app.stop();
    app.database.close();

    // The changed code over the same DB file and the same room storage.
    const tmp = changedTree();
    const changed = await startChangedApp(tmp, app.dir);
    pk = ticketsFrom(
      await startPartykit({
        root: tmp,
        persistDir,
        vars: { TOKEN_SECRET, INTERNAL_SECRET, APP_URL: changed.url },
      }),
      changed.url,
    );
    cleanup.push(() => pk.stop());
    const db = createClient({ url: `file:${join(app.dir, 'test.db')}` });
    cleanup.push(() => db.close());
    const row = async () =>
      (await db.execute({ sql: 'SELECT * FROM scene WHERE id = ?', args: [party.sceneId] })).rows[0]!;
    expect(await row()).toMatchObject({ grid_thickness: 3.5, grid_opacity: 25 });

    const after = providerClient(pk, 'game_session', party.gameSessionId, party.gm);
    cleanup.push(() => after.provider.destroy());
    await after.whenSynced();
    const group = (await waitFor('the upgraded grid group', () => {
      const g = sceneOf(after.doc, party.sceneId)?.get('grid') as Y.Map<unknown> | undefined;
      return g?.has('thickness') ? g : undefined;
    }))!;
    expect(group.toJSON()).toMatchObject({ thickness: 3.5, opacity: 25 });
    expect(group.has('lineWidth')).toBe(false);

    // The next save (triggered by another edit) writes the migrated values, not defaults.
    group.set('color', '#123456');
    await waitFor('the next save', async () => (await row()).grid_color === '#123456');
    expect(await row()).toMatchObject({ grid_thickness: 3.5, grid_opacity: 25, grid_color: '#123456' });
  }, 300_000);
});
