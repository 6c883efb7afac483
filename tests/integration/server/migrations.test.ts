import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultColumn } from '../../../engine/schema';
import {
  migrateDatabase,
  MIGRATIONS_FOLDER,
  openDatabase,
  propertyColumns,
  type Database,
} from '../../../engine/db';
import { registry } from '../../../engine/generated/schemas';
import { startAppServer } from '../../../server/app';
import { INTERNAL_SECRET, TOKEN_SECRET } from './harness';

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as Journal;

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tablestage-migrate-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the migrations folder that only knows the first `n` migrations: the code as it was back then. */
function migrationsUpTo(n: number): string {
  const dir = join(tempDir(), 'migrations');
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  writeFileSync(
    join(dir, 'meta', '_journal.json'),
    JSON.stringify({ ...journal, entries: journal.entries.slice(0, n) }),
  );
  return dir;
}

interface Snapshot {
  tables: Record<string, { columns: Record<string, unknown>; checkConstraints: Record<string, unknown> }>;
}
const snapshot = (idx: number) =>
  JSON.parse(
    readFileSync(join(MIGRATIONS_FOLDER, 'meta', `${String(idx).padStart(4, '0')}_snapshot.json`), 'utf8'),
  ) as Snapshot;

/**
 * Records the plugin versions the previous release wrote with: a plugin whose newest step came with the
 * newest migration (its columns or their checks changed there) was one version back. Without this a
 * fresh database records today's versions, and the newest step's values would never be upgraded.
 */
async function recordPreviousVersions(db: Database): Promise<void> {
  const [before, after] = [snapshot(journal.entries.length - 2), snapshot(journal.entries.length - 1)];
  const shape = (s: Snapshot, table: string, column: string) =>
    JSON.stringify([
      s.tables[table]?.columns[column],
      s.tables[table]?.checkConstraints[`${table}_${column}_check`],
    ]);
  for (const plugin of registry.plugins) {
    const columns = plugin.props.flatMap((p) => p.columns.map((c) => c.name));
    const changed = columns.some((c) => shape(before, plugin.table, c) !== shape(after, plugin.table, c));
    if (plugin.version > 0 && changed)
      await db.client.execute({
        sql: 'UPDATE plugin_schema_version SET version = ? WHERE plugin = ?',
        args: [plugin.version - 1, plugin.name],
      });
  }
}

async function open(dir: string): Promise<Database> {
  const db = await openDatabase({ url: `file:${join(dir, 'tablestage.db')}` });
  cleanup.unshift(() => db.close());
  return db;
}

async function tableColumns(db: Database, table: string): Promise<string[]> {
  const res = await db.client.execute(`PRAGMA table_info(${JSON.stringify(table)})`);
  return res.rows.map((r) => String(r.name));
}

/** Inserts one row into every table that exists at this point, filling only the columns that exist. */
async function insertRowsAtOldSchema(db: Database): Promise<Record<string, string>> {
  const ids = { party: 'oldParty1', game_session: 'oldSession1', scene: 'oldScene1' };
  const parents: Record<string, string> = {
    party_id: ids.party,
    game_session_id: ids.game_session,
    scene_id: ids.scene,
  };
  const inserted: Record<string, string> = {};
  const order = ['party', 'game_session', 'scene', ...registry.collections.map((c) => c.table)];
  for (const table of order) {
    const info = await db.client.execute(`PRAGMA table_info(${JSON.stringify(table)})`);
    if (info.rows.length === 0) continue;
    const id = table in ids ? ids[table as keyof typeof ids] : `old-${table}-1`;
    const cols: string[] = [];
    const args: (string | number)[] = [];
    for (const r of info.rows) {
      const name = String(r.name);
      const required = Number(r.notnull) === 1 && r.dflt_value === null;
      if (name === 'id') args.push(id);
      else if (name in parents) args.push(parents[name]!);
      else if (name === 'name') args.push(`Old ${table}`);
      else if (required) args.push(String(r.type).toUpperCase() === 'TEXT' ? '' : 0);
      else continue;
      cols.push(`"${name}"`);
    }
    await db.client.execute({
      sql: `INSERT INTO "${table}" (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      args,
    });
    inserted[table] = id;
  }
  return inserted;
}

describe('migrations', () => {
  it('build every table and property column from an empty database', async () => {
    const db = await open(tempDir());
    await migrateDatabase(db);
    for (const table of [
      'party',
      'game_session',
      'scene',
      'scene_blob',
      ...registry.collections.map((c) => c.table),
    ])
      expect(await tableColumns(db, table), table).not.toEqual([]);
    for (const table of ['scene', ...registry.collections.map((c) => c.table)]) {
      const have = await tableColumns(db, table);
      for (const { column } of propertyColumns(registry, table).values())
        expect(have, `${table}.${column.name}`).toContain(column.name);
    }
  });

  it('back the registry with constraints: ranges refused, deleting a scene deletes its members', async () => {
    const db = await open(tempDir());
    await migrateDatabase(db);
    await db.client.execute(`INSERT INTO party (id, name, created_at) VALUES ('p1', 'P', 0)`);
    await db.client.execute(
      `INSERT INTO game_session (id, party_id, name, created_at) VALUES ('s1', 'p1', 'S', 0)`,
    );
    await db.client.execute(`INSERT INTO scene (id, game_session_id, name) VALUES ('c1', 's1', 'C')`);
    const ranged = [...propertyColumns(registry, 'scene').values()].find(
      (pc) =>
        (pc.prop.decl.kind === 'number' || pc.prop.decl.kind === 'integer') && pc.prop.decl.max !== undefined,
    );
    if (ranged && (ranged.prop.decl.kind === 'number' || ranged.prop.decl.kind === 'integer'))
      await expect(
        db.client.execute(
          `UPDATE scene SET "${ranged.column.name}" = ${ranged.prop.decl.max! + 1} WHERE id = 'c1'`,
        ),
      ).rejects.toThrow(/CHECK/);
    for (const c of registry.collections)
      await db.client.execute(
        `INSERT INTO "${c.table}" (id, scene_id, created_at) VALUES ('m-${c.table}', 'c1', 0)`,
      );
    await db.client.execute(`DELETE FROM party WHERE id = 'p1'`);
    for (const table of ['game_session', 'scene', ...registry.collections.map((c) => c.table)]) {
      const res = await db.client.execute(`SELECT count(*) AS n FROM "${table}"`);
      expect(Number(res.rows[0]!.n), table).toBe(0);
    }
  });

  it('upgrade a database at the previous migration without losing its rows', async () => {
    const dir = tempDir();
    const db = await open(dir);
    const n = journal.entries.length;
    // Apply migrations 0..n-2 as the previous release would have (with one migration: an empty, migrated database).
    await migrateDatabase(db, migrationsUpTo(n - 1));
    if (n > 1) await recordPreviousVersions(db);
    const old = await insertRowsAtOldSchema(db);
    await migrateDatabase(db);
    for (const [table, id] of Object.entries(old)) {
      const res = await db.client.execute({ sql: `SELECT id FROM "${table}" WHERE id = ?`, args: [id] });
      expect(res.rows.length, `${table} row ${id}`).toBe(1);
    }
    // And a restart (migrating again) with data in place is a no-op that keeps it.
    const server = await startAppServer({
      database: db,
      tokenSecret: TOKEN_SECRET,
      internalSecret: INTERNAL_SECRET,
      dataDir: dir,
      partykitUrl: null,
    });
    cleanup.unshift(() => void server.close());
    const created = await fetch(`${server.url}/api/parties`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Kept' }),
    });
    const body = (await created.json()) as { gameSession: { id: string } };
    await migrateDatabase(db);
    const res = await fetch(`${server.url}/internal/sessions/${body.gameSession.id}`, {
      headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
    });
    expect(res.status).toBe(200);
    const session = (await res.json()) as { scenes: { props: Record<string, unknown> }[] };
    expect(session.scenes).toHaveLength(1);
    // Rows from the old schema read back with defaults for the columns they did not have yet.
    if (old.game_session) {
      const oldRes = await fetch(`${server.url}/internal/sessions/${old.game_session}`, {
        headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
      });
      expect(oldRes.status).toBe(200);
    }
  });

  it('move a scene setting to the party without losing it: a party any of whose scenes allowed it keeps it allowed', async () => {
    // The plugins whose newest step moves scene settings to the party were one version back.
    const moving = registry.plugins.filter((p) => p.schema.migrations?.at(-1)?.toParty?.length);
    expect(moving.length).toBeGreaterThan(0);
    const moved = moving.flatMap((plugin) =>
      plugin.schema.migrations!.at(-1)!.toParty!.map((key) => ({
        setting: plugin.partySettings.find((s) => s.key === key)!,
        column: defaultColumn(plugin.schema, key),
      })),
    );
    // The database as it was just before the migration that dropped the moved scene columns.
    const dropping = journal.entries.findIndex(
      (_, i) =>
        i > 0 &&
        moved.every((m) => m.column in (snapshot(i - 1).tables.scene?.columns ?? {})) &&
        moved.every((m) => !(m.column in (snapshot(i).tables.scene?.columns ?? {}))),
    );
    expect(dropping).toBeGreaterThan(0);
    const db = await open(tempDir());
    await migrateDatabase(db, migrationsUpTo(dropping));
    for (const plugin of moving)
      await db.client.execute({
        sql: 'UPDATE plugin_schema_version SET version = ? WHERE plugin = ?',
        args: [plugin.version - 1, plugin.name],
      });
    const run = (sql: string) => db.client.execute(sql);
    await run(`INSERT INTO party (id, name, created_at) VALUES ('pa', 'A', 0), ('pb', 'B', 0)`);
    await run(
      `INSERT INTO game_session (id, party_id, name, created_at) VALUES ('sa', 'pa', 'S', 0), ('sb', 'pb', 'S', 0)`,
    );
    // Party A: an older scene allowed it, the newest did not; party B: no scene did.
    const set = moved.map((m) => `"${m.column}"`).join(', ');
    const vals = (v: number) => moved.map(() => v).join(', ');
    await run(`INSERT INTO scene (id, game_session_id, name, last_updated, ${set}) VALUES
      ('a1', 'sa', 'A1', 1, ${vals(1)}), ('a2', 'sa', 'A2', 2, ${vals(0)}), ('b1', 'sb', 'B1', 1, ${vals(0)})`);
    await migrateDatabase(db);
    const settings = async (id: string) =>
      JSON.parse(
        String(
          (await db.client.execute({ sql: 'SELECT settings FROM party WHERE id = ?', args: [id] })).rows[0]!
            .settings,
        ),
      ) as Record<string, unknown>;
    expect(await settings('pa')).toEqual(Object.fromEntries(moved.map((m) => [m.setting.id, true])));
    expect(await settings('pb')).toEqual({});
    for (const m of moved) expect(await tableColumns(db, 'scene')).not.toContain(m.column);
  });
});
