import { signal } from '@lit-labs/signals';
import type { StageProps } from '../../engine/generated/stageProps';
import {
  getBlobs,
  getSceneMap,
  readDisplayReports,
  type ConnectionStatus,
  type Cursor,
  type PartyDataManager,
  type HoldView,
  type PartyState,
  type SaveState,
} from '../../engine/sync';
import type {
  ChannelChanges,
  DisplayReport,
  MemberRef,
  PresenceEntry,
  PreviewShape,
  ToolHostBackend,
  WriteResult,
} from '../../engine/plugin';
import type { PropertySink } from '../inspector';
import { decodeBlobs, observeBlobs, readBlobs } from './blobs';
import { ChannelStates } from './channels';
import { PLUGINS } from './plugins';
import type { StageRenderer, ViewportTransform } from '../../engine/render';
import { createToolHost, type ToolHost } from './tools';
import { viewportEdits } from './viewport';
import { describeRefusal } from './refusal';

/** How long a refusal stays on the status line: long enough to read, gone before it misleads. */
export const ERROR_SHOWN_MS = 8000;

/** A scene in the list. */
export interface SceneEntry {
  readonly id: string;
  readonly name: string;
  /** Its thumbnail URL (GM documents only). */
  readonly thumbnail?: string;
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
  /** The plugins' party settings (setting id → value; absent: its default), as the party doc holds them. */
  readonly partySettings = signal<Readonly<Record<string, unknown>>>({});
  readonly connection = signal<ConnectionStatus>({
    gameSession: 'connecting',
    party: 'connecting',
    overall: 'connecting',
  });
  readonly save = signal<SaveState>({ state: 'idle', at: undefined, error: undefined });
  /** The backstage hold, when a GM holds the TV (engine/sync/hold.ts). */
  readonly hold = signal<HoldView | undefined>(undefined);
  readonly cursors = signal<readonly Cursor[]>([]);
  /** Plugins' presence values in the scene on screen, by plugin name (everyone's, this page's too). */
  readonly presence = signal<ReadonlyMap<string, readonly PresenceEntry[]>>(new Map());
  /** The players' displays connected now, as they reported their size (largest first). */
  readonly displays = signal<readonly DisplayReport[]>([]);
  readonly canUndo = signal(false);
  readonly canRedo = signal(false);
  /** True once the documents have synced and the page shows live data. */
  readonly live = signal(false);
  readonly selection = signal<MemberRef | undefined>(undefined);
  /** The last refused edit, in words, for the status line; empty again after {@link ERROR_SHOWN_MS}. */
  readonly lastError = signal('');
  #errorTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #channels: ChannelStates;
  readonly #cleanup: (() => void)[] = [];

  constructor(
    readonly manager: PartyDataManager,
    initial: InitialScene,
  ) {
    this.sceneId.set(initial.sceneId);
    this.props.set(initial.props);
    const blobs = decodeBlobs(initial.blobs);
    this.blobs.set(blobs);
    this.#channels = new ChannelStates(manager.registry, PLUGINS, (key, e) =>
      this.#showError(`${key}: ${e.message}`),
    );
    this.#channels.reset(blobs);
    this.scenes.set(initial.scenes);
    this.party.set(initial.party);
    manager.setCurrentScene(initial.sceneId);

    this.#cleanup.push(
      manager.subscribe((e) => {
        // The room compacted and undo history restarted: the status line says so, or undo would
        // silently do nothing.
        if (e.type === 'epoch') this.lastError.set(e.note);
        this.#onEvent(e.type, 'sceneId' in e ? e.sceneId : undefined);
      }),
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
    this.#refreshPartySettings();
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
        this.#refreshPartySettings();
        break;
      case 'status':
        this.#refreshStatus();
        if (!this.live.get() && this.manager.isSynced()) this.#goLive();
        break;
      case 'cursors':
        this.#refreshDisplays();
        this.#refreshPresence();
        this.cursors.set(
          this.manager
            .getCursors()
            .filter((c) => c.sceneId === undefined || c.sceneId === this.sceneId.get()),
        );
        break;
      case 'session':
        this.save.set(this.manager.getSaveState());
        this.hold.set(this.manager.getHold());
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
    this.#channels.reset(blobs);
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
      this.#channels.apply(key, bytes);
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
    this.#refreshPresence();
    this.cursors.set(
      this.manager.getCursors().filter((c) => c.sceneId === undefined || c.sceneId === sceneId),
    );
  }

  // ── PropertySink ──────────────────────────────────────────────────────

  queuePropertyUpdate(path: string[], value: unknown): { ok: boolean; reason?: string } {
    const result = this.manager.queuePropertyUpdate(path, value, this.sceneId.get());
    if (!result.ok)
      this.#showError(describeRefusal(this.manager.registry, this.props.get(), path, result.reason));
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

  /** Adds a member to a collection; undefined (reason on the status line) when refused. */
  addMember(collection: string, values: Readonly<Record<string, unknown>>): string | undefined {
    try {
      const id = this.manager.addMember(collection, { ...values }, this.sceneId.get());
      this.#refreshScene();
      return id;
    } catch (e) {
      this.#showError((e as Error).message);
      return undefined;
    }
  }

  removeMember(collection: string, id: string): WriteResult {
    try {
      this.manager.removeMember(collection, id, this.sceneId.get());
    } catch (e) {
      this.#showError((e as Error).message);
      return { ok: false, reason: (e as Error).message };
    }
    const sel = this.selection.get();
    if (sel?.collection === collection && sel.id === id) this.selection.set(undefined);
    this.#refreshScene();
    return { ok: true };
  }

  /** Deletes the selected member, whatever its collection (Delete key, inspector button). */
  removeSelected(): void {
    const sel = this.selection.get();
    if (sel) this.removeMember(sel.collection, sel.id);
  }

  /** A channel's decoded state by id (`plugin.channel`), as its plugin's model keeps it. */
  channelState(channelId: string): unknown {
    return this.#channels.state(channelId);
  }

  /** The live document's blobs whose keys start with `prefix`. */
  blobEntries(prefix: string): [string, Uint8Array][] {
    const sceneMap = getSceneMap(this.manager.doc, this.sceneId.get());
    const blobs = sceneMap ? getBlobs(sceneMap) : undefined;
    return blobs ? [...blobs.entries()].filter(([k]) => k.startsWith(prefix)) : [];
  }

  /**
   * Writes changed blobs into the scene in one transaction with this user's
   * origin, so a stroke is one undo step like any other edit of theirs. Only
   * the touched keys travel; bytes are copied so later edits of a decoded
   * state cannot alter what was sent. (Keys are checked by the tool context.)
   */
  writeBlobs(changes: ChannelChanges): WriteResult {
    const sceneMap = getSceneMap(this.manager.doc, this.sceneId.get());
    const blobs = sceneMap ? getBlobs(sceneMap, true) : undefined;
    if (!blobs) {
      const reason = 'The scene is not live yet; try again in a moment.';
      this.#showError(reason);
      return { ok: false, reason };
    }
    this.manager.doc.transact(() => {
      for (const [key, bytes] of changes) {
        if (bytes === null) blobs.delete(key);
        else blobs.set(key, bytes.slice());
      }
    }, this.manager.origin);
    return { ok: true };
  }

  #refreshPresence(): void {
    const sceneId = this.sceneId.get();
    const next = new Map<string, readonly PresenceEntry[]>();
    for (const runtime of PLUGINS)
      if (runtime.presence)
        next.set(runtime.name, this.manager.getPluginPresence(runtime.name, runtime.presence, sceneId));
    const prev = this.presence.get();
    // Awareness changes with every cursor tick; only a changed plugin value redraws.
    const same = [...next].every(([k, v]) => JSON.stringify(v) === JSON.stringify(prev.get(k) ?? []));
    if (!same || next.size !== prev.size) this.presence.set(next);
  }

  #refreshPartySettings(): void {
    const next = this.manager.getPartySettings();
    if (JSON.stringify(next) !== JSON.stringify(this.partySettings.get())) this.partySettings.set(next);
  }

  /** Sets a party setting (GMs); a refusal goes to the status line. */
  setPartySetting(id: string, value: unknown): void {
    try {
      this.manager.setPartySetting(id, value);
    } catch (e) {
      this.#showError((e as Error).message);
    }
  }

  #refreshDisplays(): void {
    const next = readDisplayReports(this.manager.awareness);
    const prev = this.displays.get();
    const same =
      next.length === prev.length &&
      next.every(
        (d, i) =>
          d.width === prev[i]!.width && d.height === prev[i]!.height && d.pixelRatio === prev[i]!.pixelRatio,
      );
    if (!same) this.displays.set(next);
  }

  /** Sets this user's view of the scene through the view plugin's local-only properties. */
  setViewport(t: ViewportTransform): void {
    for (const [path, value] of viewportEdits(t)) this.queuePropertyUpdate(path, value);
  }

  /**
   * What the viewport's tools act on: this store, the renderer they pick
   * with, and the page's drag preview. A player's host (`player`: which
   * plugins the player may use) refuses every document write — a player's
   * tools act through presence, which the room checks — but moves the
   * player's own view.
   */
  toolHost(
    renderer: StageRenderer,
    preview: (shape: PreviewShape | undefined) => void,
    player?: { allows(plugin: string): boolean },
  ): ToolHost {
    const refused: WriteResult = { ok: false, reason: 'Players do not edit the scene' };
    const host = createToolHost({
      registry: this.manager.registry,
      runtimes: PLUGINS,
      props: () => this.props.get()!,
      queuePropertyUpdate: (path, value) => {
        const r = this.queuePropertyUpdate([...path], value);
        return r.ok ? { ok: true } : { ok: false, reason: r.reason ?? '' };
      },
      beginEdit: (path) => this.beginEdit([...path]),
      endEdit: (path) => this.endEdit([...path]),
      selection: () => this.selection.get(),
      select: (m: MemberRef | undefined) => this.selection.set(m),
      addMember: (collection, values) => this.addMember(collection, values),
      removeMember: (collection, id) => this.removeMember(collection, id),
      channelState: (id) => this.channelState(id),
      blobEntries: (prefix) => this.blobEntries(prefix),
      writeBlobs: (changes) => this.writeBlobs(changes),
      preview,
      get viewport() {
        return renderer.viewport;
      },
      setViewport: (t) => this.setViewport(t),
      get content() {
        return renderer.content;
      },
      screenSize: () => renderer.screenSize(),
      contentBounds: (plugin) => renderer.contentBounds(plugin),
      displays: () => this.displays.get(),
      pick: (p) => renderer.pick(p.x, p.y),
      screenToScene: (p) => renderer.screenToScene(p),
      sceneToScreen: (p) => renderer.sceneToScreen(p),
      setPresence: (plugin, value) => this.manager.setPluginPresence(plugin, value, this.sceneId.get()),
    });
    if (!player) return host;
    const backend: ToolHostBackend = Object.create(host.backend, {
      queuePropertyUpdate: { value: () => refused },
      beginEdit: { value: () => undefined },
      endEdit: { value: () => undefined },
      addMember: { value: () => undefined },
      removeMember: { value: () => refused },
      writeBlobs: { value: () => refused },
    });
    return createToolHost(backend, (plugin) => player.allows(plugin));
  }

  /** Shows `text` on the status line until it expires (or a newer one replaces it). */
  #showError(text: string): void {
    clearTimeout(this.#errorTimer);
    this.lastError.set(text);
    this.#errorTimer = setTimeout(() => this.lastError.set(''), ERROR_SHOWN_MS);
  }

  destroy(): void {
    clearTimeout(this.#errorTimer);
    for (const fn of this.#cleanup.splice(0)) fn();
    this.manager.destroy();
  }
}
