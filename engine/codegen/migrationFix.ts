import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Journal {
  entries: { idx: number; tag: string }[];
}
interface Snapshot {
  tables: Record<string, { columns: Record<string, unknown> }>;
}

const RECREATE = /INSERT INTO `__new_(\w+)`\(([^)]*)\) SELECT ([^;]*?) FROM `\1`;/g;

/**
 * drizzle-kit (0.31) rebuilds a SQLite table to add a column with a CHECK
 * constraint, and its copy step selects the new column from the old table,
 * which does not have it yet — the migration fails on any existing database.
 * This keeps only the columns the previous snapshot had, so new columns take
 * their defaults. Applied to the newest migration right after it is generated.
 */
export function fixLatestMigration(migrationsDir: string): boolean {
  const journal = JSON.parse(readFileSync(join(migrationsDir, 'meta/_journal.json'), 'utf8')) as Journal;
  const latest = journal.entries.at(-1);
  if (!latest || latest.idx === 0) return false;
  const previous = JSON.parse(
    readFileSync(
      join(migrationsDir, `meta/${String(latest.idx - 1).padStart(4, '0')}_snapshot.json`),
      'utf8',
    ),
  ) as Snapshot;
  const file = join(migrationsDir, `${latest.tag}.sql`);
  const sql = readFileSync(file, 'utf8');
  const fixed = sql.replace(RECREATE, (whole, table: string) => {
    const old = previous.tables[table]?.columns;
    if (!old) return whole;
    const cols = (whole.match(/\(([^)]*)\) SELECT/)?.[1] ?? '').split(',').map((c) => c.trim());
    const kept = cols.filter((c) => Object.hasOwn(old, c.replace(/"/g, '')));
    return `INSERT INTO \`__new_${table}\`(${kept.join(', ')}) SELECT ${kept.join(', ')} FROM \`${table}\`;`;
  });
  if (fixed === sql) return false;
  writeFileSync(file, fixed);
  return true;
}
