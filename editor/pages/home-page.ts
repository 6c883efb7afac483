import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { ApiClient, ApiError, tokenStore, type GameSession, type Party, type Role } from '../http';
import { gmPath, navigate, playPath } from '../app';
import { problemOf } from '../components/error-screen';
import '../components/error-screen';
import { sharedStyles } from '../components/styles';

/** A party this browser holds a token for, as the home page lists it. */
interface KnownParty {
  party: Party;
  role: Role;
  gameSessions: GameSession[];
}

/**
 * The home page: create a party, list the parties this browser has links
 * for with their game sessions, open the GM editor, copy the player link.
 */
export class HomePage extends LitElement {
  static override properties: PropertyDeclarations = {
    parties: { state: true },
    loading: { state: true },
    problem: { state: true },
    formError: { state: true },
    notice: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        max-width: 52rem;
        margin: 0 auto;
        padding: 2rem 1.5rem;
      }
      h1 {
        margin: 0 0 1.5rem;
      }
      form {
        display: flex;
        gap: 0.5rem;
        margin-bottom: 0.5rem;
      }
      input {
        flex: 1;
      }
      .party {
        margin: 1rem 0;
        padding: 1rem;
        border: 1px solid var(--ts-border);
        border-radius: 6px;
        background: var(--ts-panel);
      }
      .party h3 {
        margin: 0 0 0.5rem;
        display: flex;
        gap: 0.75rem;
        align-items: baseline;
      }
      .role {
        font-size: 0.8em;
        opacity: 0.7;
      }
      ul {
        margin: 0.25rem 0 0.5rem;
        padding-left: 1.25rem;
      }
      li {
        margin: 0.2rem 0;
      }
      .row {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      .notice {
        color: var(--ts-ok);
      }
    `,
  ];

  parties: KnownParty[] = [];
  loading = true;
  problem?: { kind: string; detail: string };
  formError = '';
  notice = '';
  private api = new ApiClient();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Loads every party the stored tokens open; a token the server refuses is dropped, not fatal. */
  async refresh(): Promise<void> {
    this.loading = true;
    this.problem = undefined;
    const found: KnownParty[] = [];
    try {
      for (const [partyId, tokens] of Object.entries(tokenStore.all())) {
        const token = tokens.gm ?? tokens.player;
        if (!token) continue;
        try {
          const { party, gameSessions, role } = await this.api.withToken(token).getParty(partyId);
          found.push({ party, role, gameSessions });
        } catch (e) {
          if (e instanceof ApiError && (e.kind === 'unauthorized' || e.kind === 'not-found'))
            tokenStore.forget(partyId);
          else throw e;
        }
      }
      found.sort((a, b) => b.party.createdAt - a.party.createdAt);
      this.parties = found;
    } catch (e) {
      this.problem = problemOf(e);
    } finally {
      this.loading = false;
    }
  }

  override render() {
    if (this.problem)
      return html`<ts-error-screen
        kind=${this.problem.kind}
        .detail=${this.problem.detail}
        .retry=${() => void this.refresh()}
      ></ts-error-screen>`;
    return html`
      <h1>Tablestage</h1>
      <section>
        <h2>New party</h2>
        <form @submit=${this.onCreate}>
          <input name="name" placeholder="Party name" aria-label="Party name" maxlength="120" required />
          <button type="submit" class="primary">Create party</button>
        </form>
        ${this.formError ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
        ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      </section>
      <section>
        <h2>Your parties</h2>
        ${
          this.loading
            ? html`<p>Loading…</p>`
            : this.parties.length === 0
              ? html`<p>No parties yet. Create one, or open a link a game master gave you.</p>`
              : this.parties.map((p) => this.renderParty(p))
        }
      </section>
    `;
  }

  private renderParty({ party, role, gameSessions }: KnownParty) {
    return html`<div class="party" data-party=${party.id}>
      <h3>${party.name} <span class="role">${role === 'gm' ? 'game master' : 'player'}</span></h3>
      ${
        role === 'gm'
          ? html`<ul>
                ${gameSessions.map(
                  (s) =>
                    html`<li>
                      <a href=${gmPath(party.id, s.id)} class="open-editor">${s.name}</a>
                      ${s.id === party.activeGameSessionId ? html`<span class="role">(shown to players)</span>` : nothing}
                      <button
                        class="export-session"
                        title="Download this game session with its maps and files as one file"
                        @click=${() => this.exportSession(party.id, s)}
                      >
                        Export session
                      </button>
                    </li>`,
                )}
              </ul>
              <div class="row">
                <button
                  @click=${() => this.newSession(party.id, gameSessions.length + 1)}
                  class="new-session"
                >
                  New game session
                </button>
                <button
                  class="import-session"
                  title="Import a game session exported from Tablestage"
                  @click=${(e: Event) =>
                    ((e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement).click()}
                >
                  Import session
                </button>
                <input
                  type="file"
                  accept=".json,application/json"
                  hidden
                  aria-label="Session file to import"
                  @change=${(e: Event) => this.importSession(e, party.id)}
                />
                <button @click=${() => this.copyPlayerLink(party.id)} class="copy-player-link">
                  Copy player link
                </button>
                <a
                  href=${playPath(party.id)}
                  class="open-player"
                  @click=${(e: Event) => this.openPlayerView(e, party.id)}
                  >Open player view</a
                >
              </div>`
          : html`<a href=${playPath(party.id)}>Open player view</a>`
      }
    </div>`;
  }

  private async onCreate(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = (new FormData(form).get('name') ?? '').toString().trim();
    this.formError = '';
    if (!name) {
      this.formError = 'Give the party a name.';
      return;
    }
    try {
      const created = await this.api.createParty(name);
      tokenStore.remember(created.tokens.gm);
      tokenStore.remember(created.tokens.player);
      form.reset();
      navigate(gmPath(created.party.id, created.gameSession.id, created.scenes[0]?.id));
    } catch (err) {
      this.formError = err instanceof Error ? err.message : String(err);
    }
  }

  /** A new game session starts with one empty scene; the editor opens on it. */
  private async newSession(partyId: string, n: number): Promise<void> {
    try {
      const api = this.api.withToken(tokenStore.get(partyId).gm);
      const { gameSession, scenes } = await api.createGameSession(partyId, `Session ${n}`);
      navigate(gmPath(partyId, gameSession.id, scenes[0]?.id));
    } catch (err) {
      this.formError = `Could not create a game session: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Downloads the session file (the server saves the live room's edits first). */
  private async exportSession(partyId: string, session: GameSession): Promise<void> {
    this.notice = '';
    try {
      const blob = await this.api.withToken(tokenStore.get(partyId).gm).exportSession(session.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${session.name.replace(/[^\w -]+/g, '').trim() || 'session'}.tablestage.json`;
      a.click();
      // The click has started the download; the URL is no longer needed.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (err) {
      this.formError = `Could not export the game session: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Imports a picked session file as a new game session of the party and opens it. */
  private async importSession(e: Event, partyId: string): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.formError = '';
    this.notice = '';
    try {
      const api = this.api.withToken(tokenStore.get(partyId).gm);
      const { gameSession, scenes, ignored } = await api.importSession(partyId, await file.text());
      if (ignored.length > 0) {
        // The editor replaces this page; say what was left out before going.
        alert(`Imported. This server does not know, and left out: ${ignored.join(', ')}`);
      }
      navigate(gmPath(partyId, gameSession.id, scenes[0]?.id));
    } catch (err) {
      this.formError = `Could not import the game session: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** The party's player token: the one this browser keeps, or a fresh one the GM token can ask for. */
  private async playerToken(partyId: string): Promise<string> {
    const kept = tokenStore.get(partyId).player;
    if (kept) return kept;
    const links = await this.api.withToken(tokenStore.get(partyId).gm).partyLinks(partyId);
    tokenStore.remember(links.tokens.player);
    return links.tokens.player;
  }

  /** A GM opening the player view gets it with a player token, never their own (which would show GM data). */
  private async openPlayerView(e: Event, partyId: string): Promise<void> {
    e.preventDefault();
    try {
      const token = await this.playerToken(partyId);
      navigate(`${playPath(partyId)}?token=${encodeURIComponent(token)}`);
    } catch (err) {
      this.formError = `Could not open the player view: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private async copyPlayerLink(partyId: string): Promise<void> {
    this.notice = '';
    try {
      const token = await this.playerToken(partyId);
      const url = `${location.origin}${playPath(partyId)}?token=${encodeURIComponent(token)}`;
      await copyText(url);
      this.notice = 'Player link copied.';
    } catch (err) {
      this.formError = `Could not copy the player link: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}

/** Clipboard API where allowed (secure contexts), a prompt the person can copy from otherwise. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  prompt('Copy this link:', text);
}

if (!customElements.get('ts-home-page')) customElements.define('ts-home-page', HomePage);

declare global {
  interface HTMLElementTagNameMap {
    'ts-home-page': HomePage;
  }
}
