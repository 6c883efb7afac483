/**
 * Document epochs: how a room compacts its Y.Doc without clients swapping
 * their Y.Doc or reloading.
 *
 * Y.js keeps a deleted item for every overwritten map value even with GC on,
 * so a long session's state grows with the number of edits. Content whose
 * parent type is deleted, however, is garbage-collected down to one small
 * `GC` range per client. A compaction therefore copies the current values
 * into fresh root types (`scenes@2`, `scenesList@2`, `gameSessionMeta@2`) and
 * deletes every entry of the old roots, all in one room transaction, and
 * records the new epoch in the fixed `epoch` root. The old history collapses
 * to a few bytes per client; clients keep their Y.Doc and their connection,
 * and every reader that goes through docLayout (`getScenesMap`…) follows the
 * epoch key. Epoch 0 uses the historical root names, so stored docs load
 * unchanged.
 *
 * The epoch record also holds the `cut`: the room's state vector when it
 * compacted. A client's own write whose clock is at or beyond `cut[its
 * clientID]` was not in the room when the values were copied; the client
 * re-applies it to the new roots at the property level (see epochFollower.ts).
 */
import * as Y from 'yjs';

/** The fixed root that names the current epoch. Only the room writes it. */
export const EPOCH_ROOT = 'epoch';
export const EPOCH_KEYS = { n: 'n', cut: 'cut' } as const;

/** The roots that rotate with the epoch (docLayout's game-session roots) and their Y.js types. */
export const EPOCH_ROOTS: Readonly<Record<string, typeof Y.Map | typeof Y.Array>> = {
  scenes: Y.Map,
  scenesList: Y.Array,
  gameSessionMeta: Y.Map,
};

/** One epoch's record: its number and the room's state vector (client → clock) when it began. */
export interface EpochRecord {
  readonly n: number;
  readonly cut: Readonly<Record<string, number>>;
}

export function getEpochMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(EPOCH_ROOT);
}

/** The current epoch number of a doc (0 when none was ever recorded, or the record is malformed). */
export function epochOf(doc: Y.Doc): number {
  const n = getEpochMap(doc).get(EPOCH_KEYS.n);
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** The root name of `base` in epoch `n`. */
export function rootName(base: string, n: number): string {
  return n === 0 ? base : `${base}@${n}`;
}

/** The current epoch's record. */
export function readEpoch(doc: Y.Doc): EpochRecord {
  const raw = getEpochMap(doc).get(EPOCH_KEYS.cut);
  const cut: Record<string, number> = {};
  if (raw && typeof raw === 'object')
    for (const [k, v] of Object.entries(raw as Record<string, unknown>))
      if (typeof v === 'number') cut[k] = v;
  return { n: epochOf(doc), cut };
}

/** The root names a doc in epoch `n` may hold data in. */
export function epochRootNames(n: number): Set<string> {
  return new Set([EPOCH_ROOT, ...Object.keys(EPOCH_ROOTS).map((b) => rootName(b, n))]);
}

/**
 * Joins neighbouring `GC` ranges of each client into one. After a compaction
 * every struct of an old epoch is such a range, but Y.js merges ranges only
 * where the deleting transaction touched them, so without this the state
 * would still hold one small struct per overwrite ever made. Safe: nothing
 * points at a GC struct (items reference each other by id or by Item), and
 * Y.js itself merges GC neighbours the same way.
 */
export function mergeGcRuns(doc: Y.Doc): void {
  for (const [client, structs] of doc.store.clients) {
    const merged: typeof structs = [];
    for (const s of structs) {
      const last = merged[merged.length - 1];
      if (last instanceof Y.GC && s instanceof Y.GC) last.length += s.length;
      else merged.push(s);
    }
    if (merged.length !== structs.length) doc.store.clients.set(client, merged);
  }
}
