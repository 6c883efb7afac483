/**
 * Watches the game-session doc and turns Y.js events into two things:
 *
 * - touches: which scene parts changed (whole scene, deletion, meta, a
 *   plugin group, a collection's membership or one member, one blob), so the
 *   projection and the save loop only redo what changed; and
 * - checks: for changes made by clients, the repairs to run (with the
 *   previous values, which are only available inside the event handler).
 *
 * Changes replayed from storage are ignored; changes the room makes itself
 * are touched (the projection must follow) but neither checked nor marked
 * for saving.
 */
import * as Y from 'yjs';
import type { Registry } from '../../engine/schema';
import { getScenesList, getScenesMap, getSessionMeta, type YMap } from '../../engine/sync/docLayout';
import { EPOCH_ORIGIN, LOAD_ORIGIN, ROOM_ORIGIN } from '../core/syncRoom';
import {
  repairBlobs,
  repairCollection,
  repairMeta,
  repairPropMap,
  repairScene,
  repairSceneKey,
  repairScenesList,
  sceneKeyKind,
  type RepairLog,
} from './sceneRules';
import { isEntityId } from '../../engine/schema';
import type { CheckedPart } from './roomHooks';

/** Runs after the registry's repairs of a checked part (the room plugins' `onChange`); returns its repairs. */
export type AfterRepair = (part: CheckedPart) => number;

/** One changed part of a scene. */
export type Touch =
  | { readonly sceneId: string; readonly part: 'all' | 'deleted' | 'meta' }
  | { readonly sceneId: string; readonly part: 'group' | 'collection' | 'blobs'; readonly key: string }
  | { readonly sceneId: string; readonly part: 'member'; readonly key: string; readonly member: string }
  | { readonly sceneId: string; readonly part: 'blob'; readonly key: string };

/** Everything a batch of transactions changed. */
export interface Changes {
  readonly touches: Touch[];
  order: boolean;
  sessionMeta: boolean;
}

const emptyChanges = (): Changes => ({ touches: [], order: false, sessionMeta: false });

/** See the module comment. */
export class ChangeTracker {
  /** Changes since the projection last ran (every origin but storage). */
  private view = emptyChanges();
  /** Changes clients made since the save loop last took them. */
  private save = emptyChanges();
  private checks: Array<() => number> = [];
  private metaTampered = false;
  private readonly unbind: Array<() => void> = [];

  constructor(
    private readonly doc: Y.Doc,
    private readonly registry: Registry,
    private readonly after: AfterRepair = () => 0,
    private readonly log?: RepairLog,
  ) {
    this.bind();
  }

  /**
   * Observes the current epoch's roots. The room calls `rebind` after loading
   * a stored doc or compacting (epoch.ts): the roots are new types then.
   */
  rebind(): void {
    for (const off of this.unbind.splice(0)) off();
    this.bind();
  }

  private bind(): void {
    const doc = this.doc;
    const scenes = getScenesMap(doc);
    const onScenes = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, tr: Y.Transaction) => {
      if (tr.origin === EPOCH_ORIGIN) return;
      try {
        this.onScenes(events, tr);
      } catch (e) {
        // Never let a strange event skip validation: check and re-project every scene instead.
        console.error('change tracking failed; checking every scene', e);
        this.checkEverything(tr.origin);
      }
    };
    scenes.observeDeep(onScenes);
    const list = getScenesList(doc);
    const onList = (_e: unknown, tr: Y.Transaction) => {
      if (tr.origin === LOAD_ORIGIN || tr.origin === EPOCH_ORIGIN) return;
      this.view.order = true;
      if (isClient(tr.origin)) {
        this.save.order = true;
        this.checks.push(() => repairScenesList(getScenesList(doc) as Y.Array<unknown>));
      }
    };
    list.observe(onList);
    const meta = getSessionMeta(doc);
    const onMeta = (_e: unknown, tr: Y.Transaction) => {
      if (tr.origin === LOAD_ORIGIN || tr.origin === EPOCH_ORIGIN) return;
      this.view.sessionMeta = true;
      if (isClient(tr.origin)) this.metaTampered = true;
    };
    meta.observeDeep(onMeta);
    this.unbind.push(
      () => scenes.unobserveDeep(onScenes),
      () => list.unobserve(onList),
      () => meta.unobserveDeep(onMeta),
    );
  }

  private checkEverything(origin: unknown): void {
    const client = isClient(origin);
    const scenes = getScenesMap(this.doc);
    for (const sceneId of scenes.keys()) this.touch({ sceneId, part: 'all' }, client);
    if (!client) return;
    this.checks.push(() => {
      let repairs = 0;
      for (const [id, scene] of [...scenes.entries()]) {
        if (!isEntityId(id) || !((scene as unknown) instanceof Y.Map)) {
          scenes.delete(id);
          repairs++;
        } else {
          repairs += repairScene(scene, this.registry, this.log);
          repairs += this.after({ kind: 'scene', sceneId: id, scene });
        }
      }
      return repairs;
    });
  }

  /** Runs the pending repairs (call inside a room transaction). Returns how many values were repaired. */
  runChecks(): number {
    const checks = this.checks;
    this.checks = [];
    let repairs = 0;
    for (const check of checks) repairs += check();
    return repairs;
  }

  /** True once after a client wrote into `gameSessionMeta` (only the room may). */
  takeMetaTampered(): boolean {
    const t = this.metaTampered;
    this.metaTampered = false;
    return t;
  }

  takeViewChanges(): Changes {
    const c = this.view;
    this.view = emptyChanges();
    return c;
  }

  takeSaveChanges(): Changes {
    const c = this.save;
    this.save = emptyChanges();
    return c;
  }

  private touch(t: Touch, client: boolean): void {
    this.view.touches.push(t);
    if (client) this.save.touches.push(t);
  }

  private onScenes(events: Array<Y.YEvent<Y.AbstractType<unknown>>>, tr: Y.Transaction): void {
    if (tr.origin === LOAD_ORIGIN || tr.origin === GM_INFO_ORIGIN) return;
    const client = isClient(tr.origin);
    const scenes = getScenesMap(this.doc);
    for (const event of events) {
      const path = event.path as Array<string | number>;
      const changes = event.changes.keys;
      const keys = [...changes.keys()];
      const previous = new Map<string, unknown>();
      for (const [k, change] of changes) previous.set(k, change.oldValue);
      if (path.length === 0) {
        for (const sceneId of keys) {
          const deleted = changes.get(sceneId)?.action === 'delete';
          this.touch({ sceneId, part: deleted ? 'deleted' : 'all' }, client);
          if (client && !deleted)
            this.checks.push(() => {
              const scene = scenes.get(sceneId) as unknown;
              if (scene === undefined) return 0;
              if (!isEntityId(sceneId) || !(scene instanceof Y.Map)) {
                scenes.delete(sceneId);
                return 1;
              }
              return (
                repairScene(scene as YMap, this.registry, this.log) +
                this.after({ kind: 'scene', sceneId, scene: scene as YMap })
              );
            });
        }
        continue;
      }
      const sceneId = String(path[0]);
      const scene = scenes.get(sceneId);
      if (!(scene instanceof Y.Map)) continue;
      if (path.length === 1) {
        for (const key of keys) {
          const kind = sceneKeyKind(this.registry, key);
          if (kind?.kind === 'meta') this.touch({ sceneId, part: 'meta' }, client);
          else if (kind?.kind === 'blobs') this.touch({ sceneId, part: 'blobs', key }, client);
          else if (kind) this.touch({ sceneId, part: kind.kind, key }, client);
          if (client)
            this.checks.push(
              () =>
                repairSceneKey(scene, this.registry, key, this.log) +
                this.after({ kind: 'scene', sceneId, scene, key }),
            );
        }
        continue;
      }
      const groupKey = String(path[1]);
      const kind = sceneKeyKind(this.registry, groupKey);
      if (!kind) continue;
      const target = event.target as YMap;
      if (path.length === 2) {
        switch (kind.kind) {
          case 'meta':
            this.touch({ sceneId, part: 'meta' }, client);
            if (client) this.checks.push(() => repairMeta(target, previous));
            break;
          case 'blobs':
            for (const key of keys) this.touch({ sceneId, part: 'blob', key }, client);
            if (client)
              this.checks.push(
                () =>
                  repairBlobs(target, this.registry, keys, previous, this.log) +
                  this.after({ kind: 'blobs', sceneId, target, keys, previous }),
              );
            break;
          case 'group':
            this.touch({ sceneId, part: 'group', key: groupKey }, client);
            if (client)
              this.checks.push(
                () =>
                  repairPropMap(target, kind.plugin, keys, previous) +
                  this.after({ kind: 'props', sceneId, plugin: kind.plugin, target, keys, previous }),
              );
            break;
          case 'collection':
            for (const member of keys) this.touch({ sceneId, part: 'member', key: groupKey, member }, client);
            if (client)
              this.checks.push(
                () =>
                  repairCollection(target, kind.plugin, keys) +
                  this.after({ kind: 'members', sceneId, plugin: kind.plugin, target, ids: keys }),
              );
            break;
        }
        continue;
      }
      if (kind.kind !== 'collection') continue;
      const member = String(path[2]);
      this.touch({ sceneId, part: 'member', key: groupKey, member }, client);
      if (client && path.length === 3)
        this.checks.push(
          () =>
            repairPropMap(target, kind.plugin, keys, previous) +
            this.after({
              kind: 'props',
              sceneId,
              plugin: kind.plugin,
              target,
              keys,
              previous,
              member: { id: member, created: false },
            }),
        );
    }
  }
}

/**
 * Origin of the room's writes of GM-only scene information (the thumbnail URL
 * in a scene's `meta`): they reach GM connections and room storage, but are
 * not scene content — not saved to the DB, not projected, not an unpublished
 * change of a backstage hold.
 */
export const GM_INFO_ORIGIN = Symbol('gm-info');

/** A transaction made by a client connection (not the room, not a storage replay). */
export function isClient(origin: unknown): boolean {
  return (
    origin !== ROOM_ORIGIN &&
    origin !== GM_INFO_ORIGIN &&
    origin !== LOAD_ORIGIN &&
    origin !== EPOCH_ORIGIN &&
    origin !== null &&
    origin !== undefined
  );
}
