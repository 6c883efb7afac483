import { signal } from '@lit-labs/signals';
import type { StageProps } from '../../engine/generated/stageProps';
import type { Point } from '../../engine/schema';
import {
  getBlobs,
  getSceneMap,
  type ConnectionStatus,
  type Cursor,
  type PartyDataManager,
  type PartyState,
  type SaveState,
} from '../../engine/sync';
import { FogMask, fogEntries, writeFogChanges, type FogChanges } from '../../plugins';
import type { PropertySink } from '../inspector';
import { decodeBlobs, observeBlobs, readBlobs } from './blobs';
import type { StageRenderer, ViewportTransform } from '../../engine/render';
import { positionProp, type MemberRef, type ToolHost } from './tools';
import { viewportEdits } from './viewport';

/** A scene in the list. */
export interface SceneEntry {
  readonly id: string;
  readonly name: string;
}

/** What a page starts from before the documents are live: the load API's answer. */
export interface InitialScene {
  readonly sceneId: string;
  readonly props: StageProps;
  readonly blobs: Readonly<Record<string, string>>;
  readonly scenes: readonly SceneEntry[];
  readonly party: PartyState;
}

/**
 * The signals glue between a PartyDataManager and the Lit components. It
 * shows the server-loaded scene at once, then switches to the live document
 * when it has synced, and from then on mirrors the manager: the selected
 * scene's StageProps and blobs, the scene list, party state, connection and
 * save status, cursors, undo availability. It is also the inspector's
 * PropertySink: every edit goes through `queuePropertyUpdate`.
 */
export class SessionStore implements PropertySink {
  readonly sceneId = signal('');
  readonly props = signal<StageProps | undefined>(undefined);
  readonly blobs = signal<ReadonlyMap<string, Uint8Array>>(new Map());
  readonly scenes = signal<readonly SceneEntry[]>([]);
  readonly party = signal<PartyState>({ activeGameSessionId: null, activeSceneId: null, paused: false });
  readonly connection = signal<ConnectionStatus>({
    gameSession: 'connecting',
    party: 'connecting',
    overall: 'connecting',
  });
  readonly save = signal<SaveState>({ state: 'idle', at: undefined, error: undefined });
  readonly cursors = signal<readonly Cursor[]>([]);
  readonly canUndo = signal(false);
  readonly canRedo = signal(false);
  /** True once the documents have synced and the page shows live data. */
  readonly live = signal(false);
  readonly selection = signal<MemberRef | undefined>(undefined);
  /** The last refused edit, for the status line. */
  readonly lastError = signal('');

  #mask = new FogMask();
  readonly #cleanup: (() => void)[] = [];

  constructor(
    readonly manager: PartyDataManager,
    initial: InitialScene,
  ) {
    this.sceneId.set(initial.sceneId);
    this.props.set(initial.props);
    const blobs = decodeBlobs(initial.blobs);
    this.blobs.set(blobs);
    this.#mask = FogMask.fromBlobs(blobs);
    this.scenes.set(initial.scenes);
    this.party.set(initial.party);
    manager.setCurrentScene(initial.sceneId);

    this.#cleanup.push(
      manager.subscribe((e) => this.#onEvent(e.type, 'sceneId' in e ? e.sceneId : undefined)),
    );
    this.#cleanup.push(
      observeBlobs(
        manager.doc,
        () => this.sceneId.get(),
        (changed) => this.#onBlobs(changed),
      ),
    );
    this.#refreshStatus();
    void manager.whenSynced().then(() => this.#goLive());
  }

  #goLive(): void {
    if (this.live.get()) return;
    if (!this.manager.getSceneData(this.sceneId.get())) {
      // Until the documents have synced, keep showing the loaded props. Synced without the loaded
      // scene (deleted meanwhile): show the players' scene, or the first one, rather than a ghost.
      if (!this.manager.isSynced()) return;
      const scenes = this.manager.getScenes();
      const active = this.manager.getPartyState().activeSceneId;
      const next = scenes.find((s) => s.id === active) ?? scenes[0];
      if (!next || !this.manager.getSceneData(next.id)) return;
      this.sceneId.set(next.id);
      this.manager.setCurrentScene(next.id);
    }
    this.live.set(true);
    this.#refreshScene();
    this.#refreshBlobs();
    this.#refreshList();
    this.party.set(this.manager.getPartyState());
  }

  #onEvent(type: string, sceneId: string | undefined): void {
    switch (type) {
      case 'scene':
        if (!this.live.get()) this.#goLive();
        else if (sceneId === this.sceneId.get()) this.#refreshScene();
        break;
      case 'sceneList':
        if (!this.live.get()) this.#goLive();
        else this.#refreshList();
        break;
      case 'party':
        if (this.live.get() || this.manager.isSynced()) this.party.set(this.manager.getPartyState());
        break;
      case 'status':
        this.#refreshStatus();
        if (!this.live.get() && this.manager.isSynced()) this.#goLive();
        break;
      case 'cursors':
        this.cursors.set(
          this.manager
            .getCursors()
            .filter((c) => c.sceneId === undefined || c.sceneId === this.sceneId.get()),
        );
        break;
      case 'session':
        this.save.set(this.manager.getSaveState());
        break;
      case 'undo':
        this.canUndo.set(this.manager.canUndo());
        this.canRedo.set(this.manager.canRedo());
        break;
    }
  }

  #refreshStatus(): void {
    this.connection.set(this.manager.getConnectionStatus());
  }

  #refreshScene(): void {
    const props = this.manager.getSceneData(this.sceneId.get());
    if (props) this.props.set(props);
    const sel = this.selection.get();
    if (
      sel &&
      props &&
      !(props as unknown as Record<string, Record<string, unknown>>)[sel.collection]?.[sel.id]
    )
      this.selection.set(undefined);
  }

  #refreshList(): void {
    const scenes = this.manager.getScenes();
    this.scenes.set(scenes);
    // Someone else deleted the scene on screen: show the first one left rather than a ghost.
    if (scenes.length > 0 && !scenes.some((s) => s.id === this.sceneId.get())) {
      this.selectScene(scenes[0]!.id);
    }
  }

  #refreshBlobs(): void {
    const blobs = readBlobs(this.manager.doc, this.sceneId.get());
    this.#mask = FogMask.fromBlobs(blobs);
    this.blobs.set(blobs);
  }

  #onBlobs(changed: string[] | undefined): void {
    if (!this.live.get()) return;
    if (!changed) return this.#refreshBlobs();
    const next = new Map(this.blobs.get());
    const sceneMap = getSceneMap(this.manager.doc, this.sceneId.get());
    const live = sceneMap ? getBlobs(sceneMap) : undefined;
    for (const key of changed) {
      const bytes = live?.get(key);
      if (bytes) next.set(key, bytes);
      else next.delete(key);
      this.#mask.applyBlob(key, bytes);
    }
    this.blobs.set(next);
  }

  /** Shows another scene of the session. */
  selectScene(sceneId: string): void {
    if (sceneId === this.sceneId.get()) return;
    this.manager.flush();
    this.sceneId.set(sceneId);
    this.manager.setCurrentScene(sceneId);
    this.selection.set(undefined);
    this.#refreshScene();
    this.#refreshBlobs();
    this.cursors.set(
      this.manager.getCursors().filter((c) => c.sceneId === undefined || c.sceneId === sceneId),
    );
  }

  // ── PropertySink ──────────────────────────────────────────────────────

  queuePropertyUpdate(path: string[], value: unknown): { ok: boolean; reason?: string } {
    const result = this.manager.queuePropertyUpdate(path, value, this.sceneId.get());
    if (!result.ok) this.lastError.set(result.reason);
    else this.#refreshScene();
    return result.ok ? { ok: true } : { ok: false, reason: result.reason };
  }

  beginEdit(path: string[]): void {
    this.manager.beginEdit(path, this.sceneId.get());
  }

  endEdit(path: string[]): void {
    this.manager.endEdit(path, this.sceneId.get());
    this.#refreshScene();
  }

  // ── tools ─────────────────────────────────────────────────────────────

  addMember(collection: string, at: Point): string | undefined {
    const prop = positionProp(collection);
    try {
      const id = this.manager.addMember(collection, prop ? { [prop.key]: at } : {}, this.sceneId.get());
      this.#refreshScene();
      return id;
    } catch (e) {
      this.lastError.set((e as Error).message);
      return undefined;
    }
  }

  removeSelected(): void {
    const sel = this.selection.get();
    if (!sel) return;
    this.manager.removeMember(sel.collection, sel.id, this.sceneId.get());
    this.selection.set(undefined);
    this.#refreshScene();
  }

  fogMask(): FogMask {
    return this.#mask;
  }

  /** Writes a fog tool's changed tiles into the scene's blobs: only the touched tiles travel. */
  applyFog(changes: FogChanges): void {
    const sceneMap = getSceneMap(this.manager.doc, this.sceneId.get());
    const blobs = sceneMap ? getBlobs(sceneMap, true) : undefined;
    if (!blobs) {
      this.lastError.set('The scene is not live yet; try again in a moment.');
      return;
    }
    // With this user's origin, so a stroke is one undo step like any other edit of theirs.
    this.manager.doc.transact(() => writeFogChanges(blobs, changes), this.manager.origin);
  }

  /** Sets this user's view of the scene through the view plugin's local-only properties. */
  setViewport(t: ViewportTransform): void {
    for (const [path, value] of viewportEdits(t)) this.queuePropertyUpdate(path, value);
  }

  /** What the viewport's tools act on: this store, the renderer they pick with, and the page's drag preview. */
  toolHost(renderer: StageRenderer, preview: ToolHost['preview']): ToolHost {
    return {
      renderer,
      props: () => this.props.get()!,
      queuePropertyUpdate: (path, value) => this.queuePropertyUpdate(path, value),
      beginEdit: (path) => this.beginEdit(path),
      endEdit: (path) => this.endEdit(path),
      selection: () => this.selection.get(),
      select: (m) => this.selection.set(m),
      addMember: (collection, at) => this.addMember(collection, at),
      fogMask: () => this.fogMask(),
      applyFog: (changes) => this.applyFog(changes),
      setViewport: (t) => this.setViewport(t),
      preview,
    };
  }

  /** The fog entries of the live document (tests compare them with the mask). */
  fogEntries(): [string, Uint8Array][] {
    const sceneMap = getSceneMap(this.manager.doc, this.sceneId.get());
    const blobs = sceneMap ? getBlobs(sceneMap) : undefined;
    return blobs ? fogEntries(blobs) : [];
  }

  destroy(): void {
    for (const fn of this.#cleanup.splice(0)) fn();
    this.manager.destroy();
  }
}
