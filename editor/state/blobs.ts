import type * as Y from 'yjs';
import { getBlobs, getSceneMap, getScenesMap, SCENE_KEYS } from '../../engine/sync';

/** Decodes the load API's base64 blobs. */
export function decodeBlobs(encoded: Readonly<Record<string, string>>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [key, b64] of Object.entries(encoded)) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    out.set(key, bytes);
  }
  return out;
}

/** A scene's blobs as a fresh map (what the renderer and the fog mask read). */
export function readBlobs(doc: Y.Doc, sceneId: string): Map<string, Uint8Array> {
  const sceneMap = getSceneMap(doc, sceneId);
  const blobs = sceneMap ? getBlobs(sceneMap) : undefined;
  return new Map(blobs ? [...blobs.entries()] : []);
}

/**
 * Calls `fn(changedKeys)` after every transaction that touched the blobs of
 * `sceneId()` (`undefined` = the whole blob map was replaced, e.g. a reload
 * from the database). Returns the unsubscribe function.
 */
export function observeBlobs(
  doc: Y.Doc,
  sceneId: () => string,
  fn: (changed: string[] | undefined) => void,
): () => void {
  const onTransaction = (tr: Y.Transaction): void => {
    const sceneMap = getSceneMap(doc, sceneId());
    if (!sceneMap) return;
    const blobs = getBlobs(sceneMap);
    const sceneKeys = changedKeys(tr, sceneMap);
    if (sceneKeys?.has(SCENE_KEYS.blobs)) return fn(undefined);
    const keys = blobs ? changedKeys(tr, blobs) : undefined;
    if (keys && keys.size > 0) fn([...keys].filter((k): k is string => k !== null));
    else if (changedKeys(tr, getScenesMap(doc)) !== undefined) fn(undefined);
  };
  doc.on('afterTransaction', onTransaction);
  return () => doc.off('afterTransaction', onTransaction);
}

/** The keys a transaction changed on one shared type (Y.js types `changed` by its event type, which we do not need). */
function changedKeys(tr: Y.Transaction, type: object): Set<string | null> | undefined {
  return tr.changed.get(type as never);
}
