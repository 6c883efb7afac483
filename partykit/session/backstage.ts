/**
 * Backstage mode (issue 16): the GM "holds" the TV. GMs keep editing the
 * live document while players keep the last published state: the room then
 * projects for players from a private copy of the document taken when the
 * hold began (the published doc), not from the live one. "Publish" copies
 * the live document again; "publish <plugin>" copies one plugin's data only
 * — its scene group, its collection's members, the blobs of its channels,
 * in every scene both documents have — found through the registry, so the
 * core names no plugin. Scene structure (names, new or deleted scenes,
 * order) travels with a full publish. "Resume live" drops the copy.
 *
 * The hold and the published doc are kept in room storage (the doc as a
 * chunked V2 snapshot, docStore.ts), so a restarted room keeps holding and
 * serves players what they saw. Storage writes run one after another: a
 * resume never races a snapshot of the hold it ends.
 */
import * as Y from 'yjs';
import type * as Party from 'partykit/server';
import type { PluginInfo, Registry } from '../../engine/schema';
import { SCENE_KEYS, getScenesMap, syncedGroups, type YMap } from '../../engine/sync/docLayout';
import { DocStore } from '../core/docStore';
import type { Changes } from './tracker';

const STATE_KEY = 'backstage:state';

/** The hold as GMs see it (in `gameSessionMeta`, never projected to players). */
export interface HoldState {
  /** Display name of the GM who holds. */
  readonly by: string;
  /** When the hold began: players see the state of this time (and the plugins published since). */
  readonly since: number;
  /** Names of the plugins with changes players have not received yet. */
  readonly pending: readonly string[];
  /** True when scene structure (names, scenes added or removed, order) changed since the last full publish. */
  readonly structure: boolean;
}

/** Origin of the room's writes into the published doc (nobody observes it; named for debugging). */
const PUBLISH_ORIGIN = Symbol('publish');

function copyDoc(from: Y.Doc): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdateV2(doc, Y.encodeStateAsUpdateV2(from), PUBLISH_ORIGIN);
  return doc;
}

function child(map: YMap, key: string): YMap | undefined {
  const v = map.get(key);
  return v instanceof Y.Map ? (v as YMap) : undefined;
}

/** Makes `to` hold the same keys and values as `from` (nested maps as maps), writing only differences. */
function mirror(from: YMap, to: YMap, only: (key: string) => boolean = () => true): void {
  for (const key of [...to.keys()]) if (only(key) && !from.has(key)) to.delete(key);
  for (const [key, value] of from.entries()) {
    if (!only(key)) continue;
    if (value instanceof Y.Map) {
      let target = child(to, key);
      if (!target) to.set(key, (target = new Y.Map<unknown>()));
      mirror(value as YMap, target);
      continue;
    }
    if (value instanceof Y.AbstractType) continue;
    const current = to.get(key);
    if (value instanceof Uint8Array) {
      if (!(current instanceof Uint8Array) || !sameBytes(current, value)) to.set(key, value.slice());
    } else if (JSON.stringify(current) !== JSON.stringify(value))
      to.set(key, typeof value === 'object' && value !== null ? structuredClone(value) : value);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** See the module comment. */
export class Backstage {
  private state: HoldState | undefined;
  private published: Y.Doc | undefined;
  private readonly store: DocStore;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Party.Storage,
    private readonly registry: Registry,
    private readonly live: Y.Doc,
  ) {
    this.store = new DocStore(storage, 'held:');
  }

  get holding(): boolean {
    return this.state !== undefined;
  }

  get hold(): HoldState | undefined {
    return this.state;
  }

  /** The document players are projected from: the published copy during a hold, else the live one. */
  readonly source = (): Y.Doc => this.published ?? this.live;

  /** Restores a hold stored before a restart (returns its published doc, for upgrading), if any. */
  async restore(): Promise<Y.Doc | undefined> {
    const state = await this.storage.get<HoldState>(STATE_KEY);
    if (!state) return undefined;
    const doc = new Y.Doc({ gc: true });
    // The state is written after the copy, so a stored state has its copy; were it lost, players get
    // an empty stage rather than the live one (when in doubt, less).
    await this.store.load(doc, PUBLISH_ORIGIN);
    this.state = state;
    this.published = doc;
    return doc;
  }

  /** Starts holding (a second hold keeps the first one's holder and copy). */
  start(by: string): void {
    if (this.state) return;
    this.published = copyDoc(this.live);
    this.state = { by, since: Date.now(), pending: [], structure: false };
    this.persist(true);
  }

  /** Publishes everything: players get the live document; the hold goes on from now. */
  publishAll(): void {
    if (!this.state) return;
    this.published = copyDoc(this.live);
    this.state = { ...this.state, since: Date.now(), pending: [], structure: false };
    this.persist(true);
  }

  /** Publishes one plugin's data (see the module comment). Returns false for an unknown plugin. */
  publishPlugin(name: string): boolean {
    const plugin = this.registry.plugin(name);
    if (!plugin) return false;
    if (!this.state || !this.published) return true;
    const target = this.published;
    target.transact(() => {
      const liveScenes = getScenesMap(this.live);
      const heldScenes = getScenesMap(target);
      for (const [sceneId, held] of heldScenes.entries()) {
        const live = liveScenes.get(sceneId);
        if (live instanceof Y.Map) this.copyPlugin(plugin, live as YMap, held as YMap);
      }
    }, PUBLISH_ORIGIN);
    this.state = { ...this.state, pending: this.state.pending.filter((p) => p !== name) };
    this.persist(true);
    return true;
  }

  private copyPlugin(plugin: PluginInfo, live: YMap, held: YMap): void {
    if (syncedGroups(this.registry).some((p) => p.name === plugin.name)) {
      const from = child(live, plugin.key);
      let to = child(held, plugin.key);
      if (from && !to) held.set(plugin.key, (to = new Y.Map<unknown>()));
      if (from && to) mirror(from, to);
    }
    if (!plugin.channels.length) return;
    const ownBlob = (key: string) => this.registry.channelOf(key)?.plugin === plugin.name;
    const from = child(live, SCENE_KEYS.blobs) ?? new Y.Map<unknown>();
    let to = child(held, SCENE_KEYS.blobs);
    if (!to) held.set(SCENE_KEYS.blobs, (to = new Y.Map<unknown>()));
    mirror(from, to, ownBlob);
  }

  /** Ends the hold: players follow the live document again. */
  resume(): void {
    if (!this.state) return;
    this.state = undefined;
    this.published = undefined;
    this.persist(false);
  }

  /**
   * Notes which plugins the live changes touched while holding. Returns true when the hold state
   * changed (the room then tells the GMs).
   */
  note(changes: Changes): boolean {
    if (!this.state) return false;
    const pending = new Set(this.state.pending);
    let structure = this.state.structure || changes.order;
    for (const t of changes.touches) {
      switch (t.part) {
        case 'group':
        case 'collection':
        case 'member': {
          const plugin = syncedGroups(this.registry).find((p) => p.key === t.key);
          if (plugin) pending.add(plugin.name);
          break;
        }
        case 'blob': {
          const channel = this.registry.channelOf(t.key);
          if (channel) pending.add(channel.plugin);
          break;
        }
        case 'blobs':
          for (const c of this.registry.channels) pending.add(c.plugin);
          break;
        default:
          structure = true;
      }
    }
    const names = this.registry.plugins.map((p) => p.name).filter((n) => pending.has(n));
    if (structure === this.state.structure && names.join() === this.state.pending.join()) return false;
    const state: HoldState = { ...this.state, pending: names, structure };
    this.state = state;
    void this.queue(() => this.storage.put(STATE_KEY, state));
    return true;
  }

  private persist(holding: boolean): void {
    const state = this.state;
    const doc = this.published;
    void this.queue(async () => {
      if (!holding || !state || !doc) {
        await this.storage.delete(STATE_KEY);
        await this.store.clear();
        return;
      }
      await this.store.compact(doc);
      await this.storage.put(STATE_KEY, state);
    });
  }

  /** Resolves once every storage write issued so far is done (tests, shutdown). */
  settled(): Promise<void> {
    return this.writes;
  }

  private queue(op: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(op).catch((e) => console.error('storing the backstage hold failed', e));
    return this.writes;
  }
}
