/**
 * The migrations folder in drizzle-kit's layout (`NNNN_tag.sql`,
 * `meta/_journal.json`, `meta/NNNN_snapshot.json`), which drizzle's migrator
 * and our own (`engine/db/migrate.ts`) read. Codegen only ever works on a
 * staging copy of it; see `cli.ts`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSQLiteDrizzleJson } from 'drizzle-kit/api';
import type { Registry } from '../schema';
import { emptySnapshot, planMigration, type MigrationPlan, type Snapshot } from './migrationPlan';

interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}
interface Journal {
  version: string;
  dialect: string;
  entries: JournalEntry[];
}

const BREAKPOINT = '\n--> statement-breakpoint\n';
const pad = (idx: number) => String(idx).padStart(4, '0');

function readJournal(dir: string): Journal {
  const file = join(dir, 'meta/_journal.json');
  if (!existsSync(file)) return { version: '7', dialect: 'sqlite', entries: [] };
  return JSON.parse(readFileSync(file, 'utf8')) as Journal;
}

function latestSnapshot(dir: string, journal: Journal): Snapshot {
  const last = journal.entries.at(-1);
  if (!last) return emptySnapshot();
  return JSON.parse(readFileSync(join(dir, `meta/${pad(last.idx)}_snapshot.json`), 'utf8')) as Snapshot;
}

/** Today's tables (the generated `tables.ts` module's exports) as a drizzle snapshot following `prev`. */
export async function currentSnapshot(tables: Record<string, unknown>, prev: Snapshot): Promise<Snapshot> {
  return (await generateSQLiteDrizzleJson(tables, prev.id)) as Snapshot;
}

/** The plan from the folder's newest migration to `tables`; nothing is written. */
export async function pendingPlan(
  dir: string,
  registry: Registry,
  tables: Record<string, unknown>,
): Promise<MigrationPlan> {
  const prev = latestSnapshot(dir, readJournal(dir));
  return planMigration(registry, prev, await currentSnapshot(tables, prev));
}

/**
 * Forgets every migration after `tag` (SQL, snapshot, journal entry), so the
 * next `writeNextMigration` collapses them into one. Throws when `tag` is not
 * in the journal.
 */
export function discardAfter(dir: string, tag: string): string[] {
  const journal = readJournal(dir);
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`--squash: no migration tagged "${tag}" in the journal`);
  const gone = journal.entries.splice(at + 1);
  for (const e of gone) {
    rmSync(join(dir, `${e.tag}.sql`), { force: true });
    rmSync(join(dir, `meta/${pad(e.idx)}_snapshot.json`), { force: true });
  }
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify(journal, null, 2));
  return gone.map((e) => e.tag);
}

/**
 * Appends the next migration to `dir` when the tables changed; returns its
 * tag, or undefined when there was nothing to migrate.
 */
export async function writeNextMigration(
  dir: string,
  registry: Registry,
  tables: Record<string, unknown>,
): Promise<string | undefined> {
  const journal = readJournal(dir);
  const prev = latestSnapshot(dir, journal);
  const cur = await currentSnapshot(tables, prev);
  const plan = await planMigration(registry, prev, cur);
  if (plan.statements.length === 0) return undefined;
  const last = journal.entries.at(-1);
  const idx = last ? last.idx + 1 : 0;
  const sql = plan.statements.join(BREAKPOINT);
  const tag = `${pad(idx)}_${createHash('sha1').update(sql).digest('hex').slice(0, 10)}`;
  const snapshot = {
    ...cur,
    id: randomUUID(),
    prevId: prev.id,
    _meta: { schemas: {}, tables: {}, columns: plan.renamedColumns },
  };
  mkdirSync(join(dir, 'meta'), { recursive: true });
  writeFileSync(join(dir, `meta/${pad(idx)}_snapshot.json`), JSON.stringify(snapshot, null, 2));
  // The migrator applies entries newer than the last one it ran, by `when`: it must increase.
  journal.entries.push({
    idx,
    version: '6',
    when: Math.max(Date.now(), (last?.when ?? 0) + 1),
    tag,
    breakpoints: true,
  });
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify(journal, null, 2));
  writeFileSync(join(dir, `${tag}.sql`), sql);
  return tag;
}
