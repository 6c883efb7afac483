/**
 * What a scene Y.Map may contain, and how the room repairs one that breaks
 * the rules. Everything is derived from the registry: the only keys a scene
 * may hold are `meta`, `blobs` and one map per synced plugin or collection;
 * property values must pass the property's validator; unknown keys are
 * removed. A value that fails is reverted to its previous value when that
 * one was valid, otherwise removed (a missing key reads as the default).
 * Blobs follow the channels plugins declare (`engine/contract/blobs.ts`).
 * Repairs run in a room transaction, so every client converges on valid
 * data and the DB never stores an invalid value.
 */
import * as Y from 'yjs';
import {
  checkValue,
  isEntityId,
  type ChannelInfo,
  type PluginInfo,
  type PropInfo,
  type Registry,
} from '../../engine/schema';
import { channelOverLimit, checkBlobValue } from '../../engine/contract';
import {
  SCENE_KEYS,
  THUMBNAIL_META_KEY,
  sameValue,
  syncedGroups,
  type YMap,
} from '../../engine/sync/docLayout';

/** Longest scene name accepted into the doc (the DB column is plain text; this keeps rows sane). */
export const MAX_SCENE_NAME = 200;

/** Previous values of changed keys, from the Y.js event (`undefined`: the key was absent). */
export type Previous = ReadonlyMap<string, unknown>;

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

/**
 * Scene metadata a client may write: only a string `name`. The thumbnail URL
 * is the room's (it mirrors the app server's record): a client's change to it
 * is reverted, a name change beside it leaves it alone.
 */
export function repairMeta(map: YMap, previous?: Previous): number {
  let repairs = 0;
  for (const key of [...map.keys()]) {
    const value = map.get(key);
    if (key === 'name' && typeof value === 'string' && value.length <= MAX_SCENE_NAME) continue;
    if (key === THUMBNAIL_META_KEY && previous && !previous.has(key)) continue;
    if (key === THUMBNAIL_META_KEY && typeof previous?.get(key) === 'string') {
      map.set(key, previous.get(key));
      repairs++;
      continue;
    }
    repairs++;
    const before = previous?.get(key);
    if (key === 'name' && typeof before === 'string' && before.length <= MAX_SCENE_NAME) map.set(key, before);
    else map.delete(key);
  }
  return repairs;
}

/** Where the room reports what it refused (a client's bad blob is worth a line in the logs, not an error). */
export type RepairLog = (reason: string) => void;

const warn: RepairLog = (reason) => console.warn(`room repaired a client change: ${reason}`);

/**
 * Blobs: keys of declared channels only, each value within its channel's
 * size and passing its content check (else reverted to the previous value
 * when that one was valid, or removed), and no channel over its key limit
 * (the keys this change added go first).
 */
export function repairBlobs(
  map: YMap,
  registry: Registry,
  keys?: Iterable<string>,
  previous?: Previous,
  log: RepairLog = warn,
): number {
  let repairs = 0;
  const changed = [...(keys ?? map.keys())];
  for (const key of changed) {
    if (!map.has(key)) continue;
    const checked = checkBlobValue(registry, key, map.get(key));
    if (checked.ok) continue;
    log(checked.reason);
    repairs++;
    const before = previous?.get(key);
    if (before !== undefined && checkBlobValue(registry, key, before).ok) map.set(key, before);
    else map.delete(key);
  }
  // Counting walks every key: only worth it when this change left a key in place.
  if (!changed.some((k) => map.has(k))) return repairs;
  const over = channelOverLimit(registry, map.keys());
  if (!over) return repairs;
  log(over.reason);
  // Newly added keys go first (last added first), then any: the scene must end within every limit.
  const added = changed.filter((k) => map.has(k) && previous?.get(k) === undefined).reverse();
  const rest = [...map.keys()].reverse();
  const counts = new Map<ChannelInfo, number>();
  for (const key of map.keys()) {
    const channel = registry.channelOf(key);
    if (channel) counts.set(channel, (counts.get(channel) ?? 0) + 1);
  }
  for (const key of [...added, ...rest]) {
    const channel = registry.channelOf(key);
    const n = channel ? counts.get(channel)! : 0;
    if (!channel || n <= channel.decl.maxKeys || !map.has(key)) continue;
    map.delete(key);
    counts.set(channel, n - 1);
    repairs++;
  }
  return repairs;
}

/**
 * Repairs a whole scene: its containers exist and are maps (a container a
 * client replaced by something else becomes an empty map, i.e. defaults),
 * unknown keys go, and every value is checked.
 */
export function repairScene(scene: YMap, registry: Registry, log?: RepairLog): number {
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
  repairs += repairSceneKey(scene, registry, SCENE_KEYS.blobs, log);
  for (const plugin of syncedGroups(registry)) repairs += repairSceneKey(scene, registry, plugin.key);
  return repairs;
}

/** Repairs one top-level key of a scene (its whole container). */
export function repairSceneKey(scene: YMap, registry: Registry, key: string, log?: RepairLog): number {
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
      return repairs + repairBlobs(container, registry, undefined, undefined, log);
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
