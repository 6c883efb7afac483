/**
 * The player projection: a second Y.Doc with the same layout as the
 * game-session doc minus everything players must not receive —
 * scenes the GM is not showing (the `shown` predicate: only the party's
 * active scene, so unshown scenes leave neither names, members nor asset
 * URLs), `audience: 'gm'` property values (their keys are absent, so they read as
 * defaults), blobs of `audience: 'gm'` channels, and collection members a
 * `gmOnlyWhen` rule hides. Player
 * connections sync with this doc only, so no GM byte ever reaches them, not
 * even inside a Y.js update or a tombstone: the projection is written by the
 * room as fresh operations, never by forwarding GM updates.
 *
 * It is kept current part by part from the tracker's touches: a changed
 * group or member is re-read (validated, through docLayout) and only values
 * that differ are written, so a GM edit costs players one small update.
 */
import * as Y from 'yjs';
import type { PluginInfo, Registry } from '../../engine/schema';
import {
  SCENE_KEYS,
  SESSION_META_KEYS,
  ensureSceneContainers,
  getScenesList,
  getScenesMap,
  getSessionMeta,
  isGmOnlyMember,
  isGmOnlyProp,
  readGroup,
  readMember,
  sameValue,
  syncedGroups,
  type YMap,
} from '../../engine/sync/docLayout';
import { playerMayReceiveBlob } from '../../engine/contract';
import type { PlayerDecision, RoomHooks } from './roomHooks';
import type { Changes } from './tracker';
import type { OcclusionIndex } from './occlusion';

/** The room plugins' say in the projection (`projectForPlayer`); see roomHooks.ts. */
export type PlayerFilter = Pick<RoomHooks, 'projects' | 'forPlayer'>;

const NOT_HIDDEN: PlayerDecision = { hide: false, hideValues: new Set() };

const NO_PLUGINS: PlayerFilter = {
  projects: () => false,
  forPlayer: () => ({ hide: false, hideValues: new Set() }),
};

function sameBytes(a: unknown, b: unknown): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function child(map: YMap, key: string): YMap | undefined {
  const v = map.get(key);
  return v instanceof Y.Map ? (v as YMap) : undefined;
}

function childOrCreate(map: YMap, key: string): YMap {
  const existing = child(map, key);
  if (existing) return existing;
  const made = new Y.Map<unknown>();
  map.set(key, made);
  return made;
}

/**
 * Writes the player-visible values of a props map into `target`: gm-audience
 * keys removed, keys absent from the source absent here too (both read as the
 * default), equal values skipped so an unchanged value costs nothing.
 */
function writeVisible(
  target: YMap,
  plugin: PluginInfo,
  source: YMap | undefined,
  values: Record<string, unknown>,
  hidden: ReadonlySet<string>,
): void {
  const visible = (p: PluginInfo['props'][number]) => !p.localOnly && !isGmOnlyProp(p) && !hidden.has(p.key);
  for (const prop of plugin.props) {
    if (prop.localOnly) continue;
    if (!visible(prop) || !source?.has(prop.yjsKey)) {
      if (target.has(prop.yjsKey)) target.delete(prop.yjsKey);
      continue;
    }
    const value = values[prop.key];
    if (target.has(prop.yjsKey) && sameValue(target.get(prop.yjsKey), value)) continue;
    target.set(prop.yjsKey, typeof value === 'object' && value !== null ? structuredClone(value) : value);
  }
  for (const key of [...target.keys()])
    if (!plugin.props.some((p) => p.yjsKey === key && visible(p))) target.delete(key);
}

/** Keeps the projection doc current; see the module comment. */
export class Projector {
  private readonly source: () => Y.Doc;

  constructor(
    /** The document players are projected from (a function: during a backstage hold, the published copy). */
    source: Y.Doc | (() => Y.Doc),
    private readonly view: Y.Doc,
    private readonly registry: Registry,
    private readonly plugins: PlayerFilter = NO_PLUGINS,
    private readonly shown: (sceneId: string) => boolean = () => true,
    private readonly occlusion?: OcclusionIndex,
    /** Whether a GM's presence reveals a member now (reveals.ts); `projectForPlayer` sees it. */
    private readonly revealed: (pluginName: string, sceneId: string, id: string) => boolean = () => false,
  ) {
    this.source = typeof source === 'function' ? source : () => source;
  }

  private get full(): Y.Doc {
    return this.source();
  }

  /** The plugins' verdict on an item, asked only when some plugin projects this plugin's data. */
  private decide(pluginName: string, item: () => Parameters<PlayerFilter['forPlayer']>[1]): PlayerDecision {
    return this.plugins.projects(pluginName) ? this.plugins.forPlayer(pluginName, item()) : NOT_HIDDEN;
  }

  /** Rebuilds the whole projection (after loading, or when in doubt). Writes only differences. */
  projectAll(origin: unknown): void {
    this.view.transact(() => {
      const fullScenes = getScenesMap(this.full);
      const viewScenes = getScenesMap(this.view);
      for (const id of [...viewScenes.keys()])
        if (!(fullScenes.get(id) instanceof Y.Map) || !this.shown(id)) {
          viewScenes.delete(id);
          this.occlusion?.forgetScene(id);
        }
      for (const id of fullScenes.keys()) if (this.shown(id)) this.projectScene(id);
      this.projectOrder();
      this.projectSessionMeta();
    }, origin);
  }

  /** Applies a batch of changes to the projection. */
  project(changes: Changes, origin: unknown): void {
    if (!changes.touches.length && !changes.order && !changes.sessionMeta) return;
    this.view.transact(() => {
      const done = new Set<string>();
      for (const t of changes.touches) {
        const id = `${t.sceneId}\u0000${t.part}\u0000${'key' in t ? t.key : ''}\u0000${'member' in t ? t.member : ''}`;
        if (done.has(id) || done.has(`${t.sceneId}\u0000all\u0000\u0000`)) continue;
        done.add(id);
        const fullScene = child(getScenesMap(this.full) as unknown as YMap, t.sceneId);
        // An unshown scene has no trace in the projection (see setShown for the switch itself).
        if (t.part === 'deleted' || !fullScene || !this.shown(t.sceneId)) {
          if (!fullScene || !this.shown(t.sceneId)) {
            getScenesMap(this.view).delete(t.sceneId);
            this.occlusion?.forgetScene(t.sceneId);
          }
          continue;
        }
        if (t.part === 'all') {
          this.projectScene(t.sceneId);
          continue;
        }
        const viewScene = this.viewScene(t.sceneId);
        switch (t.part) {
          case 'meta':
            this.projectMeta(fullScene, viewScene);
            break;
          case 'blobs':
            this.projectBlobs(t.sceneId, fullScene, viewScene);
            for (const channel of new Set(this.registry.channels.map((c) => c.plugin)))
              this.reoccluded(t.sceneId, fullScene, viewScene, channel, '');
            break;
          case 'blob': {
            this.projectBlob(t.sceneId, fullScene, viewScene, t.key);
            const channel = this.registry.channelOf(t.key);
            if (channel) this.reoccluded(t.sceneId, fullScene, viewScene, channel.plugin, t.key);
            break;
          }
          case 'group':
          case 'collection': {
            const plugin = syncedGroups(this.registry).find((p) => p.key === t.key);
            if (!plugin) break;
            if (plugin.attachTo === 'scene') {
              this.projectGroup(t.sceneId, fullScene, viewScene, plugin);
              this.reoccluded(t.sceneId, fullScene, viewScene, plugin.name);
            } else this.projectCollection(t.sceneId, fullScene, viewScene, plugin);
            break;
          }
          case 'member': {
            const plugin = this.registry.collection(t.key);
            if (plugin) this.projectMember(t.sceneId, fullScene, viewScene, plugin, t.member);
            break;
          }
        }
      }
      if (changes.order) this.projectOrder();
      if (changes.sessionMeta) this.projectSessionMeta();
    }, origin);
  }

  /** Projects members of shown scenes again (their revealed state changed; see reveals.ts). */
  reproject(members: readonly { plugin: string; sceneId: string; id: string }[], origin: unknown): void {
    if (!members.length) return;
    this.view.transact(() => {
      for (const m of members) {
        const plugin = this.registry.plugin(m.plugin);
        const fullScene = child(getScenesMap(this.full) as unknown as YMap, m.sceneId);
        if (plugin?.attachTo !== 'collection' || !fullScene || !this.shown(m.sceneId)) continue;
        this.projectMember(m.sceneId, fullScene, this.viewScene(m.sceneId), plugin, m.id);
      }
    }, origin);
  }

  /**
   * Projects again the members whose footprint meets what an occluding plugin's change uncovered or
   * covered (a blob `key`, `''` for all of its blobs, none for its group); see occlusion.ts.
   */
  private reoccluded(
    sceneId: string,
    fullScene: YMap,
    viewScene: YMap,
    pluginName: string,
    key?: string,
  ): void {
    if (!this.occlusion?.active) return;
    for (const [collectionKey, id] of this.occlusion.affected(sceneId, pluginName, key || undefined)) {
      const plugin = this.registry.collection(collectionKey);
      if (plugin) this.projectMember(sceneId, fullScene, viewScene, plugin, id);
    }
  }

  private viewScene(sceneId: string): YMap {
    const scenes = getScenesMap(this.view);
    let scene = scenes.get(sceneId) as unknown;
    if (!(scene instanceof Y.Map)) {
      scene = new Y.Map<unknown>();
      scenes.set(sceneId, scene as YMap);
      ensureSceneContainers(scene as YMap, this.registry);
    }
    return scene as YMap;
  }

  private projectScene(sceneId: string): void {
    const fullScene = child(getScenesMap(this.full) as unknown as YMap, sceneId);
    if (!fullScene) return;
    const viewScene = this.viewScene(sceneId);
    this.projectMeta(fullScene, viewScene);
    this.projectBlobs(sceneId, fullScene, viewScene);
    for (const plugin of syncedGroups(this.registry)) {
      if (plugin.attachTo === 'scene') this.projectGroup(sceneId, fullScene, viewScene, plugin);
      else this.projectCollection(sceneId, fullScene, viewScene, plugin);
    }
  }

  private projectMeta(fullScene: YMap, viewScene: YMap): void {
    const name = child(fullScene, SCENE_KEYS.meta)?.get('name');
    const meta = childOrCreate(viewScene, SCENE_KEYS.meta);
    if (typeof name === 'string') {
      if (meta.get('name') !== name) meta.set('name', name);
    } else if (meta.has('name')) meta.delete('name');
  }

  private projectBlobs(sceneId: string, fullScene: YMap, viewScene: YMap): void {
    const from = child(fullScene, SCENE_KEYS.blobs);
    const to = childOrCreate(viewScene, SCENE_KEYS.blobs);
    for (const key of [...to.keys()]) if (!from?.has(key)) to.delete(key);
    for (const key of from?.keys() ?? []) this.projectBlob(sceneId, fullScene, viewScene, key);
  }

  private projectBlob(sceneId: string, fullScene: YMap, viewScene: YMap, key: string): void {
    const value = child(fullScene, SCENE_KEYS.blobs)?.get(key);
    const to = childOrCreate(viewScene, SCENE_KEYS.blobs);
    const channel = this.registry.channelOf(key);
    if (
      !(value instanceof Uint8Array) ||
      !channel ||
      !playerMayReceiveBlob(this.registry, key) ||
      this.decide(channel.plugin, () => ({ kind: 'blob', sceneId, channel: channel.name, key, bytes: value }))
        .hide
    ) {
      if (to.has(key)) to.delete(key);
      return;
    }
    if (!sameBytes(to.get(key), value)) to.set(key, value.slice());
  }

  private projectGroup(sceneId: string, fullScene: YMap, viewScene: YMap, plugin: PluginInfo): void {
    const values = readGroup(fullScene, plugin, 'gm');
    const decision = this.decide(plugin.name, () => ({ kind: 'group', sceneId, values }));
    // A hidden group reads as defaults for players: every value is left out.
    const hidden = decision.hide ? new Set(plugin.props.map((p) => p.key)) : decision.hideValues;
    writeVisible(childOrCreate(viewScene, plugin.key), plugin, child(fullScene, plugin.key), values, hidden);
  }

  private projectCollection(sceneId: string, fullScene: YMap, viewScene: YMap, plugin: PluginInfo): void {
    const from = child(fullScene, plugin.key);
    const to = childOrCreate(viewScene, plugin.key);
    for (const id of [...to.keys()]) if (!from?.has(id)) to.delete(id);
    for (const id of from?.keys() ?? []) this.projectMember(sceneId, fullScene, viewScene, plugin, id);
  }

  private projectMember(
    sceneId: string,
    fullScene: YMap,
    viewScene: YMap,
    plugin: PluginInfo,
    id: string,
  ): void {
    const memberMap = child(child(fullScene, plugin.key) ?? new Y.Map(), id);
    const to = childOrCreate(viewScene, plugin.key);
    const member = memberMap ? readMember(memberMap, plugin, 'gm') : undefined;
    const decision =
      member && !isGmOnlyMember(plugin, member)
        ? this.decide(plugin.name, () => ({
            kind: 'member',
            sceneId,
            id,
            values: member,
            revealed: this.revealed(plugin.name, sceneId, id),
          }))
        : undefined;
    if (!member) this.occlusion?.forget(sceneId, plugin.key, id);
    if (!decision || decision.hide || this.occlusion?.hidden(sceneId, plugin, id, member!)) {
      if (to.has(id)) to.delete(id);
      return;
    }
    writeVisible(childOrCreate(to, id), plugin, memberMap, member!, decision.hideValues);
  }

  private projectOrder(): void {
    const from = getScenesList(this.full)
      .toArray()
      .filter((id) => typeof id === 'string' && this.shown(id));
    const to = getScenesList(this.view);
    const current = to.toArray();
    if (current.length === from.length && current.every((id, i) => id === from[i])) return;
    if (current.length) to.delete(0, current.length);
    to.insert(0, from);
  }

  private projectSessionMeta(): void {
    // The backstage hold is the GMs' business: players never learn that one exists.
    const forPlayers = (key: string) => key !== SESSION_META_KEYS.backstage;
    copyPlainTree(getSessionMeta(this.full), getSessionMeta(this.view), forPlayers);
  }
}

/** Mirrors a map of plain values and nested maps (same structure, Y.Maps stay Y.Maps); `only` picks top-level keys. */
function copyPlainTree(from: YMap, to: YMap, only: (key: string) => boolean = () => true): void {
  for (const key of [...to.keys()]) if (!from.has(key) || !only(key)) to.delete(key);
  for (const [key, value] of from.entries()) {
    if (!only(key)) continue;
    if (value instanceof Y.Map) {
      copyPlainTree(value as YMap, childOrCreate(to, key));
      continue;
    }
    if (value instanceof Y.AbstractType) continue;
    const current = to.get(key);
    if (current instanceof Y.AbstractType || !sameValue(current, value))
      to.set(key, typeof value === 'object' && value !== null ? structuredClone(value) : value);
  }
}
