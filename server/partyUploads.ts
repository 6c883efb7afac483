/**
 * Which uploads belong to which party, without a table: a party's files are
 * named `<tag>_<random>.<ext>`, the tag a hash of the party id (fixed length,
 * so it never runs into the random part, and the URL does not name the party).
 * That gives a per-party quota (the sizes of its files, pending ones included)
 * lets deleting a party delete its files, and lets a sweep delete the files
 * none of its scenes uses any more. Files from before this scheme or before
 * any sweep existed (no tag, as the old demo seed wrote them, or the tag of a
 * party deleted back then) are covered by {@link sweepUnusedUploads}, which
 * the app server runs at start and periodically over the whole store.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../engine/db';
import { collectionTables, gameSession, party, scene } from '../engine/generated/tables';

/** Default per-party upload quota: 500 MB. */
export const DEFAULT_PARTY_UPLOAD_QUOTA = 500 * 1024 * 1024;

/** 16 hex digits of SHA-256(partyId). */
export function partyTag(partyId: string): string {
  return createHash('sha256').update(partyId).digest('hex').slice(0, 16);
}

async function partyFiles(dir: string, partyId: string): Promise<string[]> {
  const prefix = `${partyTag(partyId)}_`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => n.startsWith(prefix));
}

/** Bytes the party's uploads take on disk. */
export async function partyUploadBytes(dir: string, partyId: string): Promise<number> {
  let total = 0;
  for (const name of await partyFiles(dir, partyId))
    total += await stat(join(dir, name)).then(
      (s) => s.size,
      () => 0, // deleted meanwhile
    );
  return total;
}

/** Deletes every upload of the party; returns how many files went. */
export async function deletePartyUploads(dir: string, partyId: string): Promise<number> {
  const names = await partyFiles(dir, partyId);
  await Promise.all(
    names.flatMap((n) => [rm(join(dir, n), { force: true }), rm(join(dir, UNUSED_DIR, n), { force: true })]),
  );
  return names.length;
}

/** Runs {@link sweepPartyUploads} for the routes: a failed sweep is logged, never fails the deletion that ran it. */
export async function sweepAfterDeletion(
  deps: { database: Database; uploadsDir: string; unusedUploadGraceMs: number; log: (m: string) => void },
  partyId: string,
): Promise<void> {
  try {
    await sweepPartyUploads(deps.database, deps.uploadsDir, partyId, deps.unusedUploadGraceMs);
  } catch (e) {
    deps.log(`sweeping unused uploads failed: ${(e as Error).message}`);
  }
}

/** Unused files live this long after a sweep first finds them unused (undo, late saves), default one day. */
export const DEFAULT_UNUSED_UPLOAD_GRACE_MS = 24 * 60 * 60_000;

/** Marker files (`.unused/<name>`, mtime = first found unused); never served: names with a dot folder. */
const UNUSED_DIR = '.unused';

/** How often the app server sweeps the whole store for uploads no scene uses (six hours). */
export const UNUSED_UPLOAD_SWEEP_INTERVAL_MS = 6 * 60 * 60_000;

/** Every upload name any scene or collection member of the party mentions, from the database rows as text. */
async function namesInUse(database: Database, partyId: string): Promise<Set<string>> {
  const db = database.db;
  const sessions = await db
    .select({ id: gameSession.id })
    .from(gameSession)
    .where(eq(gameSession.partyId, partyId));
  const rows: unknown[] = [];
  if (sessions.length > 0) {
    const scenes = await db
      .select()
      .from(scene)
      .where(
        inArray(
          scene.gameSessionId,
          sessions.map((s) => s.id),
        ),
      );
    rows.push(...scenes);
    const ids = scenes.map((s) => s.id);
    // Members may hold assets too; the registry decides which, so every collection table is read.
    if (ids.length > 0)
      for (const table of Object.values(collectionTables))
        rows.push(...(await db.select().from(table).where(inArray(table.sceneId, ids))));
  }
  const text = JSON.stringify(rows);
  const names = new Set<string>();
  for (const m of text.matchAll(/\/uploads\/([A-Za-z0-9_-]+\.[a-z0-9]+)/g)) names.add(m[1]!);
  return names;
}

/**
 * Deletes the party's uploads that no scene uses any more, once they have
 * been unused for `graceMs` (counted from the first sweep that found them
 * unused, so an undone scene deletion or a save still in flight keeps its
 * file). Runs after scene and game-session deletions. Returns the names deleted.
 */
export async function sweepPartyUploads(
  database: Database,
  dir: string,
  partyId: string,
  graceMs = DEFAULT_UNUSED_UPLOAD_GRACE_MS,
  now = Date.now(),
): Promise<string[]> {
  const files = await partyFiles(dir, partyId);
  if (files.length === 0) return [];
  return expireUnused(dir, files, await namesInUse(database, partyId), graceMs, now);
}

/**
 * Sweeps every upload in `dir`, whoever it was tagged for (or none): a file no
 * scene or member of any party mentions goes once it has been unused for
 * `graceMs`, as in {@link sweepPartyUploads}. This catches what per-party
 * sweeps cannot: untagged files (the demo seed's, before tags), files of
 * parties deleted before their files were, uploads never used. Reads one
 * party at a time, so memory stays at one party's rows. Returns the names deleted.
 */
export async function sweepUnusedUploads(
  database: Database,
  dir: string,
  graceMs = DEFAULT_UNUSED_UPLOAD_GRACE_MS,
  now = Date.now(),
): Promise<string[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((n) => !n.startsWith('.'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  if (files.length === 0) return [];
  const used = new Set<string>();
  for (const { id } of await database.db.select({ id: party.id }).from(party))
    for (const name of await namesInUse(database, id)) used.add(name);
  return expireUnused(dir, files, used, graceMs, now);
}

/** Marks `files` not in `used` as unused (first time seen) and deletes those unused for `graceMs`. */
async function expireUnused(
  dir: string,
  files: readonly string[],
  used: ReadonlySet<string>,
  graceMs: number,
  now: number,
): Promise<string[]> {
  const markers = join(dir, UNUSED_DIR);
  await mkdir(markers, { recursive: true });
  const deleted: string[] = [];
  for (const name of files) {
    const marker = join(markers, name);
    if (used.has(name)) {
      await rm(marker, { force: true });
      continue;
    }
    let since = now;
    try {
      since = (await stat(marker)).mtimeMs;
    } catch {
      await writeFile(marker, '');
      await utimes(marker, now / 1000, now / 1000);
    }
    if (now - since >= graceMs) {
      await rm(join(dir, name), { force: true });
      await rm(marker, { force: true });
      deleted.push(name);
    }
  }
  return deleted;
}
