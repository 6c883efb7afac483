import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { SignalWatcher } from '@lit-labs/signals';
import type { StageRenderer, ViewportTransform } from '../../engine/render';
import { PartyDataManager } from '../../engine/sync';
import { ApiClient, tokenStore, type SessionLoad } from '../api';
import { gmPath, navigate, playPath, type Route } from '../app';
import '../components/drift-banner';
import '../components/error-screen';
import '../components/help-panel';
import '../components/inspector-column';
import '../components/scene-list';
import '../components/stage-view';
import '../components/status-bar';
import '../components/tool-bar';
import '../components/upload-drop';
import { problemOf, type ProblemKind } from '../components/error-screen';
import type { SceneListDetail } from '../components/scene-list';
import type { StageView } from '../components/stage-view';
import { sharedStyles } from '../components/styles';
import type { EditorCommand } from '../components/tool-bar';
import type { UploadDrop } from '../components/upload-drop';
import type { FileSelectEvent } from '../controls';
import '../generated/panels';
import { SessionStore } from '../state/session-store';
import { TOOL_PATH, TOOLS, type ToolHost } from '../state/tools';
import { localUser } from '../state/user';
import { viewportEdits } from '../state/viewport';
import { exposeTestHook } from '../state/test-hook';
import { assetPropFor, keyCommand, uploadAccept } from './gm-editor-keys';
import { loadSession, resolveToken } from './session-loader';

type GmRoute = Extract<Route, { page: 'gm' }>;

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
    message: { state: true },
    hostReady: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto 1fr auto;
        height: 100vh;
        position: relative;
      }
      header {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        padding: 0.4rem 0.75rem;
        border-bottom: 1px solid var(--ts-border);
        background: var(--ts-panel);
        flex-wrap: wrap;
      }
      .title {
        font-weight: 600;
      }
      .title small {
        font-weight: normal;
        opacity: 0.7;
      }
      .spacer {
        flex: 1;
      }
      main {
        display: grid;
        grid-template-columns: 15rem 1fr 21rem;
        min-height: 0;
      }
      aside {
        overflow-y: auto;
        border-right: 1px solid var(--ts-border);
        padding: 0 0.5rem;
      }
      ts-inspector-column {
        border-left: 1px solid var(--ts-border);
      }
      .stage {
        position: relative;
        min-height: 0;
      }
      /* Over the viewport, not above it: the canvas must not move under the GM's pointer. */
      ts-drift-banner {
        position: absolute;
        top: 0;
        left: 0;
        right: 0;
        z-index: 6;
      }
      ts-upload-drop,
      ts-stage-view {
        min-height: 0;
        height: 100%;
      }
      .paused {
        color: var(--ts-warn);
      }
    `,
  ];

  route?: GmRoute;
  protected problem?: { kind: ProblemKind; detail: string; retry?: () => void };
  protected store?: SessionStore;
  protected load?: SessionLoad;
  protected showHelp = false;
  protected drifted: string[] = [];
  protected reloading = false;
  protected message = '';
  protected hostReady = false;
  private api = new ApiClient();
  private renderer?: StageRenderer;
  private host?: ToolHost;
  private driftTimer?: ReturnType<typeof setInterval>;
  private openedFor = '';
  private routeScene: string | undefined;
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

  protected override updated(): void {
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
    clearInterval(this.driftTimer);
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
    const user = localUser('gm');
    const manager = new PartyDataManager(
      r.partyId,
      user.id,
      r.gameSessionId,
      load.partykitHost,
      token.value,
      {
        name: user.name,
        color: user.color,
        view: 'gm',
        reloadScene: async (id) => void (await this.api.reloadScene(id)),
      },
    );
    this.load = load;
    this.store = new SessionStore(manager, {
      sceneId: load.sceneId,
      props: load.props,
      blobs: load.blobs,
      scenes: load.scenes,
      party: {
        activeGameSessionId: load.party.activeGameSessionId,
        activeSceneId: load.party.activeSceneId,
        paused: load.party.paused,
      },
    });
    exposeTestHook('gm', this.store, () => this.renderer);
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
    const tool = String(
      store.manager.registry.byPath(TOOL_PATH) ? (readPath(props, TOOL_PATH) ?? 'select') : 'select',
    );
    const conn = store.connection.get();
    const driftedScenes = this.drifted.map((id) => ({
      id,
      name: scenes.find((s) => s.id === id)?.name ?? id,
    }));
    return html`
      <header>
        <span class="title">${load.party.name} <small>· ${load.gameSession.name}</small></span>
        <ts-tool-bar
          .tool=${tool}
          ?can-undo=${store.canUndo.get()}
          ?can-redo=${store.canRedo.get()}
          @tool-change=${(e: CustomEvent<string>) => this.setTool(e.detail)}
          @command=${(e: CustomEvent<EditorCommand>) => this.command(e.detail)}
        ></ts-tool-bar>
        <span class="spacer"></span>
        ${party.paused ? html`<span class="paused">Players paused</span>` : nothing}
        <button
          data-action="pause"
          @click=${() => store.manager.setPaused(!party.paused)}
          ?disabled=${!store.live.get()}
        >
          ${party.paused ? 'Resume players' : 'Pause players'}
        </button>
        <a
          href=${`${playPath(load.party.id)}?token=${encodeURIComponent(tokenStore.get(load.party.id).player ?? '')}`}
          target="_blank"
          >Player view ↗</a
        >
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
        </aside>
        <div class="stage">
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
              .selection=${store.selection.get()}
              @renderer-ready=${(e: CustomEvent<StageRenderer>) => this.onRenderer(e.detail)}
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

  private get stageView(): StageView | null {
    return this.renderRoot.querySelector('ts-stage-view');
  }

  private onRenderer(renderer: StageRenderer): void {
    const store = this.store;
    if (!store) return;
    this.renderer = renderer;
    this.host = {
      renderer,
      props: () => store.props.get()!,
      queuePropertyUpdate: (path, value) => store.queuePropertyUpdate(path, value),
      beginEdit: (path) => store.beginEdit(path),
      endEdit: (path) => store.endEdit(path),
      selection: () => store.selection.get(),
      select: (m) => store.selection.set(m),
      addMember: (collection, at) => store.addMember(collection, at),
      fogMask: () => store.fogMask(),
      applyFog: (changes) => store.applyFog(changes),
      setViewport: (t) => this.setViewport(t),
      preview: (shape) => this.stageView?.showShape(shape),
    };
    this.hostReady = true;
  }

  private setViewport(t: ViewportTransform): void {
    for (const [path, value] of viewportEdits(t)) this.store?.queuePropertyUpdate(path, value);
  }

  private setTool(tool: string): void {
    if (TOOLS.some((t) => t.id === tool)) this.store?.queuePropertyUpdate(TOOL_PATH, tool);
  }

  private selectScene(sceneId: string): void {
    const r = this.route;
    if (!r?.gameSessionId || !this.store) return;
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
      if (sceneId === store.sceneId.get() && next) this.selectScene(next.id);
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

  /** A file dropped on the viewport becomes the map: the scene asset property that accepts its type. */
  private async uploadMap(file: File): Promise<void> {
    const prop = assetPropFor(file.type);
    if (!prop) {
      this.message = `${file.name}: this kind of file (${file.type || 'unknown'}) cannot be a map.`;
      return;
    }
    await this.uploadAsset([prop.plugin.key, prop.key], file);
  }

  private async uploadAsset(path: readonly string[], file: File): Promise<void> {
    this.message = `Uploading ${file.name}…`;
    try {
      const { url } = await this.api.upload(file, file.name);
      const result = this.store?.queuePropertyUpdate([...path], url);
      this.message = result?.ok ? `Uploaded ${file.name}.` : `Upload refused: ${result?.reason ?? ''}`;
    } catch (e) {
      this.message = `Upload failed: ${(e as Error).message}`;
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
        if (this.renderer) this.setViewport(this.renderer.fitToScreen());
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
        if (this.renderer) this.setViewport(action.apply(this.renderer.viewport, this.renderer));
        return;
    }
  }
}

function readPath(props: unknown, path: readonly string[]): unknown {
  let v: unknown = props;
  for (const k of path)
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

if (!customElements.get('ts-gm-editor-page')) customElements.define('ts-gm-editor-page', GmEditorPage);

declare global {
  interface HTMLElementTagNameMap {
    'ts-gm-editor-page': GmEditorPage;
  }
}
