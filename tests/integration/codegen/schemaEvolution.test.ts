/**
 * Schema evolution without loss: data written with today's schema (a libSQL
 * file and a room's stored document), then the schema changes in a temporary
 * tree with declared steps — a scene property renamed, another retyped (a
 * 0–1 fraction becomes an integer percentage), a collection's scalar and
 * point properties renamed — and codegen runs with no terminal. Every value
 * must survive in the DB, in the room's upgraded document, and in what the
 * room's next save writes; and codegen that fails must leave the tree as it was.
 *
 * The room part runs the real `GameSessionRoom.start()` in process over an
 * in-memory room storage filled by the real `DocStore`; it does not go through
 * `partykit dev` (the temp tree's schema would need its own bundle).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Party from 'partykit/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MIGRATIONS_FOLDER, migrateDatabase, openDatabase, type Database } from '../../../engine/db';
import { registry as oldRegistry } from '../../../engine/generated/schemas';
import type { StageProps } from '../../../engine/generated/stageProps';
import type { Registry } from '../../../engine/schema';
import {
  getOrCreateSceneMap,
  getSceneMap,
  getSessionMeta,
  readSceneProps,
  writeSceneProps,
} from '../../../engine/sync/docLayout';
import { recordVersions } from '../../../engine/sync/upgradeDoc';
import { DocStore } from '../../../partykit/core/docStore';
import { memoryStorage } from '../../../partykit/core/testing/memoryStorage';
import { ROOM_ORIGIN } from '../../../partykit/core/syncRoom';
import { GameSessionRoom } from '../../../partykit/session/room';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
/** The migrations the repository already has; a test's temp tree adds its own after these. */
const shipped = readdirSync(join(repo, 'engine/generated/migrations')).filter((f) => f.endsWith('.sql'));
const COPY = ['schemas', 'engine', 'plugins', 'editor', 'partykit', 'package.json', '.prettierrc.json'];
const tsx = join(repo, 'node_modules/.bin/tsx');
const cli = join(repo, 'engine/codegen/cli.ts');

const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

function tempTree(): string {
  const tmp = mkdtempSync(join(tmpdir(), 'tablestage-evolve-'));
  cleanup.push(() => rmSync(tmp, { recursive: true, force: true }));
  for (const path of COPY)
    cpSync(join(repo, path), join(tmp, path), {
      recursive: true,
      filter: (src) => !src.endsWith('.test.ts'),
    });
  symlinkSync(join(repo, 'node_modules'), join(tmp, 'node_modules'));
  return tmp;
}

function edit(file: string, from: string, to: string): void {
  const source = readFileSync(file, 'utf8');
  expect(source, `${file} contains ${from}`).toContain(from);
  writeFileSync(file, source.replace(from, to));
}

/** Codegen as `npm run codegen` runs it, with stdin closed: a prompt would fail, not wait. */
function codegen(root: string) {
  return spawnSync(tsx, [cli, '--root', root], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = join(e.parentPath, e.name);
    if (e.isFile() && !full.includes('node_modules'))
      out.set(relative(dir, full), createHash('sha1').update(readFileSync(full)).digest('hex'));
  }
  return out;
}

function fakeRoom(storage: Party.Storage): Party.Room {
  return { id: 'session1', env: {}, storage } as unknown as Party.Room;
}

// Test data, in today's schema (the repo's): names as data are fine in tests.
const SCENE = { id: 'scene1', lineWidth: 3.5, opacity: 0.25, color: '#336699' };
const MARKER = { id: 'marker1', size: 1.5, position: { x: -120, y: 340 }, label: 'Orc' };

let tmp: string;
let database: Database;
let newRegistry: Registry;
let storage: Party.Storage;
let codegenRun: ReturnType<typeof codegen>;

async function oldData(dir: string): Promise<void> {
  database = await openDatabase({ url: `file:${join(dir, 'test.db')}` });
  cleanup.push(() => database.close());
  await migrateDatabase(database, MIGRATIONS_FOLDER, oldRegistry);
  const run = (sql: string, args: (string | number)[] = []) => database.client.execute({ sql, args });
  await run("INSERT INTO party (id, name, created_at) VALUES ('party1', 'Party', 0)");
  await run(
    "INSERT INTO game_session (id, party_id, name, created_at) VALUES ('session1', 'party1', 'S', 0)",
  );
  await run(
    "INSERT INTO scene (id, game_session_id, name, grid_line_width, grid_opacity, grid_color) VALUES (?, 'session1', 'Cave', ?, ?, ?)",
    [SCENE.id, SCENE.lineWidth, SCENE.opacity, SCENE.color],
  );
  await run(
    "INSERT INTO marker (id, scene_id, created_at, size, position_x, position_y, label) VALUES (?, 'scene1', 0, ?, ?, ?, ?)",
    [MARKER.id, MARKER.size, MARKER.position.x, MARKER.position.y, MARKER.label],
  );

  // The room's document holds the same scene, stored the way a room stores it.
  const doc = new Y.Doc();
  doc.transact(() => {
    const scene = getOrCreateSceneMap(doc, SCENE.id, oldRegistry, { name: 'Cave' });
    const props = readSceneProps(scene, oldRegistry, 'gm') as unknown as Record<
      string,
      Record<string, unknown>
    >;
    Object.assign(props.grid!, { lineWidth: SCENE.lineWidth, opacity: SCENE.opacity, color: SCENE.color });
    const marker = { ...(readSceneProps(scene, oldRegistry, 'gm').markers[MARKER.id] ?? {}) };
    props.markers = {
      [MARKER.id]: {
        ...Object.fromEntries(
          oldRegistry.collection('markers')!.props.map((p) => [p.key, structuredClone(p.decl.default)]),
        ),
        ...marker,
        size: MARKER.size,
        position: MARKER.position,
        label: MARKER.label,
      },
    };
    writeSceneProps(scene, props as unknown as StageProps, oldRegistry);
    recordVersions(doc, oldRegistry);
  }, ROOM_ORIGIN);
  storage = memoryStorage();
  await new DocStore(storage, 'doc:').compact(doc);
}

beforeAll(async () => {
  tmp = tempTree();
  await oldData(tmp);

  // The schema change, with its declared steps.
  edit(
    join(tmp, 'schemas/grid.schema.ts'),
    '  props: {\n',
    `  migrations: [
    { version: 1, rename: { lineWidth: 'thickness' } },
    {
      version: 2,
      up: (v) => (typeof v.opacity === 'number' ? { ...v, opacity: Math.round(v.opacity * 100) } : v),
    },
  ],
  props: {\n`,
  );
  edit(join(tmp, 'schemas/grid.schema.ts'), 'lineWidth: p.number(', 'thickness: p.number(');
  edit(
    join(tmp, 'schemas/grid.schema.ts'),
    'opacity: p.number(0.6, { min: 0, max: 1, step: 0.05 })',
    "opacity: p.integer(60, { min: 0, max: 100, step: 5, unit: '%' })",
  );
  edit(
    join(tmp, 'schemas/marker.schema.ts'),
    '  ],\n  props: {\n',
    "    { version: 2, rename: { size: 'diameter', position: 'place' } },\n  ],\n  props: {\n",
  );
  edit(join(tmp, 'schemas/marker.schema.ts'), 'size: p.number(', 'diameter: p.number(');
  edit(join(tmp, 'schemas/marker.schema.ts'), 'position: p.point(', 'place: p.point(');
  codegenRun = codegen(tmp);
  const generated = (await import(pathToFileURL(join(tmp, 'engine/generated/schemas.ts')).href)) as {
    registry: Registry;
  };
  newRegistry = generated.registry;
}, 180_000);

describe('renaming and retyping a property keeps every stored value', () => {
  it('codegen runs without a terminal and renames the columns in its migration', () => {
    expect(codegenRun.status, codegenRun.stderr).toBe(0);
    const dir = join(tmp, 'engine/generated/migrations');
    const added = readdirSync(dir).filter((f) => f.endsWith('.sql') && !shipped.includes(f));
    expect(added).toHaveLength(1);
    const sql = readFileSync(join(dir, added[0]!), 'utf8');
    expect(sql).toContain('RENAME COLUMN `grid_line_width` TO `grid_thickness`');
    expect(sql).toContain('RENAME COLUMN `position_x` TO `place_x`');
    // A second run finds nothing left to migrate, and leaves a hand edit of a migration alone.
    const handFixed = `${sql}\n-- checked by hand\n`;
    writeFileSync(join(dir, added[0]!), handFixed);
    expect(codegen(tmp).status).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.sql'))).toHaveLength(shipped.length + 1);
    expect(readFileSync(join(dir, added[0]!), 'utf8')).toBe(handFixed);
    writeFileSync(join(dir, added[0]!), sql);
  });

  it('the DB upgrade moves and transforms every value, exactly once', async () => {
    const report = await migrateDatabase(database, join(tmp, 'engine/generated/migrations'), newRegistry);
    expect(report.upgraded).toEqual(expect.arrayContaining(['grid: 0 → 2', 'marker: 1 → 2']));
    const scene = (await database.client.execute("SELECT * FROM scene WHERE id = 'scene1'")).rows[0]!;
    expect(scene).toMatchObject({
      grid_thickness: 3.5,
      grid_opacity: 25,
      grid_color: SCENE.color,
      name: 'Cave',
    });
    expect(scene).not.toHaveProperty('grid_line_width');
    const marker = (await database.client.execute('SELECT * FROM marker')).rows[0]!;
    expect(marker).toMatchObject({ diameter: 1.5, place_x: -120, place_y: 340, label: 'Orc' });
    const again = await migrateDatabase(database, join(tmp, 'engine/generated/migrations'), newRegistry);
    expect(again).toEqual({ applied: 0, upgraded: [] });
    const after = (await database.client.execute("SELECT grid_opacity FROM scene WHERE id = 'scene1'"))
      .rows[0];
    expect(after).toMatchObject({ grid_opacity: 25 });
  });

  it('the room upgrades its stored document on start, and its next save writes the migrated values', async () => {
    const room = new GameSessionRoom(fakeRoom(storage), newRegistry);
    await room.start();
    const sceneMap = getSceneMap(room.doc, SCENE.id)!;
    const props = readSceneProps(sceneMap, newRegistry, 'gm') as unknown as Record<
      string,
      Record<string, unknown>
    >;
    expect(props.grid).toMatchObject({ thickness: 3.5, opacity: 25, color: SCENE.color });
    expect((sceneMap.get('grid') as Y.Map<unknown>).has('lineWidth')).toBe(false);
    const markers = props.markers as Record<string, Record<string, unknown>>;
    expect(markers[MARKER.id]).toMatchObject({ diameter: 1.5, place: MARKER.position, label: 'Orc' });
    expect(getSessionMeta(room.doc).get('schemaVersions')).toMatchObject({ grid: 2, marker: 2 });

    // What the room's save writes (the temp tree's generated converters) equals the migrated DB, column by column.
    const converters = (await import(pathToFileURL(join(tmp, 'engine/generated/converters.ts')).href)) as {
      convertStagePropsToSceneData(p: unknown): Record<string, unknown>;
      collectionConverters: Record<string, (p: unknown, sceneId: string) => Record<string, unknown>[]>;
    };
    const stage = readSceneProps(sceneMap, newRegistry, 'gm');
    const saved = converters.convertStagePropsToSceneData(stage);
    const row = (await database.client.execute("SELECT * FROM scene WHERE id = 'scene1'")).rows[0]!;
    const asDb = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
    for (const plugin of newRegistry.scenePlugins)
      for (const prop of plugin.props)
        for (const c of prop.columns) expect(asDb(saved[c.field]), c.name).toEqual(row[c.name]);
    const savedMarker = converters.collectionConverters.markers!(stage, SCENE.id)[0]!;
    const markerRow = (await database.client.execute('SELECT * FROM marker')).rows[0]!;
    for (const prop of newRegistry.collection('markers')!.props)
      for (const c of prop.columns) expect(asDb(savedMarker[c.field]), c.name).toEqual(markerRow[c.name]);

    // A restarted room does not run the steps again.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const restarted = new GameSessionRoom(fakeRoom(storage), newRegistry);
    await restarted.start();
    const again = readSceneProps(
      getSceneMap(restarted.doc, SCENE.id)!,
      newRegistry,
      'gm',
    ) as unknown as Record<string, Record<string, unknown>>;
    expect(again.grid).toMatchObject({ thickness: 3.5, opacity: 25 });
  });
});

describe('codegen is all or nothing', () => {
  it('a property removed without a step stops codegen, naming the file, and changes no file', () => {
    const root = tempTree();
    edit(join(root, 'schemas/grid.schema.ts'), 'lineWidth: p.number(', 'thickness: p.number(');
    const before = hashes(root);
    const run = codegen(root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('schemas/grid.schema.ts');
    expect(run.stderr).toContain('scene.grid_line_width');
    expect(hashes(root)).toEqual(before);
  }, 120_000);

  it('a step that renames to a property that does not exist stops codegen and changes no file', () => {
    const root = tempTree();
    edit(
      join(root, 'schemas/grid.schema.ts'),
      '  props: {\n',
      "  migrations: [{ version: 1, rename: { lineWidth: 'thickness' } }],\n  props: {\n",
    );
    const before = hashes(root);
    const run = codegen(root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /schemas\/grid\.schema\.ts: grid\.migrations\[version 1\]: renames "lineWidth"/,
    );
    expect(hashes(root)).toEqual(before);
  }, 120_000);
});

describe('splitting a property, then squashing unreleased migrations', () => {
  /** A DB at today's (the repo's) schema with one marker of the given size. */
  async function dbWithMarker(dir: string, size: number): Promise<Database> {
    const db = await openDatabase({ url: `file:${join(dir, `split-${size}.db`)}` });
    cleanup.push(() => db.close());
    await migrateDatabase(db, MIGRATIONS_FOLDER, oldRegistry);
    await db.client.execute("INSERT INTO party (id, name, created_at) VALUES ('p', 'P', 0)");
    await db.client.execute(
      "INSERT INTO game_session (id, party_id, name, created_at) VALUES ('g', 'p', 'S', 0)",
    );
    await db.client.execute("INSERT INTO scene (id, game_session_id, name) VALUES ('s', 'g', 'Cave')");
    await db.client.execute({
      sql: "INSERT INTO marker (id, scene_id, created_at, size, label) VALUES ('m', 's', 0, ?, 'Orc')",
      args: [size],
    });
    return db;
  }

  it('drops a column while adding others (no prompt), and a squash keeps the upgrade working', async () => {
    const root = tempTree();
    const db = await dbWithMarker(root, 1.5);
    edit(
      join(root, 'schemas/marker.schema.ts'),
      '  ],\n  props: {\n',
      `    {
      version: 2,
      drop: ['size'],
      up: (v) => (typeof v.size === 'number' ? { ...v, width: v.size, height: v.size } : v),
    },
  ],
  props: {
    width: p.number(1, { min: 0.25, max: 16 }),
    height: p.number(1, { min: 0.25, max: 16 }),\n`,
    );
    edit(
      join(root, 'schemas/marker.schema.ts'),
      "    size: p.number(1, { min: 0.25, max: 16, step: 0.25, unit: 'cells', label: 'Size (cells)' }),\n",
      '',
    );
    const run = codegen(root);
    expect(run.status, run.stderr).toBe(0);
    const migrations = join(root, 'engine/generated/migrations');
    const { registry: next } = (await import(
      pathToFileURL(join(root, 'engine/generated/schemas.ts')).href
    )) as {
      registry: Registry;
    };
    await migrateDatabase(db, migrations, next);
    const row = (await db.client.execute('SELECT * FROM marker')).rows[0]!;
    expect(row).toMatchObject({ width: 1.5, height: 1.5, label: 'Orc' });
    expect(row).not.toHaveProperty('size');

    // Another unreleased change, then a squash of everything after the released migration.
    edit(join(root, 'schemas/grid.schema.ts'), '  props: {\n', '  props: {\n    dashed: p.boolean(false),\n');
    expect(codegen(root).status).toBe(0);
    const sqlFiles = () => readdirSync(migrations).filter((f) => f.endsWith('.sql'));
    expect(sqlFiles()).toHaveLength(shipped.length + 2);
    // Everything the repository ships counts as released; the two added here are squashed.
    const released = shipped.at(-1)!.replace(/\.sql$/, '');
    const squash = spawnSync(tsx, [cli, '--root', root, '--squash', released], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(squash.status, squash.stderr).toBe(0);
    expect(sqlFiles()).toHaveLength(shipped.length + 1);
    expect(spawnSync(tsx, [cli, '--root', root, '--check'], { encoding: 'utf8' }).status).toBe(0);

    // A database at the released schema upgrades through the squashed migration alike.
    const released2 = await dbWithMarker(root, 0.5);
    // (The marker schema is unchanged since `next` was loaded; grid only gained a column.)
    await migrateDatabase(released2, migrations, next);
    expect((await released2.client.execute('SELECT * FROM marker')).rows[0]).toMatchObject({
      width: 0.5,
      height: 0.5,
    });
    expect((await released2.client.execute('SELECT grid_dashed FROM scene')).rows[0]).toMatchObject({
      grid_dashed: 0,
    });
  }, 240_000);
});
