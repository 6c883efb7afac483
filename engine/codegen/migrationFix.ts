import type { DrizzleSQLiteSnapshotJSON } from 'drizzle-kit/api';

const RECREATE = /INSERT INTO `__new_(\w+)`\(([^)]*)\) SELECT ([^;]*?) FROM `\1`;/g;

/**
 * drizzle-kit (0.31) rebuilds a SQLite table to add a column with a CHECK
 * constraint, and its copy step selects the new column from the old table,
 * which does not have it yet — the migration fails on any existing database.
 * This keeps only the columns `previous` (the snapshot drizzle diffed from)
 * had, so new columns take their defaults. It runs on freshly diffed SQL
 * before anything is written, so a migration already in the repository (or
 * fixed by hand) is never touched again.
 */
export function fixColumnCopy(statements: readonly string[], previous: DrizzleSQLiteSnapshotJSON): string[] {
  return statements.map((sql) =>
    sql.replace(RECREATE, (whole, table: string) => {
      const old = previous.tables[table]?.columns;
      if (!old) return whole;
      const cols = (whole.match(/\(([^)]*)\) SELECT/)?.[1] ?? '').split(',').map((c) => c.trim());
      const kept = cols.filter((c) => Object.hasOwn(old, c.replace(/"/g, '')));
      return `INSERT INTO \`__new_${table}\`(${kept.join(', ')}) SELECT ${kept.join(', ')} FROM \`${table}\`;`;
    }),
  );
}
