import { and, asc, eq, inArray, max, notInArray } from 'drizzle-orm';
import { servableBlobs } from '../contract/blobs';
import { randomBytes } from 'node:crypto';
import type { Registry } from '../schema';
import type { CollectionRows } from '../generated/buildSceneProps';
import { collectionTables, scene, sceneBlob, type SceneInsert, type SceneRow } from '../generated/tables';
import type { Db, Tx } from './client';
import { defaultColumns } from './columns';

/** Either the database or an open transaction: every read helper works with both. */
export type Queryable = Db | Tx;

/** A scene as lists show it. */
export interface SceneSummary {
  readonly id: string;
  readonly name: string;
  readonly sortOrder: number;
  readonly lastUpdated: number;
  /** The scene list's picture (`/uploads/<name>`): GMs only, see {@link gmSummaryOf}. */
  readonly thumbnail?: string;
}

/** Everything stored for one scene: its row, its collections' rows and its binary blobs. */
export interface StoredScene {
  readonly row: SceneRow;
  readonly collections: CollectionRows;
  readonly blobs: Record<string, Uint8Array>;
}

type CollectionTable = (typeof collectionTables)[keyof typeof collectionTables];

/** A fresh random id of the shape the registry accepts for entities (20 hex digits, 80 random bits). */
export function newId(): string {
  return randomBytes(10).toString('hex');
}

/** The table of the collection stored under `key`, for every collection the registry declares. */
export function collectionTable(key: string): CollectionTable {
  const table = (collectionTables as Record<string, CollectionTable | undefined>)[key];
  if (!table) throw new Error(`collection "${key}" has no generated table; run npm run codegen`);
  return table;
}

export const summaryOf = (row: SceneRow): SceneSummary => ({
  id: row.id,
  name: row.name,
  sortOrder: row.sortOrder,
  lastUpdated: row.lastUpdated,
});

/**
 * A summary for GMs, with the thumbnail. Players never get one: it is drawn
 * from the GM's view (GM-only markers, fog at GM opacity) and may show a
 * scene being prepared, while players see only the shown scene, live.
 */
export const gmSummaryOf = (row: SceneRow): SceneSummary =>
  row.thumbnailUrl ? { ...summaryOf(row), thumbnail: row.thumbnailUrl } : summaryOf(row);

export async function listScenes(q: Queryable, gameSessionId: string): Promise<SceneRow[]> {
  return q
    .select()
    .from(scene)
    .where(eq(scene.gameSessionId, gameSessionId))
    .orderBy(asc(scene.sortOrder), asc(scene.id));
}

export async function getScene(q: Queryable, sceneId: string): Promise<SceneRow | undefined> {
  const [row] = await q.select().from(scene).where(eq(scene.id, sceneId));
  return row;
}

/** Every collection's rows for the given scenes, by collection key, ordered by creation. */
async function readCollections(registry: Registry, q: Queryable, sceneIds: readonly string[]) {
  const out = new Map<string, Map<string, unknown[]>>();
  for (const plugin of registry.collections) {
    const t = collectionTable(plugin.key);
    const rows =
      sceneIds.length === 0
        ? []
        : await q
            .select()
            .from(t)
            .where(inArray(t.sceneId, [...sceneIds]))
            .orderBy(asc(t.createdAt), asc(t.id));
    const bySceneId = new Map<string, unknown[]>();
    for (const row of rows) bySceneId.set(row.sceneId, [...(bySceneId.get(row.sceneId) ?? []), row]);
    out.set(plugin.key, bySceneId);
  }
  return (sceneId: string): CollectionRows =>
    // The cast is safe: one entry per registry collection, each holding that collection's table rows.
    Object.fromEntries(
      registry.collections.map((p) => [p.key, out.get(p.key)?.get(sceneId) ?? []]),
    ) as unknown as CollectionRows;
}

async function readBlobs(q: Queryable, sceneIds: readonly string[]) {
  const rows =
    sceneIds.length === 0
      ? []
      : await q
          .select()
          .from(sceneBlob)
          .where(inArray(sceneBlob.sceneId, [...sceneIds]));
  return (sceneId: string): Record<string, Uint8Array> =>
    Object.fromEntries(rows.filter((r) => r.sceneId === sceneId).map((r) => [r.key, new Uint8Array(r.data)]));
}

/** Loads scenes with their collections and blobs, keeping the order of `rows`. */
export async function loadScenes(
  registry: Registry,
  q: Queryable,
  rows: readonly SceneRow[],
): Promise<StoredScene[]> {
  const ids = rows.map((r) => r.id);
  const collections = await readCollections(registry, q, ids);
  const blobs = await readBlobs(q, ids);
  return rows.map((row) => ({ row, collections: collections(row.id), blobs: blobs(row.id) }));
}

/** The sort order that puts a new scene last in its game session. */
export async function nextSortOrder(q: Queryable, gameSessionId: string): Promise<number> {
  const [r] = await q
    .select({ m: max(scene.sortOrder) })
    .from(scene)
    .where(eq(scene.gameSessionId, gameSessionId));
  return (r?.m ?? -1) + 1;
}

/**
 * Inserts a scene whose property columns start at their registry defaults,
 * overridden by `columns` (already validated).
 */
export async function insertScene(
  registry: Registry,
  tx: Tx,
  init: { id: string; gameSessionId: string; name: string; sortOrder: number; lastUpdated: number },
  columns: Record<string, unknown> = {},
): Promise<SceneRow> {
  // The cast is safe: the keys come from the registry's columns of `scene`, which codegen made into this table.
  const values = { ...defaultColumns(registry, 'scene'), ...columns, ...init } as SceneInsert;
  const [row] = await tx.insert(scene).values(values).returning();
  return row!;
}

/**
 * Makes `rows` the complete set of collection `key` for the scene: rows are
 * upserted, members not in `rows` are deleted.
 */
export async function replaceCollection(
  tx: Tx,
  key: string,
  sceneId: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const t = collectionTable(key);
  const ids = rows.map((r) => r.id as string);
  await tx
    .delete(t)
    .where(ids.length ? and(eq(t.sceneId, sceneId), notInArray(t.id, ids)) : eq(t.sceneId, sceneId));
  for (const row of rows) {
    const { id: _id, createdAt: _createdAt, ...rest } = row;
    // The casts are safe: rows were validated against this table's registry columns.
    await tx
      .insert(t)
      .values({ ...row, sceneId } as typeof t.$inferInsert)
      .onConflictDoUpdate({ target: t.id, set: { ...rest, sceneId } as Partial<typeof t.$inferInsert> });
  }
}

/** Member ids among `ids` that already belong to a scene other than `sceneId` (ids are global keys). */
export async function foreignMemberIds(
  q: Queryable,
  key: string,
  sceneId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const t = collectionTable(key);
  const rows = await q
    .select({ id: t.id, sceneId: t.sceneId })
    .from(t)
    .where(inArray(t.id, [...ids]));
  return rows.filter((r) => r.sceneId !== sceneId).map((r) => r.id);
}

/** The keys of a scene's stored blobs (for the channels' key limits). */
export async function blobKeys(q: Queryable, sceneId: string): Promise<string[]> {
  const rows = await q.select({ key: sceneBlob.key }).from(sceneBlob).where(eq(sceneBlob.sceneId, sceneId));
  return rows.map((r) => r.key);
}

/** Writes (`Uint8Array`) or deletes (`null`) a scene's blobs by key. */
export async function writeBlobs(
  tx: Tx,
  sceneId: string,
  blobs: Readonly<Record<string, Uint8Array | null>>,
  now: number,
): Promise<void> {
  for (const [key, data] of Object.entries(blobs)) {
    if (data === null) {
      await tx.delete(sceneBlob).where(and(eq(sceneBlob.sceneId, sceneId), eq(sceneBlob.key, key)));
      continue;
    }
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await tx
      .insert(sceneBlob)
      .values({ sceneId, key, data: buffer, updatedAt: now })
      .onConflictDoUpdate({
        target: [sceneBlob.sceneId, sceneBlob.key],
        set: { data: buffer, updatedAt: now },
      });
  }
}

/**
 * Copies a scene — its row, every collection's members (with fresh ids) and
 * its blobs of declared channels, within their limits — into a new scene
 * placed right after the original.
 */
export async function duplicateScene(
  registry: Registry,
  tx: Tx,
  source: StoredScene,
  init: { id: string; name: string; now: number },
): Promise<SceneRow> {
  const { row } = source;
  const siblings = await listScenes(tx, row.gameSessionId);
  // Shift the scenes after the original down by one to make room.
  for (const s of siblings)
    if (s.sortOrder > row.sortOrder)
      await tx
        .update(scene)
        .set({ sortOrder: s.sortOrder + 1 })
        .where(eq(scene.id, s.id));
  const [copy] = await tx
    .insert(scene)
    .values({ ...row, id: init.id, name: init.name, sortOrder: row.sortOrder + 1, lastUpdated: init.now })
    .returning();
  for (const plugin of registry.collections) {
    const members =
      (source.collections as unknown as Record<string, readonly Record<string, unknown>[]>)[plugin.key] ?? [];
    const t = collectionTable(plugin.key);
    for (const member of members)
      await tx.insert(t).values({ ...member, id: newId(), sceneId: init.id } as typeof t.$inferInsert);
  }
  // Only what a room could have saved is copied: a channel since removed or tightened stays behind.
  await writeBlobs(tx, init.id, servableBlobs(registry, source.blobs, 'gm'), init.now);
  return copy!;
}

/** Sets the scenes' sort order to their position in `orderedIds`. Order is not scene content, so `lastUpdated` stays. */
export async function reorderScenes(tx: Tx, orderedIds: readonly string[]): Promise<void> {
  for (const [i, id] of orderedIds.entries())
    await tx.update(scene).set({ sortOrder: i }).where(eq(scene.id, id));
}
