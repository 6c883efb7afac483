/**
 * The shared Y.js document layout (DESIGN.md "Shared documents"), as pure,
 * registry-driven functions. Client and room server both go through here, so
 * neither names a concrete property: every key comes from the registry.
 *
 * Game-session doc: `scenes` (sceneId → scene Y.Map), `scenesList` (order),
 * `gameSessionMeta`. A scene Y.Map holds `meta` ({name}), `blobs`, one Y.Map
 * per scene plugin with synced properties (one key per property, `yjsKey`),
 * and one Y.Map per collection (memberId → member Y.Map). A missing key means
 * the property's default.
 */
import * as Y from 'yjs';
import { checkValue, isEntityId, type PluginInfo, type PropInfo, type Registry } from '../schema';
import { epochOf, rootName } from './epoch';
import { cloneValue, defaultOf, isGmOnlyMember, isGmOnlyProp, sameValue, setOwn } from './values';

export { defaultOf, isGmOnlyMember, isGmOnlyProp, sameValue, setOwn } from './values';
import type { StageProps, View } from '../generated/stageProps';

/** Root names in the game-session doc and the party doc. */
export const DOC_KEYS = {
  scenes: 'scenes',
  scenesList: 'scenesList',
  sessionMeta: 'gameSessionMeta',
  partyState: 'partyState',
  /** The party doc's plugin party settings, setting id → value (engine/schema/partySettings.ts). */
  partySettings: 'partySettings',
} as const;

/** Keys inside a scene Y.Map that are not plugin groups. */
export const SCENE_KEYS = { meta: 'meta', blobs: 'blobs' } as const;

/** Keys inside `gameSessionMeta`. */
export const SESSION_META_KEYS = {
  initialized: 'initialized',
  lastUpdated: 'lastUpdated',
  save: 'save',
  /** Plugin name → schema version the document's values are at (see `upgradeDoc.ts`). */
  schemaVersions: 'schemaVersions',
  /** The backstage hold, while a GM holds the TV (partykit/session/backstage.ts); never projected to players. */
  backstage: 'backstage',
} as const;

/** Keys inside the party doc's `partyState`. */
export const PARTY_STATE_KEYS = {
  activeGameSessionId: 'activeGameSessionId',
  activeSceneId: 'activeSceneId',
  paused: 'paused',
} as const;

/** A scene's Y.Map (and every map below it): values are plain JSON or nested Y.Maps. */
export type YMap = Y.Map<unknown>;

/**
 * StageProps as generic code sees it: group key → property key → value, with
 * collections as group key → member id → member props.
 */
type PropsTree = Record<string, Record<string, unknown>>;

const asTree = (props: StageProps): PropsTree => props as unknown as PropsTree;

// The game-session roots rotate with the document epoch (compaction, see epoch.ts): always reach them here.
export function getScenesMap(doc: Y.Doc): Y.Map<YMap> {
  return doc.getMap<YMap>(rootName(DOC_KEYS.scenes, epochOf(doc)));
}

export function getScenesList(doc: Y.Doc): Y.Array<string> {
  return doc.getArray<string>(rootName(DOC_KEYS.scenesList, epochOf(doc)));
}

export function getSessionMeta(doc: Y.Doc): YMap {
  return doc.getMap<unknown>(rootName(DOC_KEYS.sessionMeta, epochOf(doc)));
}

export function getPartyState(doc: Y.Doc): YMap {
  return doc.getMap<unknown>(DOC_KEYS.partyState);
}

export function getPartySettingsMap(doc: Y.Doc): YMap {
  return doc.getMap<unknown>(DOC_KEYS.partySettings);
}

export function getSceneMap(doc: Y.Doc, sceneId: string): YMap | undefined {
  const scene = getScenesMap(doc).get(sceneId);
  return scene instanceof Y.Map ? scene : undefined;
}

/** The plugins that have a Y.Map in a scene: scene plugins with a synced property, and every collection. */
export function syncedGroups(registry: Registry): readonly PluginInfo[] {
  return registry.plugins.filter(
    (p) => p.attachTo === 'collection' || p.props.some((prop) => !prop.localOnly),
  );
}

function transact(map: YMap, fn: () => void, origin?: unknown): void {
  if (map.doc) map.doc.transact(fn, origin);
  else fn();
}

function childMap(parent: YMap, key: string, create: boolean): YMap | undefined {
  const existing = parent.get(key);
  if (existing instanceof Y.Map) return existing;
  if (!create) return undefined;
  const made = new Y.Map<unknown>();
  parent.set(key, made);
  return made;
}

/**
 * Makes sure every container of a scene exists (`meta`, `blobs`, one map per
 * synced group). Creating them all at once, when the scene is made, matters:
 * two clients that each lazily created the same group map at the same time
 * would see one of the two maps win and the other's writes vanish.
 */
export function ensureSceneContainers(sceneMap: YMap, registry: Registry, origin?: unknown): void {
  transact(
    sceneMap,
    () => {
      childMap(sceneMap, SCENE_KEYS.meta, true);
      childMap(sceneMap, SCENE_KEYS.blobs, true);
      for (const plugin of syncedGroups(registry)) childMap(sceneMap, plugin.key, true);
    },
    origin,
  );
}

/**
 * Returns the scene's Y.Map, creating it (with all its containers and the
 * given name) when absent. Runs in one transaction.
 */
export function getOrCreateSceneMap(
  doc: Y.Doc,
  sceneId: string,
  registry: Registry,
  options: { name?: string; origin?: unknown } = {},
): YMap {
  const scenes = getScenesMap(doc);
  let scene = getSceneMap(doc, sceneId);
  doc.transact(() => {
    if (!scene) {
      scene = new Y.Map<unknown>();
      scenes.set(sceneId, scene);
    }
    ensureSceneContainers(scene, registry);
    if (options.name !== undefined) setSceneName(scene, options.name);
  }, options.origin);
  return scene!;
}

export function getSceneName(sceneMap: YMap): string {
  const name = childMap(sceneMap, SCENE_KEYS.meta, false)?.get('name');
  return typeof name === 'string' ? name : '';
}

export function setSceneName(sceneMap: YMap, name: string): void {
  transact(sceneMap, () => {
    const meta = childMap(sceneMap, SCENE_KEYS.meta, true)!;
    if (meta.get('name') !== name) meta.set('name', name);
  });
}

/** The key of a scene's thumbnail URL in its `meta` map: written by the room alone, never projected to players. */
export const THUMBNAIL_META_KEY = 'thumbnail';

/** The URL of the scene's thumbnail (`/uploads/<name>`), or empty when it has none. */
export function getSceneThumbnail(sceneMap: YMap): string {
  const url = childMap(sceneMap, SCENE_KEYS.meta, false)?.get(THUMBNAIL_META_KEY);
  return typeof url === 'string' ? url : '';
}

/** Sets (or with '' removes) the thumbnail URL; returns whether anything changed. */
export function setSceneThumbnail(sceneMap: YMap, url: string): boolean {
  const meta = childMap(sceneMap, SCENE_KEYS.meta, false);
  if (!meta || (meta.get(THUMBNAIL_META_KEY) ?? '') === url) return false;
  if (url === '') meta.delete(THUMBNAIL_META_KEY);
  else meta.set(THUMBNAIL_META_KEY, url);
  return true;
}

/** The blob map of a scene (fog tiles…): key → bytes. */
export function getBlobs(sceneMap: YMap, create = false): Y.Map<Uint8Array> | undefined {
  return childMap(sceneMap, SCENE_KEYS.blobs, create) as Y.Map<Uint8Array> | undefined;
}

function readValue(map: YMap | undefined, prop: PropInfo, view: View): unknown {
  if (prop.localOnly || !map || (view === 'player' && isGmOnlyProp(prop))) return defaultOf(prop);
  if (!map.has(prop.yjsKey)) return defaultOf(prop);
  // A malformed value (only a buggy or hostile writer makes one) reads as the default.
  const checked = checkValue(prop.decl, map.get(prop.yjsKey));
  return checked.ok ? cloneValue(checked.value) : defaultOf(prop);
}

/** Reads one scene plugin's group; local-only properties come back as defaults. */
export function readGroup(sceneMap: YMap, plugin: PluginInfo, view: View): Record<string, unknown> {
  const map = childMap(sceneMap, plugin.key, false);
  const group: Record<string, unknown> = {};
  for (const prop of plugin.props) group[prop.key] = readValue(map, prop, view);
  return group;
}

/** Reads one collection member map (absent keys are defaults). */
export function readMember(memberMap: YMap, collection: PluginInfo, view: View): Record<string, unknown> {
  const member: Record<string, unknown> = {};
  for (const prop of collection.props) member[prop.key] = readValue(memberMap, prop, view);
  return member;
}

/**
 * Reads one member of a collection as `view` sees it: undefined when it does
 * not exist, or when it is gm-only and `view` is the player's.
 */
export function readMemberIn(
  sceneMap: YMap,
  collection: PluginInfo,
  id: string,
  view: View,
): Record<string, unknown> | undefined {
  const memberMap = childMap(sceneMap, collection.key, false)?.get(id);
  if (!isEntityId(id) || !(memberMap instanceof Y.Map)) return undefined;
  const member = readMember(memberMap, collection, 'gm');
  if (view === 'gm') return member;
  return isGmOnlyMember(collection, member) ? undefined : readMember(memberMap, collection, view);
}

/**
 * Reads a whole collection; in the player view gm-only members are left out.
 * Members under invalid ids are skipped.
 */
export function readCollection(
  sceneMap: YMap,
  collection: PluginInfo,
  view: View,
): Record<string, Record<string, unknown>> {
  const map = childMap(sceneMap, collection.key, false);
  const members: Record<string, Record<string, unknown>> = {};
  if (!map) return members;
  for (const id of map.keys()) {
    const member = readMemberIn(sceneMap, collection, id, view);
    if (member) setOwn(members, id, member);
  }
  return members;
}

/**
 * Reads a scene into StageProps. Missing keys are defaults; local-only
 * properties are defaults too (the caller overlays per-user state). The
 * player view replaces gm-audience values by defaults and drops gm-only
 * collection members.
 */
export function readSceneProps(sceneMap: YMap, registry: Registry, view: View): StageProps {
  const tree: PropsTree = {};
  for (const plugin of registry.scenePlugins) tree[plugin.key] = readGroup(sceneMap, plugin, view);
  for (const collection of registry.collections)
    tree[collection.key] = readCollection(sceneMap, collection, view);
  return tree as unknown as StageProps;
}

function writeValue(map: YMap, prop: PropInfo, value: unknown, view: View): void {
  if (view === 'player' && isGmOnlyProp(prop)) {
    if (map.has(prop.yjsKey)) map.delete(prop.yjsKey);
    return;
  }
  const checked = checkValue(prop.decl, value);
  if (!checked.ok) throw new Error(`${prop.id}: ${checked.reason}`);
  // Skipping equal values keeps the update (and its tombstone) from existing at all.
  if (map.has(prop.yjsKey) && sameValue(map.get(prop.yjsKey), checked.value)) return;
  map.set(prop.yjsKey, cloneValue(checked.value));
}

/** Options for {@link writeSceneProps}. */
export interface WriteOptions {
  /**
   * `player` writes the player projection: gm-audience keys are removed and
   * gm-only members left out. Default `gm` (everything).
   */
  readonly view?: View;
  /** Transaction origin, so observers (undo managers, the room) can tell who wrote. */
  readonly origin?: unknown;
}

/**
 * Writes StageProps into a scene map so that reading it back gives the same
 * props: every synced property gets its own key (unchanged values are not
 * rewritten), local-only properties are never written, and each collection is
 * replaced by the given members (others are deleted). Values are validated
 * first; a bad value throws before anything is written. Runs in one
 * transaction (its own, or the caller's when nested).
 */
export function writeSceneProps(
  sceneMap: YMap,
  props: StageProps,
  registry: Registry,
  options: WriteOptions = {},
): void {
  const view = options.view ?? 'gm';
  const tree = asTree(props);
  checkTree(tree, registry);
  transact(
    sceneMap,
    () => {
      ensureSceneContainers(sceneMap, registry);
      for (const plugin of registry.scenePlugins) {
        const synced = plugin.props.filter((p) => !p.localOnly);
        if (synced.length === 0) continue;
        const map = childMap(sceneMap, plugin.key, true)!;
        const group = tree[plugin.key] ?? {};
        for (const prop of synced) writeValue(map, prop, group[prop.key] ?? prop.decl.default, view);
      }
      for (const collection of registry.collections) {
        const map = childMap(sceneMap, collection.key, true)!;
        const members = (tree[collection.key] ?? {}) as Record<string, Record<string, unknown>>;
        const keep = new Set<string>();
        for (const [id, member] of Object.entries(members)) {
          if (view === 'player' && isGmOnlyMember(collection, member)) continue;
          keep.add(id);
          const memberMap = childMap(map, id, true)!;
          for (const prop of collection.props)
            writeValue(memberMap, prop, prop.key in member ? member[prop.key] : prop.decl.default, view);
        }
        for (const id of [...map.keys()]) if (!keep.has(id)) map.delete(id);
      }
    },
    options.origin,
  );
}

/** Throws, naming the path, when any value or member id in `tree` is invalid. */
function checkTree(tree: PropsTree, registry: Registry): void {
  for (const plugin of registry.scenePlugins)
    for (const prop of plugin.props) {
      const group = tree[plugin.key];
      if (!group || !(prop.key in group) || prop.localOnly) continue;
      const checked = checkValue(prop.decl, group[prop.key]);
      if (!checked.ok) throw new Error(`${plugin.key}.${prop.key}: ${checked.reason}`);
    }
  for (const collection of registry.collections)
    for (const [id, member] of Object.entries(tree[collection.key] ?? {})) {
      if (!isEntityId(id)) throw new Error(`${collection.key}: invalid member id ${JSON.stringify(id)}`);
      for (const prop of collection.props) {
        const value = (member as Record<string, unknown>)[prop.key];
        if (value === undefined) continue;
        const checked = checkValue(prop.decl, value);
        if (!checked.ok) throw new Error(`${collection.key}.${id}.${prop.key}: ${checked.reason}`);
      }
    }
}

/**
 * Sets the property at a StageProps path (`[plugin, key]` or `[collection,
 * memberId, key]`), creating the group or member map when needed. The value
 * is validated with the registry; an unknown or local-only path, or a bad
 * value, throws and writes nothing. Returns the normalised value written.
 */
export function setPath(
  sceneMap: YMap,
  path: readonly string[],
  value: unknown,
  registry: Registry,
  origin?: unknown,
): unknown {
  const prop = registry.byPath(path);
  if (!prop) throw new Error(`${path.join('.')}: no such property`);
  if (prop.localOnly)
    throw new Error(`${path.join('.')}: local-only properties are never written to the document`);
  const checked = registry.validate(path, value);
  if (!checked.ok) throw new Error(checked.reason);
  transact(
    sceneMap,
    () => {
      let map = childMap(sceneMap, path[0]!, true)!;
      if (path.length === 3) map = childMap(map, path[1]!, true)!;
      if (!map.has(prop.yjsKey) || !sameValue(map.get(prop.yjsKey), checked.value))
        map.set(prop.yjsKey, cloneValue(checked.value));
    },
    origin,
  );
  return checked.value;
}

/** Reads the value at a StageProps path from the doc (defaults for missing keys; gm view). */
export function getPath(sceneMap: YMap, path: readonly string[], registry: Registry): unknown {
  const prop = registry.byPath(path);
  if (!prop) throw new Error(`${path.join('.')}: no such property`);
  let map = childMap(sceneMap, path[0]!, false);
  if (map && path.length === 3) map = childMap(map, path[1]!, false);
  return readValue(map, prop, 'gm');
}

/** Deletes a collection member. Returns false when it did not exist. */
export function deleteMember(
  sceneMap: YMap,
  collectionKey: string,
  memberId: string,
  origin?: unknown,
): boolean {
  const map = childMap(sceneMap, collectionKey, false);
  if (!map?.has(memberId)) return false;
  transact(sceneMap, () => map.delete(memberId), origin);
  return true;
}
