/**
 * Maps a Y.js transaction on the game-session doc back to what changed in
 * StageProps terms: which scenes, which property paths, which collection
 * members, blobs, names, order. The room server uses it to validate client
 * writes and track dirty scene parts; the client uses it to re-read only what
 * changed. Registry-driven: no property is named here.
 */
import * as Y from 'yjs';
import { isEntityId, type PluginInfo, type PropInfo, type Registry } from '../schema';
import { SCENE_KEYS, getScenesList, getScenesMap, getSessionMeta, type YMap } from './docLayout';

/** One change found in a transaction. `map` and `key` locate it, so a server can revert it. */
export type DocChange =
  /** A scene was added to (or replaced in) `scenes`, or removed from it. */
  | { readonly kind: 'scene'; readonly sceneId: string; readonly deleted: boolean }
  /** A property key was set or removed. `path` is the StageProps path. */
  | {
      readonly kind: 'prop';
      readonly sceneId: string;
      readonly path: readonly string[];
      readonly prop: PropInfo;
      readonly map: YMap;
      readonly key: string;
      readonly value: unknown;
      readonly deleted: boolean;
    }
  /** A collection member was added or deleted (its property keys follow as `prop` changes when added). */
  | {
      readonly kind: 'member';
      readonly sceneId: string;
      readonly collection: PluginInfo;
      readonly memberId: string;
      readonly map: YMap;
      readonly deleted: boolean;
    }
  /**
   * A plugin group or collection map was (re)placed in a scene: everything it
   * held before is gone, and its keys follow as `prop` / `member` changes.
   */
  | { readonly kind: 'container'; readonly sceneId: string; readonly plugin: PluginInfo; readonly map: YMap }
  /** A key of the scene's `meta` map (its name) changed. */
  | { readonly kind: 'meta'; readonly sceneId: string; readonly map: YMap; readonly key: string }
  /** A binary blob was set or removed. */
  | {
      readonly kind: 'blob';
      readonly sceneId: string;
      readonly map: YMap;
      readonly key: string;
      readonly deleted: boolean;
    }
  /** `scenesList` changed (order, additions, removals). */
  | { readonly kind: 'order' }
  /** `gameSessionMeta` (or something below it) changed. */
  | { readonly kind: 'sessionMeta'; readonly key: string | null }
  /** Something the layout does not allow; deleting `map[key]` removes it. */
  | {
      readonly kind: 'invalid';
      readonly sceneId: string | undefined;
      readonly map: YMap | undefined;
      readonly key: string | null;
      readonly reason: string;
    };

// Y.js types are invariant in their event type, so any concrete type only fits AbstractType<any>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

interface Lookup {
  readonly groups: ReadonlyMap<string, PluginInfo>;
  /** Per plugin: yjsKey → property. */
  readonly byYjsKey: ReadonlyMap<PluginInfo, ReadonlyMap<string, PropInfo>>;
}

const lookups = new WeakMap<Registry, Lookup>();

function lookup(registry: Registry): Lookup {
  let found = lookups.get(registry);
  if (!found) {
    found = {
      groups: new Map(registry.plugins.map((p) => [p.key, p])),
      byYjsKey: new Map(
        registry.plugins.map((p) => [p, new Map(p.props.map((prop) => [prop.yjsKey, prop]))]),
      ),
    };
    lookups.set(registry, found);
  }
  return found;
}

/** The keys leading from `root` down to `type`, or undefined when `type` is not (or no longer) below it. */
function pathBelow(root: AnyType, type: AnyType): string[] | undefined {
  const keys: string[] = [];
  let current: AnyType = type;
  while (current !== root) {
    const item = current._item;
    if (!item || item.deleted || item.parentSub === null || !(item.parent instanceof Y.AbstractType))
      return undefined;
    keys.unshift(item.parentSub);
    current = item.parent;
  }
  return keys;
}

/** Collects changes for one transaction; a class so the expansion helpers share the output list. */
class Collector {
  readonly out: DocChange[] = [];
  constructor(private readonly look: Lookup) {}

  invalid(sceneId: string | undefined, map: YMap | undefined, key: string | null, reason: string): void {
    this.out.push({ kind: 'invalid', sceneId, map, key, reason });
  }

  /** A key of the scenes map changed. */
  scene(scenes: YMap, sceneId: string): void {
    if (!scenes.has(sceneId)) return void this.out.push({ kind: 'scene', sceneId, deleted: true });
    const value = scenes.get(sceneId);
    if (!(value instanceof Y.Map)) return this.invalid(sceneId, scenes, sceneId, 'a scene must be a Y.Map');
    this.out.push({ kind: 'scene', sceneId, deleted: false });
    for (const key of value.keys()) this.sceneKey(sceneId, value, key);
  }

  /** A key of a scene map changed: a (new) container, so everything in it is new too. */
  sceneKey(sceneId: string, sceneMap: YMap, key: string): void {
    // Containers are permanent; a removed one would silently reset all its values to defaults.
    if (!sceneMap.has(key)) return this.invalid(sceneId, sceneMap, key, `container "${key}" was removed`);
    const value = sceneMap.get(key);
    if (!(value instanceof Y.Map))
      return this.invalid(sceneId, sceneMap, key, `scene key "${key}" must hold a Y.Map`);
    if (key === SCENE_KEYS.meta) {
      for (const k of value.keys()) this.out.push({ kind: 'meta', sceneId, map: value, key: k });
      return;
    }
    if (key === SCENE_KEYS.blobs) {
      for (const k of value.keys()) this.blob(sceneId, value, k);
      return;
    }
    const plugin = this.look.groups.get(key);
    if (!plugin) return this.invalid(sceneId, sceneMap, key, `"${key}" is not a plugin or collection`);
    this.out.push({ kind: 'container', sceneId, plugin, map: value });
    if (plugin.attachTo === 'collection')
      for (const id of value.keys()) this.member(sceneId, plugin, value, id);
    else for (const k of value.keys()) this.prop(sceneId, plugin, value, k, undefined);
  }

  blob(sceneId: string, map: YMap, key: string): void {
    const deleted = !map.has(key);
    if (!deleted && !(map.get(key) instanceof Uint8Array))
      return this.invalid(sceneId, map, key, `blob "${key}" must be a Uint8Array`);
    this.out.push({ kind: 'blob', sceneId, map, key, deleted });
  }

  member(sceneId: string, collection: PluginInfo, map: YMap, memberId: string): void {
    if (!isEntityId(memberId)) return this.invalid(sceneId, map, memberId, `invalid ${collection.key} id`);
    const deleted = !map.has(memberId);
    const value = map.get(memberId);
    if (!deleted && !(value instanceof Y.Map))
      return this.invalid(sceneId, map, memberId, `${collection.key}.${memberId} must be a Y.Map`);
    this.out.push({ kind: 'member', sceneId, collection, memberId, map, deleted });
    if (value instanceof Y.Map)
      for (const k of value.keys()) this.prop(sceneId, collection, value, k, memberId);
  }

  prop(sceneId: string, plugin: PluginInfo, map: YMap, key: string, memberId: string | undefined): void {
    const prop = this.look.byYjsKey.get(plugin)?.get(key);
    const where = memberId === undefined ? `${plugin.key}.${key}` : `${plugin.key}.${memberId}.${key}`;
    if (!prop) return this.invalid(sceneId, map, key, `${where}: no such property`);
    if (prop.localOnly)
      return this.invalid(sceneId, map, key, `${where}: local-only properties are never synced`);
    const path = memberId === undefined ? [plugin.key, prop.key] : [plugin.key, memberId, prop.key];
    const deleted = !map.has(key);
    this.out.push({ kind: 'prop', sceneId, path, prop, map, key, value: map.get(key), deleted });
  }
}

/**
 * Lists what a transaction on a game-session doc changed, in StageProps
 * terms. Containers created inside the transaction are expanded, so every
 * property key written — even inside a brand-new scene or member — appears as
 * a `prop` change. Works from `doc.on('afterTransaction')` or from the
 * transaction an `observeDeep` callback receives.
 */
export function changesOf(transaction: Y.Transaction, registry: Registry): DocChange[] {
  const doc = transaction.doc;
  // The current epoch's roots (epoch.ts): writes into an old epoch's roots are not scene changes.
  const scenes: AnyType = getScenesMap(doc);
  const list: AnyType = getScenesList(doc);
  const meta: AnyType = getSessionMeta(doc);
  const look = lookup(registry);
  const c = new Collector(look);
  let orderSeen = false;
  for (const [type, keys] of transaction.changed) {
    if (type === list) {
      if (!orderSeen) c.out.push({ kind: 'order' });
      orderSeen = true;
      continue;
    }
    if (type === meta || pathBelow(meta, type)) {
      for (const key of keys) c.out.push({ kind: 'sessionMeta', key });
      continue;
    }
    const at = pathBelow(scenes, type);
    if (!at) continue;
    const map = type instanceof Y.Map ? (type as YMap) : undefined;
    const sceneId = at[0];
    for (const key of keys) {
      if (!map || key === null) {
        c.invalid(sceneId, undefined, null, `unexpected ${type.constructor.name} at ${at.join('.')}`);
        break;
      }
      if (at.length === 0) c.scene(map, key);
      else if (at.length === 1) c.sceneKey(sceneId!, map, key);
      else classifyNested(c, look, at, map, key);
    }
  }
  return c.out;
}

function classifyNested(c: Collector, look: Lookup, at: readonly string[], map: YMap, key: string): void {
  const [sceneId, groupKey, memberId] = at as [string, string, string | undefined];
  if (at.length === 2 && groupKey === SCENE_KEYS.meta)
    return void c.out.push({ kind: 'meta', sceneId, map, key });
  if (at.length === 2 && groupKey === SCENE_KEYS.blobs) return c.blob(sceneId, map, key);
  const plugin = look.groups.get(groupKey);
  if (!plugin) return c.invalid(sceneId, map, key, `"${groupKey}" is not a plugin or collection`);
  if (at.length === 2 && plugin.attachTo === 'collection') return c.member(sceneId, plugin, map, key);
  if (at.length === 2) return c.prop(sceneId, plugin, map, key, undefined);
  if (at.length === 3 && plugin.attachTo === 'collection' && isEntityId(memberId))
    return c.prop(sceneId, plugin, map, key, memberId);
  c.invalid(sceneId, map, key, `unexpected nesting at ${at.join('.')}.${key}`);
}
