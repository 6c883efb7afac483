/**
 * The client's side of document compaction (protocol in epoch.ts): it
 * remembers, per property path, this client's own last write and the clock
 * it reached, and when the doc switches epoch it re-applies every write the
 * room had not received when it copied the values (clock at or beyond the
 * epoch's `cut` for this client) — queued, in flight, or made offline across
 * any number of compactions.
 *
 * Nothing is resurrected: a property write is re-applied only where its
 * scene (and member) exists in the new epoch, unless this client's own
 * unacknowledged write created that scene or member — nobody else can have
 * deleted what the room never saw. A property of a member another GM deleted
 * stays deleted, exactly as Y.js treats a write into a deleted map.
 */
import * as Y from 'yjs';
import type { Registry } from '../schema';
import { changesOf } from './docChanges';
import {
  deleteMember,
  getBlobs,
  getOrCreateSceneMap,
  getSceneMap,
  getScenesList,
  getScenesMap,
  setPath,
  setSceneName,
} from './docLayout';
import { epochOf, mergeGcRuns, readEpoch } from './epoch';

/** One remembered own write, the latest per key. */
type Write =
  | { readonly kind: 'scene'; readonly sceneId: string; readonly deleted: boolean }
  | {
      readonly kind: 'member';
      readonly sceneId: string;
      readonly path: readonly [string, string];
      readonly deleted: boolean;
    }
  | {
      readonly kind: 'prop';
      readonly sceneId: string;
      readonly path: readonly string[];
      readonly value: unknown;
      readonly deleted: boolean;
    }
  | { readonly kind: 'name'; readonly sceneId: string; readonly value: unknown }
  | {
      readonly kind: 'blob';
      readonly sceneId: string;
      readonly key: string;
      readonly value: unknown;
      readonly deleted: boolean;
    }
  | { readonly kind: 'order'; readonly ids: readonly string[] };

interface Recorded {
  readonly write: Write;
  /** The writing client id and its clock after the write: the room has it when `cut[client] >= clock`. */
  readonly client: number;
  readonly clock: number;
}

/** What a switch did, for the manager (undo reset, notice). */
export interface EpochSwitch {
  readonly epoch: number;
  /** Own writes carried into the new epoch. */
  readonly reapplied: number;
}

const ORDER: Record<Write['kind'], number> = { scene: 0, member: 1, prop: 2, name: 2, blob: 2, order: 3 };

export class EpochFollower {
  readonly #recorded = new Map<string, Recorded>();
  #epoch: number;
  readonly #onTransaction = (tr: Y.Transaction) => this.#applied(tr);

  constructor(
    private readonly doc: Y.Doc,
    private readonly registry: Registry,
    /** Origin of the re-applied writes (this client's, so they are tracked like its edits). */
    private readonly origin: object,
    private readonly onSwitch: (change: EpochSwitch) => void,
  ) {
    this.#epoch = epochOf(doc);
    doc.on('afterTransaction', this.#onTransaction);
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** Own writes the current epoch may not hold yet (for tests and diagnostics). */
  get remembered(): number {
    return this.#recorded.size;
  }

  #applied(tr: Y.Transaction): void {
    const epoch = epochOf(this.doc);
    if (epoch !== this.#epoch) return this.#switch(epoch);
    if (!tr.local || tr.changed.size === 0) return;
    const client = this.doc.clientID;
    const clock = Y.getState(this.doc.store, client);
    const remember = (key: string, write: Write) => this.#recorded.set(key, { write, client, clock });
    for (const c of changesOf(tr, this.registry)) {
      switch (c.kind) {
        case 'scene':
          remember(`s\n${c.sceneId}`, { kind: 'scene', sceneId: c.sceneId, deleted: c.deleted });
          break;
        case 'member':
          remember(`m\n${c.sceneId}\n${c.collection.key}\n${c.memberId}`, {
            kind: 'member',
            sceneId: c.sceneId,
            path: [c.collection.key, c.memberId],
            deleted: c.deleted,
          });
          break;
        case 'prop':
          remember(`p\n${c.sceneId}\n${c.path.join('\n')}`, {
            kind: 'prop',
            sceneId: c.sceneId,
            path: c.path,
            value: c.value,
            deleted: c.deleted,
          });
          break;
        case 'meta':
          remember(`n\n${c.sceneId}\n${c.key}`, {
            kind: 'name',
            sceneId: c.sceneId,
            value: metaValue(c),
          });
          break;
        case 'blob':
          remember(`b\n${c.sceneId}\n${c.key}`, {
            kind: 'blob',
            sceneId: c.sceneId,
            key: c.key,
            value: metaValue(c),
            deleted: c.deleted,
          });
          break;
        case 'order':
          remember('o', { kind: 'order', ids: getScenesList(this.doc).toArray() });
          break;
        default:
          // Session meta is the room's; containers are followed by their props; invalid writes the room reverts.
          break;
      }
    }
  }

  #switch(epoch: number): void {
    this.#epoch = epoch;
    const { cut } = readEpoch(this.doc);
    const missing = [...this.#recorded.values()]
      .filter((r) => r.clock > (cut[String(r.client)] ?? 0))
      .map((r) => r.write)
      .sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
    // Everything remembered is either in the new epoch already or re-applied (and remembered again) now.
    this.#recorded.clear();
    if (missing.length) this.doc.transact(() => this.#reapply(missing), this.origin);
    // This client's copy of the old epochs shrinks like the room's (see mergeGcRuns).
    mergeGcRuns(this.doc);
    this.onSwitch({ epoch, reapplied: missing.length });
  }

  #reapply(writes: readonly Write[]): void {
    for (const w of writes) {
      const scene = w.kind === 'order' ? undefined : getSceneMap(this.doc, w.sceneId);
      switch (w.kind) {
        case 'scene':
          if (w.deleted) {
            if (scene) {
              getScenesMap(this.doc).delete(w.sceneId);
              const list = getScenesList(this.doc);
              for (let i = list.length - 1; i >= 0; i--) if (list.get(i) === w.sceneId) list.delete(i, 1);
            }
          } else if (!scene) {
            getOrCreateSceneMap(this.doc, w.sceneId, this.registry);
          }
          break;
        case 'member': {
          if (!scene) break;
          const [collection, id] = w.path;
          if (w.deleted) deleteMember(scene, collection, id);
          else {
            const members = scene.get(collection);
            if (members instanceof Y.Map && !members.has(id)) members.set(id, new Y.Map<unknown>());
          }
          break;
        }
        case 'prop': {
          if (!scene) break;
          let map: unknown = scene.get(w.path[0]!);
          if (w.path.length === 3 && map instanceof Y.Map) map = map.get(w.path[1]!);
          // No container: the member (or scene) was deleted in the new epoch; the edit goes with it.
          if (!(map instanceof Y.Map)) break;
          const prop = this.registry.byPath(w.path);
          if (!prop) break;
          if (w.deleted) {
            if (map.has(prop.yjsKey)) map.delete(prop.yjsKey);
          } else {
            try {
              setPath(scene, w.path, w.value, this.registry);
            } catch {
              // A value the registry no longer accepts (a migration ran meanwhile) is left out.
            }
          }
          break;
        }
        case 'name':
          if (scene && typeof w.value === 'string') setSceneName(scene, w.value);
          break;
        case 'blob': {
          const blobs = scene && getBlobs(scene, true);
          if (!blobs) break;
          if (w.deleted) blobs.delete(w.key);
          else if (w.value instanceof Uint8Array) blobs.set(w.key, w.value);
          break;
        }
        case 'order': {
          const list = getScenesList(this.doc);
          const exists = new Set(getScenesMap(this.doc).keys());
          const want = w.ids.filter((id) => exists.has(id));
          for (const id of list.toArray()) if (!want.includes(id) && exists.has(id)) want.push(id);
          const current = list.toArray();
          if (current.length !== want.length || current.some((id, i) => id !== want[i])) {
            if (current.length) list.delete(0, current.length);
            list.insert(0, want);
          }
          break;
        }
      }
    }
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.#onTransaction);
    this.#recorded.clear();
  }
}

/** The value a meta or blob change wrote (read from the Y.Map that holds it). */
function metaValue(c: { readonly map: Y.Map<unknown>; readonly key: string }): unknown {
  const { map: holder, key } = c;
  return holder.get(key);
}
