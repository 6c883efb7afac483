import { html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { SignalWatcher } from '@lit-labs/signals';
import {
  IDENTITY_VIEWPORT,
  type SceneRect,
  type StageRenderer,
  type ViewportTransform,
} from '../../engine/render';
import { ApiClient, tokenStore, type SessionLoad } from '../http';
import { gmPath, navigate, playPath, type Route } from '../app';
import '../components/drift-banner';
import '../components/backstage-banner';
import type { BackstageRequest } from '../components/backstage-banner';
import { registry } from '../../engine/generated/schemas';
import { localUser, renameLocalUser } from '../state/user';
import '../components/user-name';
import '../components/error-screen';
import '../components/help-panel';
import '../components/link-menu';
import type { LinkAction } from '../components/link-menu';
import '../components/inspector-column';
import '../components/scene-list';
import '../components/party-settings';
import type { PartySettingDetail } from '../components/party-settings';
import '../components/stage-view';
import '../components/status-bar';
import '../components/tool-bar';
import '../components/upload-drop';
import { problemOf, refusedScreen, type ProblemKind } from '../components/error-screen';
import type { SceneListDetail } from '../components/scene-list';
import type { MemberHoverEvent, StageView } from '../components/stage-view';
import { gmEditorStyles } from './gm-editor-styles';
import type { EditorCommand } from '../components/tool-bar';
import type { UploadDrop } from '../components/upload-drop';
import type { FileSelectEvent } from '../controls';
import '../generated/panels';
import type { SessionStore } from '../state/session-store';
import { ACTIONS, activeTool, PLUGINS, TOOL_PATH, toolById, type ToolInfo } from '../state/plugins';
import type { ToolHost } from '../state/tools';
import { viewportOf } from '../state/viewport';
import type { DisplayReport } from '../../engine/plugin';
import { exposeTestHook } from '../state/test-hook';
import { ThumbnailMaker } from '../state/thumbnails';
import { assetPropFor, keyCommand, toolKey, uploadAccept } from './gm-editor-keys';
import { uploadAsset, uploadMap } from './gm-editor-uploads';
import { runLinkAction } from './gm-editor-links';
import { connectSession, loadSession, resolveToken } from './session-loader';

type GmRoute = Extract<Route, { page: 'gm' }>;

/** Plugin schema name → label, for the backstage banner's "Publish <plugin>" buttons. */
const PLUGIN_LABELS: ReadonlyMap<string, string> = new Map(registry.plugins.map((p) => [p.name, p.label]));

/** How often the editor compares the DB's scene timestamps with the room's. */
const DRIFT_POLL_MS = 15_000;

/**
 * The GM editor (`/gm/:partyId/:gameSessionId/:sceneId?`): draws the
 * server-loaded scene at once, then goes live on the shared documents; scene
 * list, Babylon viewport with tools, the generated inspector, map upload,
 * connection / save status, drift banner, cursors, undo / redo, shortcuts.
 */
export class GmEditorPage extends SignalWatcher(LitElement) {
  static override properties: PropertyDeclarations = {
    route: { attribute: false },
    problem: { state: true },
    store: { state: true },
    load: { state: true },
    showHelp: { state: true },
    drifted: { state: true },
    reloading: { state: true },
    backstageBusy: { state: true },
    message: { state: true },
    userName: { state: true },
    hostReady: { state: true },
  };

  static override styles = gmEditorStyles;

  route?: GmRoute;
  protected problem?: { kind: ProblemKind; detail: string; retry?: () => void };
  protected store?: SessionStore;
  protected load?: SessionLoad;
  protected showHelp = false;
  protected drifted: string[] = [];
  protected reloading = false;
  protected backstageBusy = false;
  protected message = '';
  protected hostReady = false;
  /** This GM's display name, shown with their cursor (remembered in this browser). */
  protected userName = localUser('gm').name;
  private api = new ApiClient();
  private renderer?: StageRenderer;
  private host?: ToolHost;
  private driftTimer?: ReturnType<typeof setInterval>;
  private thumbnails?: ThumbnailMaker;
  /** The scene the thumbnail maker was last told is on screen. */
  private thumbnailScene = '';
  private openedFor = '';
  /** Set while this GM replaces the GM link: the rooms close this page's old sockets before the reply. */
  private replacingGmLink = false;
  private routeScene: string | undefined;
  /** The member under the GM's pointer, for the plugins' `focus`. */
  private hovered?: { plugin: string; id: string };
  private readonly onKey = (e: KeyboardEvent) => this.handleKey(e);
  // Coming back to the tab is when a GM may have changed things elsewhere: check for drift at once.
  private readonly onFocus = () => void this.checkDrift();

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('keydown', this.onKey);
    addEventListener('focus', this.onFocus);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('keydown', this.onKey);
    removeEventListener('focus', this.onFocus);
    this.teardown();
  }

  protected override willUpdate(): void {
    const r = this.route;
    if (!r) return;
    const key = `${r.partyId}/${r.gameSessionId ?? ''}`;
    if (key !== this.openedFor) {
      this.openedFor = key;
      this.routeScene = r.sceneId;
      void this.open(r);
    } else if (r.sceneId !== this.routeScene) {
      // The address changed (back / forward): show that scene.
      this.routeScene = r.sceneId;
      if (r.sceneId && this.store) this.store.selectScene(r.sceneId);
    }
  }

  /** The tool active (and the scene shown) at the last update: when either changes, the tool drops its state. */
  private lastTool?: ToolInfo;
  private lastToolScene?: string;

  protected override updated(): void {
    this.fitOnOpen();
    this.publishFocus();
    const props = this.store?.props.get();
    const tool = props && activeTool(props);
    const scene = this.store?.sceneId.get();
    if (tool !== this.lastTool || scene !== this.lastToolScene) {
      const was = this.lastTool;
      this.lastTool = tool;
      this.lastToolScene = scene;
      const ctx = was?.definition.onDeactivate && this.host?.context(was.plugin);
      if (ctx) was?.definition.onDeactivate?.(ctx);
    }
    if (scene && this.store?.live.get() && scene !== this.thumbnailScene) {
      this.thumbnailScene = scene;
      this.thumbnails?.sceneShown();
    }
    // The store moved to another scene (e.g. the one on screen was deleted): keep the address in step.
    const r = this.route;
    const shown = this.store?.sceneId.get();
    if (r?.gameSessionId && shown && this.store?.live.get() && shown !== r.sceneId)
      navigate(gmPath(r.partyId, r.gameSessionId, shown), { replace: true });
  }

  /** Bumped by every teardown: an `open` that finds it changed after an await was overtaken and stops. */
  private generation = 0;

  private teardown(): void {
    this.generation++;
    this.replacingGmLink = false;
    clearInterval(this.driftTimer);
    this.thumbnails?.destroy();
    this.thumbnails = undefined;
    this.thumbnailScene = '';
    this.store?.destroy();
    this.store = undefined;
    this.host = undefined;
    this.hostReady = false;
  }

  private async open(r: GmRoute): Promise<void> {
    this.teardown();
    const generation = this.generation;
    const stale = () => generation !== this.generation || !this.isConnected;
    this.problem = undefined;
    const token = resolveToken(r.partyId, r.token, 'gm');
    if (!token.ok) return void (this.problem = token);
    this.api = new ApiClient({ token: token.value });
    if (!r.gameSessionId) return this.openActiveSession(r.partyId, stale);
    const loaded = await loadSession(this.api, r.gameSessionId, r.sceneId);
    // The GM left (or opened another session) while this loaded.
    if (stale()) return;
    if (!loaded.ok) return void (this.problem = { ...loaded, retry: () => void this.open(r) });
    const load = loaded.value;
    if (load.role !== 'gm') return void (this.problem = { kind: 'wrong-role', detail: '' });
    this.load = load;
    const store = connectSession(
      r.partyId,
      load,
      token.value,
      'gm',
      async (id) => void (await this.api.reloadScene(id)),
    );
    this.store = store;
    this.thumbnails = this.makeThumbnails(store);
    exposeTestHook('gm', store, () => this.renderer, this.thumbnails);
    // The header's player-view link needs a player token; a GM link carries only the GM one.
    if (!tokenStore.get(r.partyId).player)
      void this.api.partyLinks(r.partyId).then(
        (links) => {
          tokenStore.remember(links.tokens.player);
          this.requestUpdate();
        },
        () => undefined,
      );
    if (r.sceneId !== load.sceneId)
      navigate(gmPath(r.partyId, r.gameSessionId, load.sceneId), { replace: true });
    this.driftTimer = setInterval(() => void this.checkDrift(), DRIFT_POLL_MS);
  }

  /**
   * Scene thumbnails (state/thumbnails.ts), drawn by this page's renderer as
   * the GM sees the scene. That view holds GM-only things, so thumbnails are
   * for GMs alone: the server never hands them to players.
   */
  private makeThumbnails(store: SessionStore): ThumbnailMaker {
    return new ThumbnailMaker({
      doc: store.manager.doc,
      registry,
      shownScene: () => store.sceneId.get(),
      hasThumbnail: (id) => !!store.scenes.get().find((s) => s.id === id)?.thumbnail,
      capture: async (sceneId, immediate) => {
        if (!immediate) {
          // The renderer must hold the scene's current props and have its content (a map) loaded.
          await this.updateComplete;
          await this.stageView?.updateComplete;
          const renderer = this.renderer;
          if (!renderer) return undefined;
          await new Promise((resolve) => renderer.onContentSettled(resolve));
        }
        if (store.sceneId.get() !== sceneId) return undefined;
        const picture = this.renderer?.captureContent(THUMBNAIL_SIZE, THUMBNAIL_SIZE);
        return picture && encodePicture(picture);
      },
      upload: async (sceneId, picture) => void (await this.api.putThumbnail(sceneId, picture)),
    });
  }

  /** A GM link without a session opens the party's active session (or its first). */
  private async openActiveSession(partyId: string, stale: () => boolean): Promise<void> {
    try {
      const { party, gameSessions } = await this.api.getParty(partyId);
      if (stale()) return;
      const session = party.activeGameSessionId ?? gameSessions[0]?.id;
      if (!session)
        return void (this.problem = { kind: 'not-found', detail: 'This party has no game session.' });
      navigate(gmPath(partyId, session), { replace: true });
    } catch (e) {
      this.problem = problemOf(e);
    }
  }

  private async checkDrift(): Promise<void> {
    const store = this.store;
    const sessionId = this.route?.gameSessionId;
    if (!store || !sessionId || !store.live.get()) return;
    try {
      const ids = await store.manager.detectDrift(() => this.api.timestamps(sessionId));
      if (ids.join() !== this.drifted.join()) this.drifted = ids;
    } catch {
      // Unreachable server: the status bar already says so; try again on the next tick.
    }
  }

  override render() {
    if (this.problem)
      return html`<ts-error-screen
        kind=${this.problem.kind}
        .detail=${this.problem.detail}
        .retry=${this.problem.retry}
      ></ts-error-screen>`;
    const store = this.store;
    const load = this.load;
    if (!store || !load) return html`<p style="padding:1rem">Loading the scene…</p>`;
    const props = store.props.get();
    const party = store.party.get();
    const sceneId = store.sceneId.get();
    const scenes = store.scenes.get();
    const tool: ToolInfo | undefined = activeTool(props);
    const conn = store.connection.get();
    // A room refused the token for good (revoked, forged, another party's): retrying cannot help.
    if (conn.refused && !this.replacingGmLink) return refusedScreen(conn.refused);
    const driftedScenes = this.drifted.map((id) => ({
      id,
      name: scenes.find((s) => s.id === id)?.name ?? id,
    }));
    return html`
      <header>
        <span class="title">${load.party.name} <small>· ${load.gameSession.name}</small></span>
        <ts-tool-bar
          .tool=${tool?.id ?? ''}
          .props=${props}
          ?can-undo=${store.canUndo.get()}
          ?can-redo=${store.canRedo.get()}
          @tool-change=${(e: CustomEvent<string>) => this.setTool(e.detail)}
          @command=${(e: CustomEvent<EditorCommand>) => this.command(e.detail)}
          @plugin-action=${(e: CustomEvent<string>) => this.runAction(e.detail)}
        ></ts-tool-bar>
        <span class="spacer"></span>
        <ts-user-name
          .name=${this.userName}
          @name-change=${(e: CustomEvent<string>) => this.rename(e.detail)}
        ></ts-user-name>
        ${displayBadge(store.displays.get())}
        ${party.paused ? html`<span class="paused">Players paused</span>` : nothing}
        ${
          store.hold.get()
            ? nothing
            : html`<button
                data-action="hold"
                title="Players keep what they see now while you edit; publish when ready"
                ?disabled=${!store.live.get() || this.backstageBusy}
                @click=${() => void this.backstage({ op: 'hold' })}
              >
                Hold TV
              </button>`
        }
        <button
          data-action="pause"
          @click=${() => store.manager.setPaused(!party.paused)}
          ?disabled=${!store.live.get()}
        >
          ${party.paused ? 'Resume players' : 'Pause players'}
        </button>
        <ts-link-menu
          @link-action=${(e: CustomEvent<LinkAction>) => void this.linkAction(e.detail)}
        ></ts-link-menu>
        <!-- The player view tab reads the player token from this browser's token store, not the address. -->
        <a href=${playPath(load.party.id)} target="_blank">Player view ↗</a>
      </header>
      <main>
        <aside>
          <ts-scene-list
            .scenes=${scenes}
            .selected=${sceneId}
            .active=${party.activeGameSessionId === load.gameSession.id ? (party.activeSceneId ?? '') : ''}
            @scene-select=${(e: CustomEvent<SceneListDetail>) => this.selectScene(e.detail.id)}
            @scene-add=${() => this.sceneOp(() => this.selectScene(store.manager.addScene(`Scene ${scenes.length + 1}`)))}
            @scene-rename=${(e: CustomEvent<SceneListDetail>) => this.sceneOp(() => store.manager.renameScene(e.detail.id, e.detail.name ?? ''))}
            @scene-duplicate=${(e: CustomEvent<SceneListDetail>) => this.sceneOp(() => this.selectScene(store.manager.duplicateScene(e.detail.id)))}
            @scene-delete=${(e: CustomEvent<SceneListDetail>) => this.deleteScene(e.detail.id)}
            @scene-move=${(e: CustomEvent<SceneListDetail>) => this.sceneOp(() => store.manager.moveScene(e.detail.id, e.detail.index ?? 0))}
            @scene-show=${(e: CustomEvent<SceneListDetail>) => this.sceneOp(() => store.manager.setActiveScene(e.detail.id))}
          ></ts-scene-list>
          <ts-party-settings
            .values=${store.partySettings.get()}
            @party-setting=${(e: CustomEvent<PartySettingDetail>) => store.setPartySetting(e.detail.id, e.detail.value)}
          ></ts-party-settings>
        </aside>
        <div class="stage">
          ${
            store.hold.get()
              ? html`<ts-backstage-banner
                  .hold=${store.hold.get()}
                  .labels=${PLUGIN_LABELS}
                  ?busy=${this.backstageBusy}
                  @backstage=${(e: CustomEvent<BackstageRequest>) => void this.backstage(e.detail)}
                ></ts-backstage-banner>`
              : nothing
          }
          ${
            driftedScenes.length > 0
              ? html`<ts-drift-banner
                  .scenes=${driftedScenes}
                  ?busy=${this.reloading}
                  @reload=${(e: CustomEvent<string[]>) => void this.reloadDrifted(e.detail)}
                  @dismiss=${() => (this.drifted = [])}
                ></ts-drift-banner>`
              : nothing
          }
          <ts-upload-drop
            accept=${uploadAccept()}
            @file-drop=${(e: CustomEvent<File>) => void this.uploadMap(e.detail)}
          >
            <ts-stage-view
              view="gm"
              .props=${props}
              .blobs=${store.blobs.get()}
              .tool=${store.live.get() && this.hostReady ? tool : undefined}
              .host=${this.host}
              .cursors=${store.cursors.get()}
              .presence=${store.presence.get()}
              .selection=${store.selection.get()}
              @renderer-ready=${(e: CustomEvent<StageRenderer>) => this.onRenderer(e.detail)}
              @member-hover=${(e: MemberHoverEvent) => {
                this.hovered = e.detail;
                this.publishFocus();
              }}
              @cursor-move=${(e: CustomEvent<{ x: number; y: number }>) => store.live.get() && store.manager.updateCursor(e.detail, sceneId)}
              @cursor-leave=${() => store.live.get() && store.manager.clearCursor()}
            ></ts-stage-view>
          </ts-upload-drop>
        </div>
        <ts-inspector-column
          .props=${props}
          .sink=${store}
          .selection=${store.selection.get()}
          @file-select=${(e: FileSelectEvent) => void this.uploadAsset(e.detail.path, e.detail.file)}
          @delete-member=${() => store.removeSelected()}
        ></ts-inspector-column>
      </main>
      <ts-status-bar
        session=${conn.gameSession}
        party=${conn.party}
        .save=${store.save.get()}
        .message=${this.message || store.lastError.get()}
      ></ts-status-bar>
      ${this.showHelp ? html`<ts-help-panel @close=${() => (this.showHelp = false)}></ts-help-panel>` : nothing}
    `;
  }

  /** The GM typed a new display name: cleaned, remembered for next time, shown with the cursor at once. */
  private rename(name: string): void {
    this.userName = renameLocalUser('gm', name).name;
    this.store?.manager.setUserName(this.userName);
  }

  /** Backstage mode: hold the TV, publish (all or one plugin) or resume live; the room tells every GM. */
  private async backstage(request: BackstageRequest | { op: 'hold' }): Promise<void> {
    const sessionId = this.route?.gameSessionId;
    if (!sessionId) return;
    this.backstageBusy = true;
    try {
      const plugin = request.op === 'publish' ? request.plugin : undefined;
      await this.api.backstage(sessionId, request.op, {
        ...(request.op === 'hold' ? { by: localUser('gm').name } : {}),
        ...(plugin ? { plugin } : {}),
      });
      this.message = '';
    } catch (e) {
      this.message = `Backstage: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.backstageBusy = false;
    }
  }

  /** The link menu: copy links, or replace one (a new GM link reconnects this page with it). */
  private async linkAction(action: LinkAction): Promise<void> {
    const r = this.route;
    const load = this.load;
    if (!r || !load) return;
    this.replacingGmLink = action === 'new-gm';
    const result = await runLinkAction(this.api, r.partyId, load.party.name, action);
    this.message = result.message;
    if (!result.gmReplaced) {
      this.replacingGmLink = false;
      return;
    }
    // Reopen from the address (which holds no token), so the page takes the new token from the store.
    this.openedFor = '';
    navigate(location.pathname, { replace: true });
  }

  private get stageView(): StageView | null {
    return this.renderRoot.querySelector('ts-stage-view');
  }

  private onRenderer(renderer: StageRenderer): void {
    const store = this.store;
    if (!store) return;
    this.renderer = renderer;
    this.host = store.toolHost(renderer, (shape) => this.stageView?.showShape(shape));
    this.hostReady = true;
    this.fittedScene = undefined;
    this.fitOnOpen();
  }

  /** The scene whose view was fitted on opening (or left as the GM had it). */
  private fittedScene?: string;
  private cancelFit?: () => void;

  /**
   * A scene opens fitted to its content, once that content has a size (a
   * map's image must load first) — unless this GM already has a view of it
   * (the stored per-user viewport), which is kept. A scene empty when opened
   * keeps the plain view: the first thing placed in it later must not make
   * the view jump (zoomed onto one marker, the pointer's spot moves away).
   */
  private fitOnOpen(): void {
    const renderer = this.renderer;
    const sceneId = this.store?.sceneId.get();
    if (!renderer || !sceneId || this.fittedScene === sceneId) return;
    this.fittedScene = sceneId;
    this.cancelFit?.();
    // The stored view, not the renderer's: the stage may not have the new scene's props yet.
    const untouched = () => {
      const props = this.store?.props.get();
      const view = props && viewportOf(props);
      return !view || isIdentity(view);
    };
    if (!untouched()) return;
    this.cancelFit = renderer.onContentSettled((bounds) => {
      if (!bounds || this.renderer !== renderer || this.store?.sceneId.get() !== sceneId) return;
      if (untouched()) this.store?.setViewport(renderer.fitToScreen());
    });
  }

  /**
   * Tells each plugin with a `focus` hook which of its members the GM hovers
   * and has selected (the marker reveals a hover marker on the TV with it).
   * Runs after every render (props or selection changed) and on hover.
   */
  private publishFocus(): void {
    const store = this.store;
    if (!this.host || !store?.live.get()) return;
    const selected = store.selection.get();
    // Hovering counts only with a tool that picks what it points at (ToolDefinition.selects).
    const hovered = activeTool(store.props.get())?.definition.selects ? this.hovered : undefined;
    for (const runtime of PLUGINS) {
      const info = runtime.focus && registry.plugin(runtime.name);
      const ctx = info && this.host.context(runtime.name);
      if (!ctx || info.attachTo !== 'collection') continue;
      runtime.focus?.(ctx, {
        hovered: hovered?.plugin === runtime.name ? hovered.id : undefined,
        selected: selected?.collection === info.key ? [selected.id] : [],
      });
    }
  }

  private runAction(id: string): void {
    const action = ACTIONS.find((a) => a.id === id);
    const ctx = action && this.host?.context(action.plugin);
    if (!action || !ctx) return;
    const result = action.definition.run(ctx);
    this.message = result.ok ? '' : result.reason;
  }

  private setTool(tool: string): void {
    if (TOOL_PATH && toolById(tool)?.id === tool) this.store?.queuePropertyUpdate([...TOOL_PATH], tool);
  }

  private selectScene(sceneId: string, picture = true): void {
    const r = this.route;
    if (!r?.gameSessionId || !this.store) return;
    const leaving = this.store.sceneId.get();
    if (picture && leaving !== sceneId) this.thumbnails?.leaving(leaving);
    this.store.selectScene(sceneId);
    navigate(gmPath(r.partyId, r.gameSessionId, sceneId), { replace: true });
  }

  private sceneOp(op: () => void): void {
    try {
      op();
      this.message = '';
    } catch (e) {
      this.message = (e as Error).message;
    }
  }

  private deleteScene(sceneId: string): void {
    const store = this.store;
    if (!store) return;
    const scenes = store.scenes.get();
    const next = scenes.find((s) => s.id !== sceneId);
    this.sceneOp(() => {
      if (sceneId === store.sceneId.get() && next) this.selectScene(next.id, false);
      store.manager.deleteScene(sceneId);
    });
  }

  private async reloadDrifted(ids: string[]): Promise<void> {
    const store = this.store;
    if (!store) return;
    this.reloading = true;
    try {
      for (const id of ids) await store.manager.reloadScene(id);
      this.drifted = [];
      this.message = 'Reloaded from the database.';
    } catch (e) {
      this.message = `Reload failed: ${(e as Error).message}`;
    } finally {
      this.reloading = false;
    }
  }

  private async uploadMap(file: File): Promise<void> {
    if (!this.store) return;
    this.message = `Uploading ${file.name}…`;
    const outcome = await uploadMap(this.api, this.store, file);
    this.message = outcome.message;
    if (outcome.placed) void this.placed(file, outcome.placed.url, outcome.placed.path);
  }

  private async uploadAsset(path: readonly string[], file: File): Promise<void> {
    if (!this.store) return;
    this.message = `Uploading ${file.name}…`;
    const outcome = await uploadAsset(this.api, this.store, path, file);
    this.message = outcome.message;
    const target = outcome.placed && assetPropFor(file.type);
    // Only a file that fills a drop target (the map) re-fits the view and tells the plugins.
    if (outcome.placed && target && target.plugin.key === path[0] && target.key === path[1])
      void this.placed(file, outcome.placed.url, outcome.placed.path);
  }

  /**
   * A map (any drop target) the GM dropped or chose: once the renderer has
   * it drawn, the GM view fits it, and every plugin's `placed` hook runs (the
   * grid reads `30x22` in the name, the display fits its frame).
   */
  private async placed(file: File, url: string, path: readonly string[]): Promise<void> {
    const renderer = this.renderer;
    const host = this.host;
    if (!renderer || !host) return;
    // The new value reaches the renderer with the stage view's next update; wait for it, so the
    // renderer knows the new content is loading before we ask for its bounds.
    await this.updateComplete;
    await this.stageView?.updateComplete;
    const drawn = new Promise<SceneRect>((resolve) => renderer.onContentBounds(resolve));
    void drawn.then(() => {
      if (this.renderer === renderer) this.store?.setViewport(renderer.fitToScreen());
    });
    const info = { name: file.name, type: file.type, url, path, drawn };
    for (const runtime of PLUGINS) {
      const ctx = runtime.placed && host.context(runtime.name);
      if (ctx) runtime.placed?.(ctx, info);
    }
  }

  private command(cmd: EditorCommand): void {
    const store = this.store;
    if (!store) return;
    switch (cmd) {
      case 'undo':
        store.manager.undo();
        break;
      case 'redo':
        store.manager.redo();
        break;
      case 'fit':
        if (this.renderer) this.store?.setViewport(this.renderer.fitToScreen());
        break;
      case 'help':
        this.showHelp = !this.showHelp;
        break;
      case 'upload':
        this.renderRoot.querySelector<UploadDrop>('ts-upload-drop')?.open();
        break;
    }
  }

  private handleKey(e: KeyboardEvent): void {
    const store = this.store;
    if (!store) return;
    // The active tool sees a key first (a brush's [ and ]); what it takes is not a shortcut.
    const key = toolKey(e);
    const tool = key && activeTool(store.props.get());
    const ctx = tool?.definition.onKey && this.host?.context(tool.plugin);
    if (key && ctx && tool?.definition.onKey?.(ctx, key)) {
      e.preventDefault();
      return;
    }
    const action = keyCommand(e);
    if (!action) return;
    e.preventDefault();
    switch (action.kind) {
      case 'command':
        return this.command(action.command);
      case 'tool':
        return this.setTool(action.tool);
      case 'delete':
        return store.removeSelected();
      case 'escape':
        this.stageView?.cancelGesture();
        store.selection.set(undefined);
        this.showHelp = false;
        return;
      case 'view':
        if (this.renderer) this.store?.setViewport(action.apply(this.renderer.viewport, this.renderer));
        return;
    }
  }
}

/** Largest side of a scene thumbnail, in pixels (the list shows it small; this stays sharp on HiDPI). */
const THUMBNAIL_SIZE = 256;

/** WebP where the browser encodes it (a fraction of PNG's size), PNG elsewhere. */
function encodePicture(canvas: HTMLCanvasElement): Promise<Blob | undefined> {
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob ?? undefined), 'image/webp', 0.85));
}

const isIdentity = (t: ViewportTransform): boolean =>
  t.zoom === IDENTITY_VIEWPORT.zoom &&
  t.rotation === IDENTITY_VIEWPORT.rotation &&
  t.offset.x === IDENTITY_VIEWPORT.offset.x &&
  t.offset.y === IDENTITY_VIEWPORT.offset.y;

/** The players' display as it reported itself, so the GM frames for its real shape. */
function displayBadge(displays: readonly DisplayReport[]) {
  const d = displays[0];
  if (!d)
    return html`<span class="screen" data-screen="none" title="No players' display is connected"
      >No TV</span
    >`;
  return html`<span
    class="screen"
    data-screen=${`${d.width}x${d.height}`}
    title="The players' display (CSS px × pixel ratio)"
    >TV ${d.width}×${d.height}${d.pixelRatio !== 1 ? ` @${d.pixelRatio}x` : ''}</span
  >`;
}

if (!customElements.get('ts-gm-editor-page')) customElements.define('ts-gm-editor-page', GmEditorPage);

declare global {
  interface HTMLElementTagNameMap {
    'ts-gm-editor-page': GmEditorPage;
  }
}
