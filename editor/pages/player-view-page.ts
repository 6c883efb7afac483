import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { SignalWatcher } from '@lit-labs/signals';
import type { StageRenderer } from '../../engine/render';
import { ApiClient } from '../http';
import type { Route } from '../app';
import '../components/error-screen';
import '../components/stage-view';
import '../components/player-tools';
import type { StageView } from '../components/stage-view';
import { problemOf, refusedScreen, type ProblemKind } from '../components/error-screen';
import type { SessionStore } from '../state/session-store';
import { PLAYER_TOOLS, pauseCover, playersAllowed, type ToolInfo } from '../state/plugins';
import type { ToolHost } from '../state/tools';
import { reportDisplay } from '../../engine/sync';
import { exposeTestHook } from '../state/test-hook';
import { connectSession, loadSession, resolveToken } from './session-loader';

type PlayRoute = Extract<Route, { page: 'play' }>;

/** How long to wait before asking again when the party shows nothing yet. */
const IDLE_RETRY_MS = 5_000;
/** The player's controls hide this long after the pointer last moved (the TV, never touched, shows none). */
const CONTROLS_SHOWN_MS = 4_000;
/** Where this browser keeps "Follow the TV" off for a party. */
const freeViewKey = (partyId: string) => `tablestage.freeView.${partyId}`;

/**
 * The player (spectator) view (`/play/:partyId?token=`): the party's active
 * scene, full screen, drawn for the player audience. It follows the GM's
 * "show to players" (scene and game session), shows the GM's pause cover
 * while paused — and then nothing of the scene: the stage is not drawn at
 * all, so edits made meanwhile stay unseen until the cover lifts on the
 * current state — and an offline badge while disconnected (the connection comes back
 * by itself), and shows GM cursors. No editing controls, no GM data: the
 * player token only ever receives the player projection. Its performance
 * tier is automatic (frame time) unless the link pins one (`?tier=low`).
 *
 * A player with a screen of their own gets, once they move the pointer, the
 * tools the GM allows players (pinging, measuring: presence only, checked by
 * the room) and "Follow the TV": off, the page is a free view the player
 * pans and zooms, which a GM's "pull view" ping moves, and it stops
 * reporting itself as a display (the GM frames for the TV, not for phones).
 */
export class PlayerViewPage extends SignalWatcher(LitElement) {
  static override properties: PropertyDeclarations = {
    route: { attribute: false },
    problem: { state: true },
    store: { state: true },
    waiting: { state: true },
    tool: { state: true },
    follow: { state: true },
    controlsShown: { state: true },
    host: { state: true },
  };

  static override styles = css`
    :host {
      display: block;
      position: fixed;
      inset: 0;
      background: #000;
    }
    ts-stage-view {
      position: absolute;
      inset: 0;
    }
    .pause {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      align-content: center;
      gap: 1.5rem;
      color: #f1f3f5;
      font-size: 2.5rem;
      letter-spacing: 0.1em;
      z-index: 3;
    }
    .pause img {
      max-width: 80vw;
      max-height: 70vh;
      object-fit: contain;
    }
    .offline {
      position: absolute;
      top: 0.75rem;
      right: 0.75rem;
      padding: 0.3rem 0.75rem;
      border-radius: 4px;
      background: #c92a2a;
      color: #fff;
      z-index: 4;
    }
    ts-player-tools {
      position: absolute;
      left: 0.75rem;
      bottom: 0.75rem;
      z-index: 2;
    }
    .waiting {
      display: grid;
      place-items: center;
      height: 100%;
      color: #adb5bd;
    }
  `;

  route?: PlayRoute;
  protected problem?: { kind: ProblemKind; detail: string; retry?: () => void };
  protected store?: SessionStore;
  protected waiting = '';
  /** The player tool chosen ('' for none). */
  protected tool = '';
  /** Follow the TV's frame (the default), or pan and zoom freely. */
  protected follow = true;
  protected controlsShown = false;
  protected host?: ToolHost;
  private controlsTimer?: ReturnType<typeof setTimeout>;
  private renderer?: StageRenderer;
  private openedFor = '';
  private stopFollowing?: () => void;
  private retryTimer?: ReturnType<typeof setTimeout>;

  protected override willUpdate(): void {
    const r = this.route;
    if (r && r.partyId !== this.openedFor) {
      this.openedFor = r.partyId;
      void this.open(r);
    }
  }

  override updated(): void {
    // A player's document the room no longer knows can never converge; a fresh page gets a fresh one.
    if (this.store?.connection.get().stale) location.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('pointermove', this.onPointer);
    removeEventListener('pointerdown', this.onPointer);
    removeEventListener('keydown', this.onKey);
    clearTimeout(this.controlsTimer);
    this.teardown();
  }

  /** Bumped by every teardown: an `open` that finds it changed after an await was overtaken and stops. */
  private generation = 0;

  private readonly onResize = (): void => this.report();
  private readonly onPointer = (): void => {
    this.controlsShown = true;
    clearTimeout(this.controlsTimer);
    this.controlsTimer = setTimeout(this.hideControls, CONTROLS_SHOWN_MS);
  };
  private readonly hideControls = (): void => {
    // Controls under the pointer stay: a player about to click one must not see it vanish.
    if (this.renderRoot.querySelector('ts-player-tools')?.matches(':hover'))
      this.controlsTimer = setTimeout(this.hideControls, CONTROLS_SHOWN_MS);
    else this.controlsShown = false;
  };
  private readonly onKey = (e: KeyboardEvent): void => this.handleKey(e);

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('pointermove', this.onPointer);
    addEventListener('pointerdown', this.onPointer);
    addEventListener('keydown', this.onKey);
  }

  /**
   * Tells the GM's editor this screen's size and pixel ratio (ephemeral
   * presence, checked by the room), so the GM frames for its real shape —
   * while it follows the frame: a player's free view is not the TV.
   */
  private report(): void {
    const store = this.store;
    if (!store) return;
    reportDisplay(
      store.manager.awareness,
      this.follow
        ? {
            width: Math.round(innerWidth),
            height: Math.round(innerHeight),
            pixelRatio: Math.round(devicePixelRatio * 100) / 100,
          }
        : undefined,
    );
  }

  /** The player tools the GM allows now. */
  private allowedTools(): ToolInfo[] {
    const settings = this.store?.partySettings.get() ?? {};
    return PLAYER_TOOLS.filter((t) => playersAllowed(t.plugin, settings));
  }

  private onRenderer(renderer: StageRenderer): void {
    const store = this.store;
    if (!store) return;
    this.renderer = renderer;
    this.host = store.toolHost(renderer, () => undefined, {
      allows: (plugin) => playersAllowed(plugin, store.partySettings.get()),
    });
    this.applyFollow();
  }

  /**
   * Follows the TV's frame, or frees the view: a free view starts where the
   * frame is (the player's own pan and zoom, set to it) and is the player's
   * from then on. The choice is kept in this browser, per party.
   */
  private setFollow(follow: boolean): void {
    this.follow = follow;
    const key = freeViewKey(this.route?.partyId ?? '');
    if (follow) localStorage.removeItem(key);
    else localStorage.setItem(key, '1');
    this.applyFollow();
  }

  private applyFollow(): void {
    const renderer = this.renderer;
    if (renderer) {
      if (!this.follow) this.store?.setViewport(renderer.viewport);
      renderer.setFollowFrame(this.follow);
    }
    this.report();
  }

  private handleKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || (e.target as HTMLElement | null)?.tagName === 'INPUT') return;
    if (e.key === 'Escape') {
      this.renderRoot.querySelector<StageView>('ts-stage-view')?.cancelGesture();
      this.tool = '';
      return;
    }
    const tool = this.allowedTools().find((t) => t.key && t.key === e.key.toLowerCase());
    if (tool) this.tool = tool.id === this.tool ? '' : tool.id;
  }

  private teardown(): void {
    removeEventListener('resize', this.onResize);
    this.host = undefined;
    this.renderer = undefined;
    this.generation++;
    clearTimeout(this.retryTimer);
    this.stopFollowing?.();
    this.stopFollowing = undefined;
    this.store?.destroy();
    this.store = undefined;
  }

  private async open(r: PlayRoute, gameSessionId?: string): Promise<void> {
    this.teardown();
    const generation = this.generation;
    const stale = () => generation !== this.generation || !this.isConnected;
    this.problem = undefined;
    this.follow = localStorage.getItem(freeViewKey(r.partyId)) !== '1';
    const token = resolveToken(r.partyId, r.token, 'player');
    if (!token.ok) return void (this.problem = token);
    const api = new ApiClient({ token: token.value });
    let sessionId = gameSessionId;
    if (!sessionId) {
      try {
        const { party } = await api.getParty(r.partyId);
        if (stale()) return;
        sessionId = party.activeGameSessionId ?? undefined;
      } catch (e) {
        if (stale()) return;
        return void (this.problem = { ...problemOf(e), retry: () => void this.open(r) });
      }
    }
    if (!sessionId) {
      this.waiting = 'The game master has not chosen a scene to show yet.';
      this.retryTimer = setTimeout(() => void this.open(r), IDLE_RETRY_MS);
      return;
    }
    const loaded = await loadSession(api, sessionId);
    // The page was left (or the GM switched sessions again) while this loaded.
    if (stale()) return;
    if (!loaded.ok) return void (this.problem = { ...loaded, retry: () => void this.open(r) });
    const load = loaded.value;
    this.waiting = '';
    const store = connectSession(r.partyId, load, token.value, 'player');
    const manager = store.manager;
    this.store = store;
    exposeTestHook('player', store, () => this.renderer);
    addEventListener('resize', this.onResize);
    this.report();
    // Follow the GM's "show to players": another scene of this session, or another session.
    const follow = (): void => {
      if (!store.live.get() || this.store !== store) return;
      const party = store.party.get();
      if (party.activeGameSessionId && party.activeGameSessionId !== sessionId)
        void this.open(r, party.activeGameSessionId);
      else if (party.activeSceneId && party.activeSceneId !== store.sceneId.get())
        store.selectScene(party.activeSceneId);
    };
    // After the store has read the event (subscribers run in order), so `store.party` is current.
    this.stopFollowing = manager.subscribe(() => queueMicrotask(follow));
  }

  override render() {
    if (this.problem)
      return html`<ts-error-screen
        kind=${this.problem.kind}
        .detail=${this.problem.detail}
        .retry=${this.problem.retry}
      ></ts-error-screen>`;
    if (this.waiting) return html`<div class="waiting">${this.waiting}</div>`;
    const store = this.store;
    if (!store) return html`<div class="waiting">Connecting…</div>`;
    const conn = store.connection.get();
    // A room refused the token for good (revoked, forged, another party's): retrying cannot help.
    if (conn.refused) return refusedScreen(conn.refused);
    // The room lost its history and cannot take this document back: start over from the room (see updated()).
    if (conn.stale) return html`<div class="waiting">Reloading the scene…</div>`;
    const props = store.props.get();
    const cover = store.party.get().paused && props ? pauseCover(props) : undefined;
    // A tool the GM stops allowing is put down (the room refuses what it would publish anyway).
    const tools = this.allowedTools();
    const tool = tools.find((t) => t.id === this.tool);
    return html`
      ${
        cover
          ? html`<div class="pause" role="status" style=${`background:${cover.color}`}>
              ${cover.image ? html`<img src=${cover.image} alt="" />` : nothing}
              ${cover.text ? html`<span>${cover.text}</span>` : nothing}
            </div>`
          : html`<ts-stage-view
                view="player"
                .props=${props}
                .blobs=${store.blobs.get()}
                .cursors=${store.cursors.get()}
                .presence=${store.presence.get()}
                .tier=${this.route?.tier ?? 'auto'}
                .host=${store.live.get() ? this.host : undefined}
                .tool=${tool}
                ?pans=${!this.follow}
                @renderer-ready=${(e: CustomEvent<StageRenderer>) => this.onRenderer(e.detail)}
              ></ts-stage-view>
              ${
                this.controlsShown || tool || !this.follow
                  ? html`<ts-player-tools
                      .tools=${tools}
                      tool=${tool?.id ?? ''}
                      ?follow=${this.follow}
                      @tool-change=${(e: CustomEvent<string>) => (this.tool = e.detail)}
                      @follow-change=${(e: CustomEvent<boolean>) => this.setFollow(e.detail)}
                    ></ts-player-tools>`
                  : nothing
              }`
      }
      ${
        conn.overall !== 'connected'
          ? html`<div class="offline" role="status" data-state=${conn.overall}>
              ${conn.overall === 'connecting' && !store.live.get() ? 'Connecting…' : 'Offline — reconnecting…'}
            </div>`
          : nothing
      }
    `;
  }
}

if (!customElements.get('ts-player-view-page')) customElements.define('ts-player-view-page', PlayerViewPage);

declare global {
  interface HTMLElementTagNameMap {
    'ts-player-view-page': PlayerViewPage;
  }
}
