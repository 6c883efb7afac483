/**
 * Brings a database up to the code: the SQL migrations codegen wrote, and
 * the value part of each plugin's declared migration steps (`up`, renames,
 * drops — see `engine/schema/migrations.ts`), in one transaction.
 *
 * `plugin_schema_version` records which schema version each plugin's rows
 * were written with, so every step runs exactly once. The affected rows are
 * read before the SQL runs (a split still sees the column a step drops),
 * upgraded in JS, validated against today's declarations, and written back
 * after the SQL, in the same batch. CHECK constraints are suspended inside
 * that batch only: a table rebuild copies old values before their new values
 * are written, and the written values are validated here instead.
 *
 * The rows are read just before the batch, not inside it (libSQL runs a
 * migration batch with foreign keys off, which an interactive transaction
 * cannot switch). That is safe because the app server migrates before it
 * serves; two servers booting at once on one database could both upgrade
 * (the second SQL batch fails on the renamed columns, but a step with only an
 * `up` would run twice), so boot them one at a time after a schema change.
 */
import type { InStatement, InValue } from '@libsql/client';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import {
  checkValue,
  defaultColumn,
  keysAtVersion,
  pendingSteps,
  upgradeRecord,
  type MigrationRecord,
  type PluginInfo,
  type PropInfo,
  type Registry,
} from '../schema';
import { registry as builtInRegistry } from '../generated/schemas';
import { MIGRATIONS_FOLDER, type Database } from './client';

/** Table of the schema version each plugin's rows hold. */
export const PLUGIN_VERSIONS_TABLE = 'plugin_schema_version';
const DRIZZLE_TABLE = '__drizzle_migrations';

/** What {@link migrateDatabase} did. */
export interface MigrationReport {
  /** SQL migrations applied, by creation time. */
  readonly applied: number;
  /** `plugin: from → to` for every plugin whose rows were upgraded by steps. */
  readonly upgraded: readonly string[];
}

type Client = Database['client'];

async function tableExists(client: Client, name: string): Promise<boolean> {
  const res = await client.execute({
    sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
    args: [name],
  });
  return res.rows.length > 0;
}

async function columnsOf(client: Client, table: string): Promise<Set<string>> {
  const res = await client.execute(`PRAGMA table_info(\`${table}\`)`);
  return new Set(res.rows.map((r) => String(r.name)));
}

/** How to read one key of an old record: its column, or a point's two columns. */
type Reader = { key: string; cols: readonly string[]; kind?: PropInfo['decl']['kind'] };

function readersFor(plugin: PluginInfo, from: number, existing: ReadonlySet<string>): Reader[] {
  const readers: Reader[] = [];
  for (const key of keysAtVersion(plugin.schema, from)) {
    const prop = plugin.props.find((p) => p.key === key);
    const declared = prop?.columns.map((c) => c.name) ?? [];
    if (prop && declared.length && declared.every((c) => existing.has(c))) {
      readers.push({ key, cols: declared, kind: prop.decl.kind });
      continue;
    }
    const base = defaultColumn(plugin.schema, key);
    if (existing.has(base)) readers.push({ key, cols: [base] });
    else if (existing.has(`${base}_x`) && existing.has(`${base}_y`))
      readers.push({ key, cols: [`${base}_x`, `${base}_y`], kind: 'point' });
  }
  return readers;
}

function readValue(reader: Reader, row: Record<string, unknown>): unknown {
  if (reader.kind === 'point') return { x: row[reader.cols[0]!], y: row[reader.cols[1]!] };
  const value = row[reader.cols[0]!];
  if (reader.kind === 'boolean') return value === 1 || value === 1n || value === true;
  return typeof value === 'bigint' ? Number(value) : value;
}

/** Today's column values of an upgraded record; throws naming the row when a value fails its declaration. */
function columnValues(plugin: PluginInfo, id: string, record: MigrationRecord): [string, InValue][] {
  const out: [string, InValue][] = [];
  for (const prop of plugin.props) {
    if (prop.columns.length === 0 || !Object.hasOwn(record, prop.key)) continue;
    const checked = checkValue(prop.decl, record[prop.key]);
    if (!checked.ok)
      throw new Error(
        `migrating ${plugin.table} row ${id} to ${plugin.name} version ${plugin.version}: ${prop.id}: ${checked.reason}`,
      );
    for (const column of prop.columns) {
      const v = checked.value as unknown;
      const value = column.part ? (v as { x: number; y: number })[column.part] : v;
      out.push([column.name, typeof value === 'boolean' ? (value ? 1 : 0) : (value as InValue)]);
    }
  }
  return out;
}

/** The UPDATEs that write one plugin's upgraded rows (read now, before the SQL migrations). */
async function upgradeStatements(client: Client, plugin: PluginInfo, from: number): Promise<InStatement[]> {
  if (!(await tableExists(client, plugin.table))) return [];
  const readers = readersFor(plugin, from, await columnsOf(client, plugin.table));
  // Nothing of this plugin is stored yet (its columns arrive with the SQL): nothing to upgrade.
  if (readers.length === 0) return [];
  const cols = [...new Set(readers.flatMap((r) => r.cols))].map((c) => `\`${c}\``).join(', ');
  const rows = (await client.execute(`SELECT \`id\`, ${cols} FROM \`${plugin.table}\``)).rows;
  return rows.flatMap((row) => {
    const data = row as unknown as Record<string, unknown>;
    const id = String(data.id);
    const record: MigrationRecord = {};
    for (const r of readers) record[r.key] = readValue(r, data);
    const values = columnValues(plugin, id, upgradeRecord(plugin.schema, from, record));
    if (values.length === 0) return [];
    return [
      {
        sql: `UPDATE \`${plugin.table}\` SET ${values.map(([c]) => `\`${c}\` = ?`).join(', ')} WHERE \`id\` = ?`,
        args: [...values.map(([, v]) => v), id],
      },
    ];
  });
}

/**
 * The UPDATEs that give each party the scene values a plugin's pending steps
 * move to the party (`toParty`): per party, the most recently updated
 * scene's value that differs from the default. Read before the SQL drops
 * the scene columns; merged into the party's settings after it.
 */
async function partyMoveStatements(client: Client, plugin: PluginInfo, from: number): Promise<InStatement[]> {
  const keys = pendingSteps(plugin.schema, from).flatMap((s) => s.toParty ?? []);
  if (keys.length === 0 || !(await tableExists(client, 'scene'))) return [];
  const existing = await columnsOf(client, 'scene');
  const byParty = new Map<string, Record<string, unknown>>();
  for (const key of keys) {
    const setting = plugin.partySettings.find((s) => s.key === key);
    const column = defaultColumn(plugin.schema, key);
    if (!setting || !existing.has(column)) continue;
    const rows = (
      await client.execute(
        `SELECT g.\`party_id\` AS party, s.\`${column}\` AS v FROM \`scene\` s JOIN \`game_session\` g ON s.\`game_session_id\` = g.\`id\` ORDER BY s.\`last_updated\` DESC`,
      )
    ).rows;
    const reader: Reader = { key, cols: ['v'], kind: setting.decl.kind };
    for (const row of rows) {
      const party = String(row.party);
      const settings = byParty.get(party) ?? {};
      if (Object.hasOwn(settings, setting.id)) continue;
      const checked = checkValue(setting.decl, readValue(reader, row as unknown as Record<string, unknown>));
      if (!checked.ok || JSON.stringify(checked.value) === JSON.stringify(setting.decl.default)) continue;
      settings[setting.id] = checked.value;
      byParty.set(party, settings);
    }
  }
  return [...byParty].map(([party, settings]) => ({
    sql: 'UPDATE `party` SET `settings` = json_patch(`settings`, ?) WHERE `id` = ?',
    args: [JSON.stringify(settings), party],
  }));
}

/**
 * Applies every SQL migration in `folder` the database has not run yet
 * (recorded in drizzle's `__drizzle_migrations`, so drizzle's own migrator
 * stays compatible) and every pending plugin migration step, atomically.
 * A fresh database starts every plugin at its current version.
 */
export async function migrateDatabase(
  database: Database,
  folder: string = MIGRATIONS_FOLDER,
  registry: Registry = builtInRegistry,
): Promise<MigrationReport> {
  const { client } = database;
  await client.execute(
    `CREATE TABLE IF NOT EXISTS \`${DRIZZLE_TABLE}\` (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
  );
  const versionsExisted = await tableExists(client, PLUGIN_VERSIONS_TABLE);
  await client.execute(
    `CREATE TABLE IF NOT EXISTS \`${PLUGIN_VERSIONS_TABLE}\` (plugin text PRIMARY KEY NOT NULL, version integer NOT NULL)`,
  );
  const last = (
    await client.execute(`SELECT created_at FROM \`${DRIZZLE_TABLE}\` ORDER BY created_at DESC LIMIT 1`)
  ).rows[0];
  const lastMillis = last ? Number(last.created_at) : undefined;
  const pending = readMigrationFiles({ migrationsFolder: folder }).filter(
    (m) => lastMillis === undefined || lastMillis < m.folderMillis,
  );
  const recorded = new Map(
    (await client.execute(`SELECT plugin, version FROM \`${PLUGIN_VERSIONS_TABLE}\``)).rows.map((r) => [
      String(r.plugin),
      Number(r.version),
    ]),
  );

  const upgrades: InStatement[] = [];
  const upgraded: string[] = [];
  for (const plugin of registry.plugins) {
    // Fresh database: nothing old to upgrade. A database from before versions were recorded: version 0.
    // A plugin the database has not met yet: its rows arrive with today's SQL, at today's version.
    const from =
      lastMillis === undefined
        ? plugin.version
        : (recorded.get(plugin.name) ?? (versionsExisted ? plugin.version : 0));
    if (from >= plugin.version) continue;
    upgrades.push(...(await upgradeStatements(client, plugin, from)));
    upgrades.push(...(await partyMoveStatements(client, plugin, from)));
    upgraded.push(`${plugin.name}: ${from} → ${plugin.version}`);
  }
  const versions = registry.plugins
    .filter((p) => recorded.get(p.name) !== p.version)
    .map((p) => ({
      sql: `INSERT INTO \`${PLUGIN_VERSIONS_TABLE}\` (plugin, version) VALUES (?, ?) ON CONFLICT(plugin) DO UPDATE SET version = excluded.version`,
      args: [p.name, p.version],
    }));
  if (pending.length === 0 && upgrades.length === 0 && versions.length === 0) return { applied: 0, upgraded };

  const sql: InStatement[] = pending.flatMap((m) => [
    ...m.sql.filter((s) => s.trim() !== ''),
    {
      sql: `INSERT INTO \`${DRIZZLE_TABLE}\` ("hash", "created_at") VALUES (?, ?)`,
      args: [m.hash, m.folderMillis],
    },
  ]);
  const checksOff = upgrades.length > 0;
  // `migrate` runs the batch in one transaction with foreign keys off (a table rebuild must not cascade).
  try {
    await client.migrate([
      ...(checksOff ? ['PRAGMA ignore_check_constraints = ON'] : []),
      ...sql,
      ...upgrades,
      ...versions,
      ...(checksOff ? ['PRAGMA ignore_check_constraints = OFF'] : []),
    ]);
  } catch (e) {
    // The batch rolled back; the pragma is a connection setting, so it is switched back explicitly.
    if (checksOff) await client.execute('PRAGMA ignore_check_constraints = OFF').catch(() => undefined);
    throw e;
  }
  return { applied: pending.length, upgraded };
}
