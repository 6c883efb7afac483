/**
 * The SQL of the next migration, from the last migration's drizzle snapshot
 * and today's tables, with the declared migration steps resolving renames
 * and drops.
 *
 * Why drizzle-kit's API rather than its CLI: `drizzle-kit generate` asks on
 * the terminal whether a column that disappeared while another appeared was
 * renamed, and with no terminal it crashes. Its programmatic API uses the same
 * diff engine but takes snapshots as data, so the declared renames and drops
 * are applied to the previous snapshot first (renames as our own `ALTER TABLE
 * … RENAME COLUMN`, drops diffed alone), and what drizzle diffs afterwards
 * never has a removed and an added column in one table — the only case it
 * prompts for. An undeclared removal is refused with a message instead (it
 * would lose data). Writing our own full SQL diff would mean re-deriving
 * SQLite table rebuilds, CHECK constraints and foreign keys that drizzle-kit
 * already gets right.
 */
import { generateSQLiteMigration, type DrizzleSQLiteSnapshotJSON } from 'drizzle-kit/api';
import { defaultColumn, droppedKeys, type MigrationStep, type PluginInfo, type Registry } from '../schema';
import { fixColumnCopy } from './migrationFix';

/** A drizzle-kit SQLite snapshot, as stored in `migrations/meta/NNNN_snapshot.json`. */
export type Snapshot = DrizzleSQLiteSnapshotJSON;

/** What the next migration does. */
export interface MigrationPlan {
  /** SQL statements, in order; empty when the database is up to date. */
  readonly statements: string[];
  /** `"table"."old"` → `"table"."new"` (drizzle records renames this way in the snapshot's `_meta`). */
  readonly renamedColumns: Record<string, string>;
}

/** A problem the author must resolve in a schema file (thrown as `SchemaError` by the caller). */
export class MigrationPlanError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** The snapshot drizzle-kit diffs the first migration against. */
export function emptySnapshot(): Snapshot {
  return {
    version: '6',
    dialect: 'sqlite',
    id: '00000000-0000-0000-0000-000000000000',
    prevId: '00000000-0000-0000-0000-000000000000',
    tables: {},
    views: {},
    enums: {},
    _meta: { tables: {}, columns: {} },
  };
}

/** Keys a property had over its history (today's key first), following renames backwards. */
function historicKeys(steps: readonly MigrationStep[], key: string): string[] {
  const keys = [key];
  let current = key;
  for (const step of [...steps].reverse())
    for (const [oldKey, newKey] of Object.entries(step.rename ?? {}))
      if (newKey === current) {
        current = oldKey;
        keys.push(oldKey);
      }
  return keys;
}

/** The columns an old key may have had: its default column, or two for a point. */
function candidateColumns(plugin: PluginInfo, key: string): string[][] {
  const base = defaultColumn(plugin.schema, key);
  return [[base], [`${base}_x`, `${base}_y`]];
}

type Table = Snapshot['tables'][string];

function renameInTable(table: Table, from: string, to: string): void {
  const column = table.columns[from]!;
  delete table.columns[from];
  table.columns[to] = { ...column, name: to };
  const checks = table.checkConstraints ?? {};
  // SQLite's RENAME COLUMN rewrites the CHECK expressions; the snapshot follows so drizzle sees no change.
  for (const [name, check] of Object.entries(checks)) {
    const value = check.value.split(`"${table.name}"."${from}"`).join(`"${table.name}"."${to}"`);
    if (value === check.value) continue;
    delete checks[name];
    const renamed = name === `${table.name}_${from}_check` ? `${table.name}_${to}_check` : name;
    checks[renamed] = { name: renamed, value };
  }
}

function dropFromTable(table: Table, column: string): void {
  delete table.columns[column];
  const checks = table.checkConstraints ?? {};
  for (const [name, check] of Object.entries(checks))
    if (check.value.includes(`"${table.name}"."${column}"`)) delete checks[name];
}

/**
 * Plans the migration from `prev` to `cur`. Renames: a property whose
 * columns `prev` lacks but whose older key's default column it has.
 * Drops: columns of keys a step drops. Both are derived from state, so
 * running codegen twice never renames twice.
 */
export async function planMigration(
  registry: Registry,
  prev: Snapshot,
  cur: Snapshot,
): Promise<MigrationPlan> {
  const renamed = structuredClone(prev);
  const renameSql: string[] = [];
  const renamedColumns: Record<string, string> = {};
  const drops: { table: string; column: string }[] = [];
  for (const plugin of registry.plugins) {
    const table = renamed.tables[plugin.table];
    const steps = plugin.schema.migrations ?? [];
    if (!table || steps.length === 0) continue;
    const current = new Set(plugin.props.flatMap((p) => p.columns.map((c) => c.name)));
    for (const prop of plugin.props) {
      const target = prop.columns.map((c) => c.name);
      if (target.length === 0 || target.some((c) => c in table.columns)) continue;
      for (const key of historicKeys(steps, prop.key).slice(1)) {
        const found = candidateColumns(plugin, key).find(
          (cols) => cols.length === target.length && cols.every((c) => c in table.columns && !current.has(c)),
        );
        if (!found) continue;
        found.forEach((from, i) => {
          const to = target[i]!;
          renameSql.push(`ALTER TABLE \`${plugin.table}\` RENAME COLUMN \`${from}\` TO \`${to}\`;`);
          renamedColumns[`"${plugin.table}"."${from}"`] = `"${plugin.table}"."${to}"`;
          renameInTable(table, from, to);
        });
        break;
      }
    }
    for (const step of steps)
      for (const key of droppedKeys(step))
        for (const cols of candidateColumns(plugin, key))
          for (const column of cols)
            if (column in table.columns && !current.has(column)) drops.push({ table: plugin.table, column });
  }
  const dropped = structuredClone(renamed);
  for (const { table, column } of drops) dropFromTable(dropped.tables[table]!, column);
  refuseUndeclaredRemovals(registry, dropped, cur);

  const dropSql = drops.length ? fixColumnCopy(await generateSQLiteMigration(renamed, dropped), renamed) : [];
  const restSql = fixColumnCopy(await generateSQLiteMigration(dropped, cur), dropped);
  return { statements: [...renameSql, ...dropSql, ...restSql], renamedColumns };
}

/**
 * A column (or table) that disappeared without a step would make drizzle-kit
 * prompt (when another appeared in the same place) or silently drop data.
 */
function refuseUndeclaredRemovals(registry: Registry, prev: Snapshot, cur: Snapshot): void {
  for (const [name, table] of Object.entries(prev.tables)) {
    const now = cur.tables[name];
    const owner = registry.plugins.find((p) => p.table === name);
    const file = owner?.file ?? 'engine/codegen/emit/tables.ts';
    if (!now) {
      throw new MigrationPlanError(
        file,
        `table "${name}" is gone; removing a whole table is not a migration step — squash it away if it was never released`,
      );
    }
    const gone = Object.keys(table.columns).filter((c) => !(c in now.columns));
    if (gone.length === 0) continue;
    const plugins = registry.plugins.filter((p) => p.table === name);
    const files = plugins.map((p) => p.file).join(', ') || file;
    throw new MigrationPlanError(
      files,
      `column${gone.length > 1 ? 's' : ''} ${gone.map((c) => `${name}.${c}`).join(', ')} ` +
        'disappeared without a migration step; declare `migrations: [{ version, rename: { oldKey: newKey } }]` ' +
        "or `drop: ['oldKey']` in the plugin's schema (README: Renaming or retyping a property)",
    );
  }
}
