/**
 * The client's view of the game-session doc's scenes: immutable StageProps
 * snapshots, and the property update path (validate → show at once →
 * local-only? keep it locally : coalesce → flush in one transaction).
 *
 * What the user sees for a scene is the document's value, overlaid by (in
 * order) other users' gesture previews, their local-only state, their edits
 * not yet sent, and the values of controls they are editing right now (focus
 * protection).
 *
 * Gestures: between `beginEdit` and `endEdit` of a path, edits to it are
 * shown at once and published as a preview (awareness) instead of being
 * written; `endEdit` writes the gesture's last value — one document write and
 * one undo step per gesture — unless it equals the document's.
 */
import * as Y from 'yjs';
import type { Registry } from '../schema';
import type { StageProps, View } from '../generated/stageProps';
import { Broadcaster, type Clock } from './broadcaster';
import { collectTouches } from './touches';
import { deleteMember, getPath, getSceneMap, getScenesMap, setPath } from './docLayout';
import { FocusGuard } from './focus';
import type { LocalState } from './localState';
import {
  applyOverlay,
  reconcile,
  refreshSnapshot,
  touchedNothing,
  type OverlayEntry,
  type Touched,
} from './snapshots';
import { createDebug } from './debug';
import { previewable, type PreviewWire } from './previews';
import { sameValue } from './values';

const log = createDebug('tablestage:sync');

type PropThrottle = NonNullable<ReturnType<Registry['byPath']>>['throttle'];

/** What `queuePropertyUpdate` did. Bad input is reported, never thrown, and changes nothing. */
export type QueueResult =
  | { readonly ok: true; readonly value: unknown; readonly localOnly: boolean }
  | { readonly ok: false; readonly code: string; readonly reason: string };

interface PendingEdit {
  readonly sceneId: string;
  readonly path: readonly string[];
  readonly value: unknown;
  /** The member did not exist in the doc when first edited: the flush may create it. */
  readonly createsMember: boolean;
}

/** What changed, for subscribers. */
export type StoreChange =
  { readonly type: 'scene'; readonly sceneId: string } | { readonly type: 'sceneList' };

/** The last value of a gesture in progress, written when it ends. */
interface GestureValue {
  readonly sceneId: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

const editKey = (sceneId: string, path: readonly string[]) => `${sceneId}\n${path.join('.')}`;
const memberKey = (sceneId: string, collection: string, id: string) => `${sceneId}\n${collection}\n${id}`;

export class SceneStore {
  readonly #docSnapshots = new Map<string, StageProps>();
  readonly #visible = new Map<string, StageProps>();
  /** Per scene: what changed in the doc since its snapshot was last read. */
  readonly #touched = new Map<string, Touched>();
  readonly #deletedMembers = new Set<string>();
  readonly #focus = new FocusGuard();
  readonly #broadcaster: Broadcaster<PendingEdit>;
  readonly #gestures = new Map<string, GestureValue>();
  /** Per scene: other users' validated previews. */
  readonly #remote = new Map<string, readonly OverlayEntry[]>();
  /**
   * Publishes (or with null withdraws) this user's preview of a path; the
   * manager wires it to the awareness channel.
   */
  onPreview: (key: string, preview: PreviewWire | null) => void = () => {};
  readonly #onTransaction = (tr: Y.Transaction) => this.#applied(tr);

  constructor(
    readonly doc: Y.Doc,
    readonly registry: Registry,
    readonly view: View,
    private readonly local: LocalState,
    /** Origin of this client's transactions (the undo manager tracks it). */
    readonly origin: object,
    private readonly notify: (change: StoreChange) => void,
    clock?: Clock,
  ) {
    this.#broadcaster = new Broadcaster((edits) => this.#send(edits), clock);
    doc.on('afterTransaction', this.#onTransaction);
  }

  /** The scene as this user sees it, or undefined when the doc has no such scene. */
  getSceneData(sceneId: string): StageProps | undefined {
    const sceneMap = getSceneMap(this.doc, sceneId);
    if (!sceneMap) return undefined;
    let docProps = this.#docSnapshots.get(sceneId);
    const touched = this.#touched.get(sceneId);
    if (!docProps || touched) {
      docProps = refreshSnapshot(docProps, sceneMap, touched ?? touchedNothing(), this.registry, this.view);
      this.#docSnapshots.set(sceneId, docProps);
      this.#touched.delete(sceneId);
      this.#visible.delete(sceneId);
    }
    let visible = this.#visible.get(sceneId);
    if (!visible) {
      const prev = this.#lastVisible.get(sceneId);
      visible = reconcile(
        prev,
        applyOverlay(docProps, this.#overlay(sceneId, docProps), this.registry),
        this.registry,
      );
      this.#visible.set(sceneId, visible);
      this.#lastVisible.set(sceneId, visible);
    }
    return visible;
  }

  /** Last snapshot handed out per scene, so a recomputed one can share its unchanged parts. */
  readonly #lastVisible = new Map<string, StageProps>();

  #overlay(sceneId: string, docProps: StageProps): OverlayEntry[] {
    const members = docProps as unknown as Record<string, Record<string, unknown>>;
    // An edit or hold for a member deleted meanwhile must not bring it back on screen.
    const alive = (path: readonly string[], creates: boolean) =>
      path.length !== 3 ||
      (!this.#deletedMembers.has(memberKey(sceneId, path[0]!, path[1]!)) &&
        (creates || Object.hasOwn(members[path[0]!] ?? {}, path[1]!)));
    // Previews of members this user does not have (unknown, or hidden from this view) are ignored.
    const entries: OverlayEntry[] = (this.#remote.get(sceneId) ?? []).filter((e) => alive(e.path, false));
    for (const [key, value] of Object.entries(this.local.get(sceneId)))
      entries.push({ path: key.split('.'), value });
    for (const edit of this.#broadcaster.items())
      if (edit.sceneId === sceneId && alive(edit.path, edit.createsMember)) entries.push(edit);
    for (const hold of this.#focus.entries(`${sceneId}\n`)) if (alive(hold.path, false)) entries.push(hold);
    return entries;
  }

  #invalidate(sceneId: string): void {
    this.#visible.delete(sceneId);
    this.notify({ type: 'scene', sceneId });
  }

  /**
   * Validates and queues one property edit; see {@link QueueResult}. The new
   * value shows at once in `getSceneData`; it reaches the doc at the earliest
   * deadline of the pending throttle classes.
   */
  queue(sceneId: string, path: readonly string[], value: unknown): QueueResult {
    const prop = this.registry.byPath(path);
    const checked = this.registry.validate(path, value);
    if (!checked.ok || !prop) {
      const reason = checked.ok ? `${path.join('.')}: no such property` : checked.reason;
      log('refused', reason);
      return { ok: false, code: checked.ok ? 'unknown-path' : checked.code, reason };
    }
    // Normalised values are fresh copies: the caller's object is never frozen or shared.
    const normalised = structuredClone(checked.value);
    const key = editKey(sceneId, path);
    if (prop.localOnly) {
      this.local.set(sceneId, path, normalised);
      this.#focus.update(key, normalised);
      this.#invalidate(sceneId);
      return { ok: true, value: normalised, localOnly: true };
    }
    if (this.view === 'player')
      return { ok: false, code: 'read-only', reason: `${path.join('.')}: players cannot change the scene` };
    const refused = this.#write(sceneId, path, normalised, prop.throttle, this.#focus.isHeld(key));
    if (refused) return refused;
    this.#focus.update(key, normalised);
    this.#invalidate(sceneId);
    return { ok: true, value: normalised, localOnly: false };
  }

  /**
   * Queues a validated value for the doc or, inside a gesture, keeps it as
   * the gesture's value and publishes it as a preview. Returns a refusal, or
   * undefined when done.
   */
  #write(
    sceneId: string,
    path: readonly string[],
    value: unknown,
    throttle: PropThrottle,
    inGesture: boolean,
  ): QueueResult | undefined {
    const key = editKey(sceneId, path);
    const sceneMap = getSceneMap(this.doc, sceneId);
    if (!sceneMap) return { ok: false, code: 'unknown-scene', reason: `no scene ${JSON.stringify(sceneId)}` };
    let createsMember = false;
    if (path.length === 3) {
      if (this.#deletedMembers.has(memberKey(sceneId, path[0]!, path[1]!)))
        return { ok: false, code: 'deleted', reason: `${path[0]}.${path[1]} was deleted` };
      const members = sceneMap.get(path[0]!);
      createsMember =
        this.#broadcaster.get(key)?.createsMember ?? !(members instanceof Y.Map && members.has(path[1]!));
    }
    if (inGesture) {
      this.#gestures.set(key, { sceneId, path, value });
      // A member not yet in anyone else's doc has nothing to preview on; too large a value is not previewed.
      this.onPreview(
        key,
        !createsMember && previewable(value) ? { s: sceneId, k: [...path], v: value } : null,
      );
      return undefined;
    }
    this.#broadcaster.queue(key, { sceneId, path, value, createsMember }, throttle);
    return undefined;
  }

  /** Sends every pending edit now. */
  flush(): void {
    this.#broadcaster.flush();
  }

  #send(edits: PendingEdit[]): void {
    const touched = new Set<string>();
    this.doc.transact(() => {
      for (const edit of edits) {
        touched.add(edit.sceneId);
        const sceneMap = getSceneMap(this.doc, edit.sceneId);
        if (!sceneMap) continue; // the scene was deleted meanwhile
        if (edit.path.length === 3) {
          if (this.#deletedMembers.has(memberKey(edit.sceneId, edit.path[0]!, edit.path[1]!))) continue;
          const members = sceneMap.get(edit.path[0]!);
          if (!edit.createsMember && !(members instanceof Y.Map && members.has(edit.path[1]!))) continue;
        }
        setPath(sceneMap, edit.path, edit.value, this.registry);
      }
    }, this.origin);
    log('flushed', edits.length, 'edit(s) in one transaction');
    for (const sceneId of touched) this.#invalidate(sceneId);
  }

  /** Starts focus protection for `path`: remote updates to it stop changing what this user sees. */
  beginEdit(sceneId: string, path: readonly string[]): void {
    const props = this.getSceneData(sceneId);
    if (!props || !this.registry.byPath(path)) return;
    let value: unknown = props;
    for (const part of path) value = (value as Record<string, unknown> | undefined)?.[part];
    this.#focus.begin(editKey(sceneId, path), path, value);
  }

  /**
   * Ends focus protection and the gesture: its last value is queued for the
   * doc (unless the doc already holds it), pending edits go out now, the
   * preview is withdrawn and the doc's value shows. Returns true when the
   * gesture wrote a value.
   */
  endEdit(sceneId: string, path: readonly string[]): boolean {
    const key = editKey(sceneId, path);
    if (!this.#focus.end(key)) return false;
    const wrote = this.#commitGesture(key);
    this.flush();
    this.#invalidate(sceneId);
    return wrote;
  }

  /** True while `path` is inside a gesture that has set a value. */
  hasGestureValue(sceneId: string, path: readonly string[]): boolean {
    return this.#gestures.has(editKey(sceneId, path));
  }

  /** Queues a gesture's last value (if it differs from the doc's) and withdraws its preview. */
  #commitGesture(key: string): boolean {
    const gesture = this.#gestures.get(key);
    if (!gesture) return false;
    this.#gestures.delete(key);
    this.onPreview(key, null);
    const { sceneId, path, value } = gesture;
    const prop = this.registry.byPath(path);
    const sceneMap = getSceneMap(this.doc, sceneId);
    if (!prop || !sceneMap) return false;
    const pending = this.#broadcaster.get(key);
    const members = path.length === 3 ? sceneMap.get(path[0]!) : undefined;
    const inDoc = path.length !== 3 || (members instanceof Y.Map && members.has(path[1]!));
    // A gesture that ends where the doc already is writes nothing (a cancelled drag, a click).
    if (!pending && inDoc && sameValue(getPath(sceneMap, path, this.registry), value)) return false;
    return this.#write(sceneId, path, value, prop.throttle, false) === undefined;
  }

  /** Writes the last value of every gesture still in progress (before destroy). */
  commitGestures(): void {
    for (const key of [...this.#gestures.keys()]) this.#commitGesture(key);
  }

  /**
   * Replaces the other users' previews shown on `sceneId` (already validated
   * by the caller); subscribers hear of it when they change.
   */
  setRemotePreviews(sceneId: string, entries: readonly OverlayEntry[]): void {
    if (entries.length === 0) {
      if (!this.#remote.delete(sceneId)) return;
    } else this.#remote.set(sceneId, entries);
    this.#invalidate(sceneId);
  }

  /** Scene ids that currently show other users' previews. */
  remotePreviewScenes(): string[] {
    return [...this.#remote.keys()];
  }

  /** Adds collection member `id` at once, in one transaction; bad values throw and write nothing. */
  addMember(sceneId: string, collectionKey: string, values: Record<string, unknown>, id: string): void {
    const collection = this.registry.collection(collectionKey);
    if (!collection) throw new Error(`no collection "${collectionKey}"`);
    const sceneMap = getSceneMap(this.doc, sceneId);
    if (!sceneMap) throw new Error(`no scene ${JSON.stringify(sceneId)}`);
    for (const [key, value] of Object.entries(values)) {
      const checked = this.registry.validate([collectionKey, id, key], value);
      if (!checked.ok) throw new Error(checked.reason);
    }
    this.doc.transact(() => {
      // Every key is written so the member exists even when all values are defaults.
      for (const prop of collection.props)
        setPath(
          sceneMap,
          [collectionKey, id, prop.key],
          values[prop.key] ?? prop.decl.default,
          this.registry,
        );
    }, this.origin);
  }

  /** Deletes a collection member at once; pending edits to it are dropped. */
  removeMember(sceneId: string, collectionKey: string, id: string): boolean {
    const sceneMap = getSceneMap(this.doc, sceneId);
    if (!sceneMap) return false;
    const prefix = `${sceneId}\n${collectionKey}.${id}.`;
    this.#broadcaster.drop((key) => key.startsWith(prefix));
    this.#dropGestures(prefix);
    return deleteMember(sceneMap, collectionKey, id, this.origin);
  }

  /**
   * The doc moved to a new epoch (a compaction, epoch.ts): the scenes live in
   * new root types now, so every snapshot is read again. Pending edits, holds
   * and gestures are kept: they are paths and values, valid in any epoch.
   */
  epochChanged(): void {
    const ids = new Set([...this.#docSnapshots.keys(), ...this.#lastVisible.keys()]);
    for (const id of getScenesMap(this.doc).keys()) ids.add(id);
    this.#docSnapshots.clear();
    this.#touched.clear();
    this.#deletedMembers.clear();
    for (const id of ids) this.#invalidate(id);
    this.notify({ type: 'sceneList' });
  }

  /** Drops pending edits and holds of a scene (before a reload replaces it). */
  discardScene(sceneId: string): void {
    this.#broadcaster.drop((key) => key.startsWith(`${sceneId}\n`));
    this.#dropGestures(`${sceneId}\n`);
    this.#invalidate(sceneId);
  }

  #applied(tr: Y.Transaction): void {
    if (tr.changed.size === 0) return;
    const { scenes, listChanged } = collectTouches(tr, this.registry, {
      touched: (sceneId) => {
        let t = this.#touched.get(sceneId);
        if (!t) this.#touched.set(sceneId, (t = touchedNothing()));
        return t;
      },
      member: (sceneId, collectionKey, memberId, deleted) => {
        const key = memberKey(sceneId, collectionKey, memberId);
        if (deleted) this.#deletedMembers.add(key);
        else this.#deletedMembers.delete(key);
      },
      sceneDeleted: (sceneId) => this.#forget(sceneId),
    });
    if (!tr.local) log('remote update', [...scenes]);
    for (const sceneId of scenes) this.#invalidate(sceneId);
    if (listChanged) this.notify({ type: 'sceneList' });
  }

  #forget(sceneId: string): void {
    this.#docSnapshots.delete(sceneId);
    this.#touched.delete(sceneId);
    this.#visible.delete(sceneId);
    this.#lastVisible.delete(sceneId);
    this.#broadcaster.drop((key) => key.startsWith(`${sceneId}\n`));
    this.#dropGestures(`${sceneId}\n`);
    this.#remote.delete(sceneId);
  }

  /** Forgets gesture values under a key prefix (their target is gone) and withdraws their previews. */
  #dropGestures(prefix: string): void {
    for (const key of [...this.#gestures.keys()])
      if (key.startsWith(prefix)) {
        this.#gestures.delete(key);
        this.onPreview(key, null);
      }
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.#onTransaction);
    this.#broadcaster.destroy();
    this.#focus.clear();
    this.#gestures.clear();
    this.#remote.clear();
  }
}
