/**
 * Scene list operations on the game-session doc: add, rename, reorder,
 * duplicate, delete. They only touch the shared document; the room server
 * notices the change and persists it (it is the only DB writer).
 */
import type * as Y from 'yjs';
import type { Registry } from '../schema';
import type { StageProps } from '../generated/stageProps';
import {
  getBlobs,
  getOrCreateSceneMap,
  getSceneMap,
  getSceneName,
  getSceneThumbnail,
  getScenesList,
  getScenesMap,
  readSceneProps,
  setSceneName,
  writeSceneProps,
} from './docLayout';

/** A scene as the scene list shows it. */
export interface SceneSummary {
  readonly id: string;
  readonly name: string;
  /** Its thumbnail URL, when the room has one for it (GM documents only). */
  readonly thumbnail?: string;
}

const MAX_NAME = 200;

/** Checks and trims a scene name; throws a sentence a person can act on. */
export function checkSceneName(name: unknown): string {
  if (typeof name !== 'string') throw new Error('scene name must be a string');
  const trimmed = name.trim();
  if (trimmed === '') throw new Error('scene name must not be empty');
  if (trimmed.length > MAX_NAME)
    throw new Error(`scene name is ${trimmed.length} characters long; the limit is ${MAX_NAME}`);
  return trimmed;
}

/** A new scene id, unique without coordination. */
export function newSceneId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * The scenes in order. Concurrent reorders can leave an id twice in
 * `scenesList`, and a scene can exist before its list entry arrives: the
 * first occurrence counts, and unlisted scenes follow, sorted by id so every
 * client shows the same order.
 */
export function orderedSceneIds(doc: Y.Doc): string[] {
  const scenes = getScenesMap(doc);
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const id of getScenesList(doc).toArray())
    if (typeof id === 'string' && scenes.has(id) && !seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  const unlisted = [...scenes.keys()].filter((id) => !seen.has(id)).sort();
  return [...ids, ...unlisted];
}

export function listScenes(doc: Y.Doc): SceneSummary[] {
  return orderedSceneIds(doc).map((id) => {
    const scene = getSceneMap(doc, id)!;
    const thumbnail = getSceneThumbnail(scene);
    return thumbnail ? { id, name: getSceneName(scene), thumbnail } : { id, name: getSceneName(scene) };
  });
}

function requireScene(doc: Y.Doc, sceneId: string) {
  const scene = getSceneMap(doc, sceneId);
  if (!scene) throw new Error(`no scene ${JSON.stringify(sceneId)} in this game session`);
  return scene;
}

function writeOrder(doc: Y.Doc, ids: readonly string[]): void {
  const list = getScenesList(doc);
  list.delete(0, list.length);
  list.insert(0, [...ids]);
}

/** Adds a scene (at `index`, default last) and returns its id. */
export function addScene(
  doc: Y.Doc,
  registry: Registry,
  options: { name: string; props?: StageProps; id?: string; index?: number },
  origin?: unknown,
): string {
  const name = checkSceneName(options.name);
  const id = options.id ?? newSceneId();
  if (getSceneMap(doc, id)) throw new Error(`scene ${JSON.stringify(id)} already exists`);
  doc.transact(() => {
    const scene = getOrCreateSceneMap(doc, id, registry, { name });
    if (options.props) writeSceneProps(scene, options.props, registry);
    const order = orderedSceneIds(doc).filter((s) => s !== id);
    order.splice(Math.max(0, Math.min(options.index ?? order.length, order.length)), 0, id);
    const list = getScenesList(doc);
    // Appending is a single insert that merges cleanly with concurrent adds; reorder only when asked.
    if (options.index === undefined || options.index >= order.length - 1) list.push([id]);
    else writeOrder(doc, order);
  }, origin);
  return id;
}

export function renameScene(doc: Y.Doc, sceneId: string, name: string, origin?: unknown): void {
  const scene = requireScene(doc, sceneId);
  const checked = checkSceneName(name);
  doc.transact(() => setSceneName(scene, checked), origin);
}

/** Moves a scene to `index` in the ordered list (clamped). */
export function moveScene(doc: Y.Doc, sceneId: string, index: number, origin?: unknown): void {
  requireScene(doc, sceneId);
  const order = orderedSceneIds(doc).filter((s) => s !== sceneId);
  order.splice(Math.max(0, Math.min(Math.trunc(index), order.length)), 0, sceneId);
  doc.transact(() => writeOrder(doc, order), origin);
}

/** Copies a scene (properties, collection members and blobs) right after it; returns the new id. */
export function duplicateScene(
  doc: Y.Doc,
  registry: Registry,
  sceneId: string,
  options: { name?: string; id?: string } = {},
  origin?: unknown,
): string {
  const source = requireScene(doc, sceneId);
  const name = checkSceneName(options.name ?? `${getSceneName(source) || 'Scene'} (copy)`.slice(0, MAX_NAME));
  const props = readSceneProps(source, registry, 'gm');
  const index = orderedSceneIds(doc).indexOf(sceneId) + 1;
  const id = options.id ?? newSceneId();
  doc.transact(() => {
    addScene(doc, registry, { name, props, id, index });
    const from = getBlobs(source);
    const to = getBlobs(getSceneMap(doc, id)!, true)!;
    if (from) for (const [key, bytes] of from.entries()) to.set(key, bytes.slice());
  }, origin);
  return id;
}

/** Deletes a scene; returns false when it did not exist. */
export function deleteScene(doc: Y.Doc, sceneId: string, origin?: unknown): boolean {
  const scenes = getScenesMap(doc);
  if (!scenes.has(sceneId)) return false;
  doc.transact(() => {
    scenes.delete(sceneId);
    const list = getScenesList(doc);
    for (let i = list.length - 1; i >= 0; i--) if (list.get(i) === sceneId) list.delete(i, 1);
  }, origin);
  return true;
}
