/**
 * What a scene Y.Map may contain, and how the room repairs one that breaks
 * the rules. Everything is derived from the registry: the only keys a scene
 * may hold are `meta`, `blobs` and one map per synced plugin or collection;
 * property values must pass the property's validator; unknown keys are
 * removed. A value that fails is reverted to its previous value when that
 * one was valid, otherwise removed (a missing key reads as the default).
 * Repairs run in a room transaction, so every client converges on valid
 * data and the DB never stores an invalid value.
 */
import * as Y from 'yjs';
import { checkValue, isEntityId, type PluginInfo, type PropInfo, type Registry } from '../../engine/schema';
import { SCENE_KEYS, sameValue, syncedGroups, type YMap } from '../../engine/sync/docLayout';

/** Longest scene name accepted into the doc (the DB column is plain text; this keeps rows sane). */
export const MAX_SCENE_NAME = 200;
/** Largest single blob (a fog tile) accepted into the doc. */
export const MAX_BLOB_BYTES = 1024 * 1024;
const BLOB_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]{0,127}$/;

/** Previous values of changed keys, from the Y.js event (`undefined`: the key was absent). */
export type Previous = ReadonlyMap<string, unknown>;

/** True for blob keys the room accepts (`fog/3_4`…). */
export function isBlobKey(key: string): boolean {
  return BLOB_KEY.test(key) && !key.includes('..');
}

/** The registry's view of which keys a scene may hold. */
export function sceneKeyKind(
  registry: Registry,
  key: string,
): { kind: 'meta' } | { kind: 'blobs' } | { kind: 'group' | 'collection'; plugin: PluginInfo } | undefined {
  if (key === SCENE_KEYS.meta) return { kind: 'meta' };
  if (key === SCENE_KEYS.blobs) return { kind: 'blobs' };
  const plugin = syncedGroups(registry).find((p) => p.key === key);
  if (!plugin) return undefined;
  return { kind: plugin.attachTo === 'collection' ? 'collection' : 'group', plugin };
}

function propByYjsKey(plugin: PluginInfo, key: string): PropInfo | undefined {
  return plugin.props.find((p) => p.yjsKey === key && !p.localOnly);
}

/**
 * Repairs the keys of one property map (a scene plugin's group or a
 * collection member). Only `keys` are checked when given (the keys a client
 * changed), with their previous values for reverts.
 */
export function repairPropMap(
  map: YMap,
  plugin: PluginInfo,
  keys?: Iterable<string>,
  previous?: Previous,
): number {
  let repairs = 0;
  for (const key of keys ?? [...map.keys()]) {
    if (!map.has(key)) continue;
    const prop = propByYjsKey(plugin, key);
    if (!prop) {
      map.delete(key);
      repairs++;
      continue;
    }
    const value = map.get(key);
    const checked = checkValue(prop.decl, value);
    if (checked.ok) {
      if (!sameValue(checked.value, value)) {
        map.set(key, checked.value);
        repairs++;
      }
      continue;
    }
    repairs++;
    const before = previous?.get(key);
    const old = before === undefined ? undefined : checkValue(prop.decl, before);
    if (old?.ok) map.set(key, old.value);
    else map.delete(key);
  }
  return repairs;
}

/** Repairs a collection map: member ids must be entity ids holding maps; members are checked in full. */
export function repairCollection(map: YMap, collection: PluginInfo, members?: Iterable<string>): number {
  let repairs = 0;
  for (const id of members ?? [...map.keys()]) {
    if (!map.has(id)) continue;
    const member = map.get(id);
    if (!isEntityId(id) || !(member instanceof Y.Map)) {
      map.delete(id);
      repairs++;
      continue;
    }
    repairs += repairPropMap(member, collection);
  }
  return repairs;
}

/** Scene metadata: only a string `name`. */
export function repairMeta(map: YMap, previous?: Previous): number {
  let repairs = 0;
  for (const key of [...map.keys()]) {
    const value = map.get(key);
    if (key === 'name' && typeof value === 'string' && value.length <= MAX_SCENE_NAME) continue;
    repairs++;
    const before = previous?.get(key);
    if (key === 'name' && typeof before === 'string' && before.length <= MAX_SCENE_NAME) map.set(key, before);
    else map.delete(key);
  }
  return repairs;
}

/** Blobs: safe keys, byte values of bounded size. */
export function repairBlobs(map: YMap, keys?: Iterable<string>): number {
  let repairs = 0;
  for (const key of keys ?? [...map.keys()]) {
    if (!map.has(key)) continue;
    const value = map.get(key);
    if (isBlobKey(key) && value instanceof Uint8Array && value.byteLength <= MAX_BLOB_BYTES) continue;
    map.delete(key);
    repairs++;
  }
  return repairs;
}

/**
 * Repairs a whole scene: its containers exist and are maps (a container a
 * client replaced by something else becomes an empty map, i.e. defaults),
 * unknown keys go, and every value is checked.
 */
export function repairScene(scene: YMap, registry: Registry): number {
  let repairs = 0;
  for (const key of [...scene.keys()]) {
    if (!sceneKeyKind(registry, key)) {
      scene.delete(key);
      repairs++;
    }
  }
  const containers = [SCENE_KEYS.meta, SCENE_KEYS.blobs, ...syncedGroups(registry).map((p) => p.key)];
  for (const key of containers) {
    if (!(scene.get(key) instanceof Y.Map)) {
      scene.set(key, new Y.Map<unknown>());
      repairs++;
    }
  }
  repairs += repairSceneKey(scene, registry, SCENE_KEYS.meta);
  repairs += repairSceneKey(scene, registry, SCENE_KEYS.blobs);
  for (const plugin of syncedGroups(registry)) repairs += repairSceneKey(scene, registry, plugin.key);
  return repairs;
}

/** Repairs one top-level key of a scene (its whole container). */
export function repairSceneKey(scene: YMap, registry: Registry, key: string): number {
  const kind = sceneKeyKind(registry, key);
  if (!kind) {
    if (!scene.has(key)) return 0;
    scene.delete(key);
    return 1;
  }
  let map = scene.get(key);
  let repairs = 0;
  if (!(map instanceof Y.Map)) {
    map = new Y.Map<unknown>();
    scene.set(key, map);
    repairs++;
  }
  const container = map as YMap;
  switch (kind.kind) {
    case 'meta':
      return repairs + repairMeta(container);
    case 'blobs':
      return repairs + repairBlobs(container);
    case 'group':
      return repairs + repairPropMap(container, kind.plugin);
    case 'collection':
      return repairs + repairCollection(container, kind.plugin);
  }
}

/** The scene order list: string scene ids, no duplicates. */
export function repairScenesList(list: Y.Array<unknown>): number {
  const seen = new Set<string>();
  const bad: number[] = [];
  list.toArray().forEach((id, i) => {
    if (typeof id !== 'string' || !isEntityId(id) || seen.has(id)) bad.push(i);
    else seen.add(id);
  });
  for (const i of bad.reverse()) list.delete(i, 1);
  return bad.length;
}
