/**
 * Loading scenes from the DB (through the internal API) into the
 * game-session doc, for first use of a room and for `reload` requests. The
 * writes are the room's own (origin ROOM), so they are projected to players
 * but not saved back: they came from the DB.
 */
import * as Y from 'yjs';
import type { Registry } from '../../engine/schema';
import {
  SESSION_META_KEYS,
  getBlobs,
  getOrCreateSceneMap,
  getSceneMap,
  getScenesList,
  getScenesMap,
  getSessionMeta,
  setSceneName,
  setSceneThumbnail,
  writeSceneProps,
} from '../../engine/sync/docLayout';
import { servableBlobs, type InternalScene } from '../../engine/contract';
import { fromBase64 } from './saveLoop';

/** The `lastUpdated` map inside `gameSessionMeta`, created when absent. */
export function lastUpdatedMap(doc: Y.Doc): Y.Map<number> {
  const meta = getSessionMeta(doc);
  let map = meta.get(SESSION_META_KEYS.lastUpdated);
  if (!(map instanceof Y.Map)) {
    map = new Y.Map<number>();
    meta.set(SESSION_META_KEYS.lastUpdated, map);
  }
  return map as Y.Map<number>;
}

/**
 * Writes one DB scene into the doc, replacing the scene's content (values,
 * members, blobs). Call inside a room transaction. Throws (before writing
 * that scene) when the DB data does not validate — it would be a bug on the
 * app server side, and writing half a scene would be worse.
 */
export function writeDbScene(doc: Y.Doc, registry: Registry, scene: InternalScene): void {
  const map = getOrCreateSceneMap(doc, scene.id, registry);
  writeSceneProps(map, scene.props, registry);
  setSceneName(map, typeof scene.name === 'string' ? scene.name : '');
  const blobs = getBlobs(map, true)!;
  const decoded: Record<string, Uint8Array> = {};
  for (const [key, b64] of Object.entries(scene.blobs ?? {}))
    if (typeof b64 === 'string') decoded[key] = fromBase64(b64);
  // The DB may hold blobs of a channel since removed or tightened: those stay out of the doc.
  const incoming = servableBlobs(registry, decoded, 'gm', (r) =>
    console.warn(`scene ${scene.id}: blob not loaded: ${r.reason}`),
  );
  for (const key of [...blobs.keys()]) if (!(key in incoming)) blobs.delete(key);
  for (const [key, bytes] of Object.entries(incoming)) blobs.set(key, bytes);
  if (typeof scene.lastUpdated === 'number') lastUpdatedMap(doc).set(scene.id, scene.lastUpdated);
}

/** Puts the scene list in DB order for the given scenes, keeping scenes the DB does not know at the end. */
export function orderScenes(doc: Y.Doc, scenes: readonly InternalScene[]): void {
  const list = getScenesList(doc);
  const current = list.toArray();
  const dbOrder = [...scenes].sort((a, b) => a.sortOrder - b.sortOrder).map((s) => s.id);
  const present = new Set(dbOrder);
  const rest = current.filter((id) => !present.has(id) && getSceneMap(doc, id));
  const next = [...dbOrder.filter((id) => getSceneMap(doc, id)), ...rest];
  if (next.length === current.length && next.every((id, i) => id === current[i])) return;
  if (current.length) list.delete(0, current.length);
  list.insert(0, next);
}

/** Removes a scene (a reload found it deleted in the DB). */
export function removeScene(doc: Y.Doc, sceneId: string): void {
  getScenesMap(doc).delete(sceneId);
  const list = getScenesList(doc);
  const at = list.toArray().indexOf(sceneId);
  if (at >= 0) list.delete(at, 1);
  lastUpdatedMap(doc).delete(sceneId);
}

/** Thumbnail URLs the room accepts from the app server: its own upload names, as a picture. */
export const THUMBNAIL_URL = /^\/uploads\/[A-Za-z0-9_-]{8,100}\.(png|webp)$/;

/**
 * Mirrors the DB's thumbnail URLs into the scenes' `meta` (GM documents
 * only; the projection copies names alone). Call in a transaction of origin
 * GM_INFO_ORIGIN. Returns how many scenes changed.
 */
export function writeThumbnails(
  doc: Y.Doc,
  scenes: readonly Pick<InternalScene, 'id' | 'thumbnail'>[],
): number {
  let changed = 0;
  for (const scene of scenes) {
    const map = getSceneMap(doc, scene.id);
    const url =
      typeof scene.thumbnail === 'string' && THUMBNAIL_URL.test(scene.thumbnail) ? scene.thumbnail : '';
    if (map && setSceneThumbnail(map, url)) changed++;
  }
  return changed;
}
