/**
 * The client's connection to a party: the game-session doc (scenes) and the
 * party doc (which scene the players see), each over its own
 * YPartyKitProvider. Everything the editor and the player view need from
 * real-time sync goes through this one object.
 */
import * as Y from 'yjs';
import mitt from 'mitt';
import type { Awareness } from 'y-protocols/awareness';
import type { Registry } from '../schema';
import { registry as defaultRegistry } from '../generated/schemas';
import type { StageProps, View } from '../generated/stageProps';
import { createDebug } from './debug';
import { CursorChannel, type Cursor } from './cursors';
import { Connections, type ConnectionOptions, type ConnectionStatus } from './connection';
import type { TicketSource } from './tickets';
import { getSessionMeta } from './docLayout';
import { checkSceneDrift, detectDrift, readSaveState, sceneLastUpdated, type SaveState } from './drift';
import { readHold, type HoldView } from './hold';
import { LocalState, type KeyValueStorage } from './localState';
import {
  observePartyState,
  readPartySettingsOf,
  readPartyState,
  writePartySetting,
  writePartyState,
  type PartyState,
} from './partyState';
import { SceneStore, type QueueResult } from './sceneStore';
import * as list from './sceneList';
import { UndoHistory } from './undo';
import { EpochFollower } from './epochFollower';
import { RemotePreviews } from './remotePreviews';
import { presenceWire, type PluginPresence, type PresenceEntry } from '../plugin/presence';

const driftLog = createDebug('tablestage:drift');

export type { ConnectionState, ConnectionStatus } from './connection';
export type { SaveState } from './drift';

/** What changed; subscribers re-read what they show. */
export type SyncEvent =
  | { readonly type: 'scene'; readonly sceneId: string }
  | { readonly type: 'sceneList' }
  | { readonly type: 'party' }
  | { readonly type: 'status' }
  | { readonly type: 'cursors' }
  | { readonly type: 'session' }
  | { readonly type: 'undo' }
  /**
   * The room compacted the document (epoch.ts); this client followed without
   * reloading. `note` is for the user: undo history was cleared.
   */
  | { readonly type: 'epoch'; readonly epoch: number; readonly reapplied: number; readonly note: string };

export interface PartyDataManagerOptions extends ConnectionOptions {
  /** Name and colour shown with this user's cursor. */
  readonly name?: string;
  readonly color?: string;
  /** `player` for the spectator display: reads only, refuses synced edits. Default `gm`. */
  readonly view?: View;
  /** Asks the app server to reload a scene from the DB (`POST /api/scenes/:id/reload`). */
  readonly reloadScene?: (sceneId: string) => Promise<void>;
  /** Where local-only values live; default `localStorage`, `null` for memory only. */
  readonly storage?: KeyValueStorage | null;
  readonly registry?: Registry;
}

type Events = { change: SyncEvent };

export class PartyDataManager {
  /** The game-session doc and the party doc; exposed for tools and tests, edit through the methods. */
  readonly doc = new Y.Doc();
  readonly partyDoc = new Y.Doc();
  /** Origin of this client's transactions; undo tracks exactly these. */
  readonly origin = { client: 'PartyDataManager' };
  readonly registry: Registry;
  readonly #events = mitt<Events>();
  readonly #connections: Connections;
  readonly #store: SceneStore;
  #undo: UndoHistory;
  readonly #epochs: EpochFollower;
  readonly #cursors: CursorChannel;
  readonly #previews: RemotePreviews;
  readonly #cleanup: (() => void)[] = [];
  #currentSceneId: string | undefined;
  readonly #view: View;
  #destroyed = false;

  constructor(
    readonly partyId: string,
    readonly userId: string,
    readonly gameSessionId: string,
    readonly partykitHost: string,
    /** Room tickets for each connection attempt (tickets.ts `ticketsFromApp` with the link token). */
    tickets: TicketSource,
    private readonly options: PartyDataManagerOptions = {},
  ) {
    this.registry = options.registry ?? defaultRegistry;
    this.#view = options.view ?? 'gm';
    const emit = (event: SyncEvent) => this.#events.emit('change', event);
    const local = new LocalState(
      this.registry,
      userId,
      options.storage === null ? undefined : options.storage,
    );
    this.#store = new SceneStore(this.doc, this.registry, options.view ?? 'gm', local, this.origin, emit);
    this.#undo = new UndoHistory(this.doc, this.origin);
    this.#undo.onChange(() => emit({ type: 'undo' }));
    // Registered after the store, so the store has seen the switch transaction before edits are re-applied.
    this.#epochs = new EpochFollower(this.doc, this.registry, this.origin, (change) => {
      // Undo steps point at items of the old roots, which no longer hold the data: start a fresh history.
      this.#undo.destroy();
      this.#undo = new UndoHistory(this.doc, this.origin);
      this.#undo.onChange(() => emit({ type: 'undo' }));
      this.#store.epochChanged();
      this.#observeMeta(emit);
      emit({ type: 'undo' });
      emit({
        type: 'epoch',
        epoch: change.epoch,
        reapplied: change.reapplied,
        note: 'The room compacted its history: undo starts afresh from here.',
      });
    });

    this.#connections = new Connections(
      partykitHost,
      { partyId, gameSessionId },
      { gameSession: this.doc, party: this.partyDoc },
      tickets,
      options,
      () => emit({ type: 'status' }),
    );
    const awareness = this.#connections.gameSession.awareness;
    this.#cursors = new CursorChannel(awareness, {
      id: userId,
      name: options.name ?? userId,
      color: options.color ?? '#4c6ef5',
    });
    this.#store.onPreview = (key, preview) => this.#cursors.setPreview(key, preview);
    this.#previews = new RemotePreviews(awareness, this.doc, this.registry, this.#view, this.#store);
    const onAwareness = (_changes: unknown, origin: unknown) => {
      // This user's own cursor ticks (origin 'local') cannot change other users' previews.
      if (origin !== 'local') this.#previews.refresh();
      emit({ type: 'cursors' });
    };
    awareness.on('change', onAwareness);
    this.#cleanup.push(() => awareness.off('change', onAwareness));
    this.#cleanup.push(observePartyState(this.partyDoc, () => emit({ type: 'party' })));
    this.#observeMeta(emit);
    this.#cleanup.push(() => this.#unobserveMeta());
  }

  #unobserveMeta = () => {};

  /** Observes the current epoch's session meta (again after a compaction: it is a new root then). */
  #observeMeta(emit: (event: SyncEvent) => void): void {
    this.#unobserveMeta();
    const meta = getSessionMeta(this.doc);
    const onMeta = () => emit({ type: 'session' });
    meta.observeDeep(onMeta);
    this.#unobserveMeta = () => meta.unobserveDeep(onMeta);
    emit({ type: 'session' });
  }

  /**
   * The game-session awareness (cursors, gesture previews); exposed for tools
   * and tests, change it through `updateCursor` and the edit methods.
   */
  get awareness(): Awareness {
    return this.#connections.gameSession.awareness;
  }

  // ── connection ────────────────────────────────────────────────────────

  getConnectionStatus(): ConnectionStatus {
    return this.#connections.status();
  }

  /** True once both docs have synced with their rooms since the last (re)connect. */
  isSynced(): boolean {
    return this.#connections.isSynced();
  }

  /** Goes offline: edits keep working locally and merge when `reconnect` is called. */
  disconnect(): void {
    this.#connections.disconnect();
  }

  reconnect(): void {
    this.#connections.connect();
  }

  /** Resolves when both docs are synced. */
  whenSynced(): Promise<void> {
    return new Promise((resolve) => {
      if (this.isSynced()) return resolve();
      const off = this.subscribe(() => {
        if (!this.isSynced()) return;
        off();
        resolve();
      });
    });
  }

  /** Calls `fn` after every change (scene data, list, party state, status, cursors…); returns unsubscribe. */
  subscribe(fn: (event: SyncEvent) => void): () => void {
    this.#events.on('change', fn);
    return () => this.#events.off('change', fn);
  }

  // ── scene data ────────────────────────────────────────────────────────

  /**
   * The scene as this user sees it — document values plus their local-only
   * state, unsent edits and focused controls — as an immutable snapshot.
   * Unchanged groups and members keep their identity between snapshots.
   * Undefined when the game session has no such scene.
   */
  getSceneData(sceneId: string): StageProps | undefined {
    return this.#store.getSceneData(sceneId);
  }

  /** The scene `queuePropertyUpdate` and friends default to. */
  setCurrentScene(sceneId: string | undefined): void {
    this.#currentSceneId = sceneId;
  }

  get currentSceneId(): string | undefined {
    return this.#currentSceneId ?? this.getPartyState().activeSceneId ?? undefined;
  }

  #scene(sceneId: string | undefined): string {
    const id = sceneId ?? this.currentSceneId;
    if (!id) throw new Error('no scene selected: call setCurrentScene or pass a scene id');
    return id;
  }

  /**
   * Edits the property at a StageProps path (`[plugin, key]` or `[collection,
   * memberId, key]`) of the current scene, or of `sceneId`. Validated with
   * the registry (bad input: an error result, nothing applied); shown at once;
   * local-only properties stay with this user; others are coalesced and sent
   * at the earliest deadline of the pending throttle classes.
   */
  queuePropertyUpdate(path: readonly string[], value: unknown, sceneId?: string): QueueResult {
    const id = sceneId ?? this.currentSceneId;
    if (!id) return { ok: false, code: 'no-scene', reason: 'no scene selected' };
    return this.#store.queue(id, path, value);
  }

  /** Sends every pending edit now. */
  flush(): void {
    this.#store.flush();
  }

  /**
   * A control at `path` gained focus or a drag began: remote updates to it
   * stop moving it, and until `endEdit` this user's edits to it are shown at
   * once and sent to the other users as awareness previews (throttled with
   * the cursor) instead of being written to the document.
   */
  beginEdit(path: readonly string[], sceneId?: string): void {
    this.#store.beginEdit(this.#scene(sceneId), path);
  }

  /**
   * The control lost focus or the drag ended: the gesture's last value is
   * written to the document (one undo step; nothing when it equals the
   * document's value), pending edits go out, the preview is withdrawn and
   * the doc's value shows. Works offline too: the write merges on reconnect.
   */
  endEdit(path: readonly string[], sceneId?: string): void {
    const id = this.#scene(sceneId);
    if (!this.#store.hasGestureValue(id, path)) {
      this.#store.endEdit(id, path);
      return;
    }
    // The gesture is one undo step of its own, never merged with an edit just before or after it.
    this.flush();
    this.#undo.stopCapturing();
    this.#store.endEdit(id, path);
    this.#undo.stopCapturing();
  }

  /** Adds a member to a collection (e.g. a marker) at once and returns its new id. */
  addMember(collectionKey: string, values: Record<string, unknown> = {}, sceneId?: string): string {
    const id = globalThis.crypto.randomUUID();
    this.#step(() => this.#store.addMember(this.#scene(sceneId), collectionKey, values, id));
    return id;
  }

  removeMember(collectionKey: string, memberId: string, sceneId?: string): boolean {
    return this.#step(() => this.#store.removeMember(this.#scene(sceneId), collectionKey, memberId));
  }

  /**
   * The room drops a player's writes; refusing them here keeps a player's doc
   * from showing changes nobody else will ever see.
   */
  #requireGm(): void {
    if (this.#view === 'player')
      throw new Error('read-only: a player connection cannot change the scenes or the party');
  }

  /**
   * Runs a discrete action (add, delete, duplicate…) as its own undo step, so
   * undo never merges it with a slider drag just before or after it.
   */
  #step<T>(fn: () => T): T {
    this.#requireGm();
    this.flush();
    this.#undo.stopCapturing();
    try {
      return fn();
    } finally {
      this.#undo.stopCapturing();
    }
  }

  // ── undo ──────────────────────────────────────────────────────────────

  /** Undoes this user's last change (never another user's). Pending edits are sent first. */
  undo(): boolean {
    this.flush();
    return this.#undo.undo();
  }

  redo(): boolean {
    this.flush();
    return this.#undo.redo();
  }

  canUndo(): boolean {
    return this.#undo.canUndo();
  }

  canRedo(): boolean {
    return this.#undo.canRedo();
  }

  // ── scene list ────────────────────────────────────────────────────────

  getScenes(): list.SceneSummary[] {
    return list.listScenes(this.doc);
  }

  /** Adds a scene (defaults, or the given props) and returns its id; the room saves it. */
  addScene(name: string, props?: StageProps): string {
    return this.#step(() =>
      list.addScene(this.doc, this.registry, { name, ...(props ? { props } : {}) }, this.origin),
    );
  }

  renameScene(sceneId: string, name: string): void {
    this.#step(() => list.renameScene(this.doc, sceneId, name, this.origin));
  }

  moveScene(sceneId: string, index: number): void {
    this.#step(() => list.moveScene(this.doc, sceneId, index, this.origin));
  }

  duplicateScene(sceneId: string, name?: string): string {
    return this.#step(() =>
      list.duplicateScene(this.doc, this.registry, sceneId, name === undefined ? {} : { name }, this.origin),
    );
  }

  deleteScene(sceneId: string): boolean {
    return this.#step(() => list.deleteScene(this.doc, sceneId, this.origin));
  }

  // ── party state ───────────────────────────────────────────────────────

  getPartyState(): PartyState {
    return readPartyState(this.partyDoc);
  }

  /** Shows `sceneId` on the players' display (and makes this game session the active one). */
  setActiveScene(sceneId: string | null): void {
    this.#requireGm();
    writePartyState(
      this.partyDoc,
      { activeGameSessionId: this.gameSessionId, activeSceneId: sceneId },
      this.origin,
    );
  }

  setPaused(paused: boolean): void {
    this.#requireGm();
    writePartyState(this.partyDoc, { paused }, this.origin);
  }

  /** The plugins' party settings (setting id → value; absent: its default), as the party doc holds them. */
  getPartySettings(): Record<string, unknown> {
    return readPartySettingsOf(this.partyDoc, this.registry);
  }

  /** Sets one party setting (GMs only; validated, a bad value throws). */
  setPartySetting(id: string, value: unknown): void {
    this.#requireGm();
    writePartySetting(this.partyDoc, this.registry, id, value, this.origin);
  }

  // ── cursors ───────────────────────────────────────────────────────────

  /** Moves this user's cursor (scene coordinates); throttled to ~30 updates a second. */
  updateCursor(position: { x: number; y: number }, sceneId?: string): void {
    this.#cursors.update(position, sceneId ?? this.currentSceneId);
  }

  clearCursor(): void {
    this.#cursors.clear();
  }

  /** Changes the display name others see with this user's cursor (and presence). */
  setUserName(name: string): void {
    this.#cursors.rename(name);
  }

  /** Other connected users' cursors; a user's cursor disappears when they disconnect. */
  getCursors(): Cursor[] {
    return this.#cursors.getCursors();
  }

  /**
   * Publishes (or, with null, clears) a plugin's ephemeral presence value
   * (engine/plugin/presence.ts) for a scene (default: the current one); it
   * travels with the next cursor tick, never into the document.
   */
  setPluginPresence(plugin: string, value: unknown, sceneId?: string): void {
    const s = sceneId ?? this.currentSceneId;
    this.#cursors.setField(plugin, s === undefined ? null : presenceWire(s, value));
  }

  /** Every user's valid presence value of a plugin in a scene (this page's own included). */
  getPluginPresence<T>(plugin: string, presence: PluginPresence<T>, sceneId: string): PresenceEntry<T>[] {
    return this.#cursors.readField(plugin, presence, sceneId);
  }

  // ── save state and drift ──────────────────────────────────────────────

  /** The room's last save to the DB, as it reports it. */
  getSaveState(): SaveState {
    return readSaveState(this.doc);
  }

  /** The backstage hold, when a GM holds the TV (players see the published state). */
  getHold(): HoldView | undefined {
    return readHold(this.doc);
  }

  /** When the room last saved `sceneId` to the DB. */
  getSceneLastUpdated(sceneId: string): number | undefined {
    return sceneLastUpdated(this.doc, sceneId);
  }

  /** True when the DB's copy of the scene is newer than what the room last saved. */
  checkSceneDrift(sceneId: string, dbTimestamp: number): boolean {
    return checkSceneDrift(this.doc, sceneId, dbTimestamp);
  }

  /** Compares the DB's scene timestamps with the room's; returns the drifted scene ids. */
  async detectDrift(fetchTimestamps: () => Promise<Record<string, number>>): Promise<string[]> {
    const drifted = await detectDrift(this.doc, fetchTimestamps);
    if (drifted.length > 0) driftLog('drifted scenes', drifted);
    return drifted;
  }

  /** Replaces the live scene with the DB's copy (through the app server); unsent edits to it are dropped. */
  async reloadScene(sceneId: string): Promise<void> {
    if (!this.options.reloadScene)
      throw new Error('reloadScene: no reload function was given to PartyDataManager');
    this.#store.discardScene(sceneId);
    driftLog('reloading scene', sceneId);
    await this.options.reloadScene(sceneId);
  }

  // ── lifecycle ─────────────────────────────────────────────────────────

  /** Sends pending edits, closes both connections and stops every timer. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#store.commitGestures();
    this.#store.flush();
    this.#store.destroy();
    this.#cursors.destroy();
    this.#previews.destroy();
    this.#undo.destroy();
    this.#epochs.destroy();
    for (const fn of this.#cleanup) fn();
    this.#connections.destroy();
    this.#events.all.clear();
    this.doc.destroy();
    this.partyDoc.destroy();
  }
}
