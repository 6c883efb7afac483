import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { ApiErrorKind } from '../http';
import { ApiError } from '../http';

/** What a full-page error is about; decides the title and the advice. */
export type ProblemKind = ApiErrorKind | 'bad-link' | 'expired' | 'replaced' | 'wrong-role' | 'no-webgl';

const ADVICE: Record<ProblemKind, { title: string; advice: string }> = {
  unreachable: {
    title: 'The server cannot be reached',
    advice: 'Check that Tablestage is running (npm start) and that this device is online, then try again.',
  },
  unauthorized: {
    title: 'This link is not valid',
    advice: 'Ask the game master for a fresh link to this party.',
  },
  expired: {
    title: 'This link has expired',
    advice: 'Ask the game master for a new link; they can copy one from the home page.',
  },
  replaced: {
    title: 'This link was replaced',
    advice: 'The game master made a new link for this party. Ask them for it.',
  },
  'bad-link': {
    title: 'This link is incomplete',
    advice: 'The address is missing its token or has been cut short. Open the full link again.',
  },
  'wrong-role': {
    title: 'This link opens another view',
    advice: 'A player link opens the player view; the editor needs the game master link.',
  },
  forbidden: { title: 'Not allowed', advice: 'This link does not give access to that.' },
  'not-found': {
    title: 'Not found',
    advice: 'The party, game session or scene may have been deleted. Go back to the home page.',
  },
  invalid: { title: 'The request was refused', advice: 'Go back and try again.' },
  server: {
    title: 'The server failed',
    advice: 'Try again in a moment; if it persists, check the server log.',
  },
  'no-webgl': {
    title: 'This browser cannot draw the scene',
    advice: 'WebGL is unavailable. Enable hardware acceleration or use a current Chrome, Firefox or Safari.',
  },
};

/** The problem kind an error from a page's loading step means. */
export function problemOf(error: unknown): { kind: ProblemKind; detail: string } {
  if (error instanceof ApiError) {
    if (error.kind === 'unauthorized' && /expired/i.test(error.message))
      return { kind: 'expired', detail: error.message };
    if (error.kind === 'unauthorized' && /replaced/i.test(error.message))
      return { kind: 'replaced', detail: error.message };
    return { kind: error.kind, detail: error.message };
  }
  return { kind: 'server', detail: error instanceof Error ? error.message : String(error) };
}

/** The page shown when a room refuses the connection's token for good. */
export function refusedScreen(reason: string): TemplateResult {
  const kind: ProblemKind = /replaced/i.test(reason)
    ? 'replaced'
    : /expired/i.test(reason)
      ? 'expired'
      : 'unauthorized';
  return html`<ts-error-screen kind=${kind} .detail=${reason}></ts-error-screen>`;
}

/**
 * A full-page error a person can act on: what happened, what to do, the
 * server's own words, and a retry button when retrying can help.
 */
export class ErrorScreen extends LitElement {
  static override properties: PropertyDeclarations = {
    kind: {},
    detail: {},
    retry: { attribute: false },
  };

  static override styles = css`
    :host {
      display: grid;
      place-items: center;
      min-height: 100%;
      padding: 2rem;
      box-sizing: border-box;
    }
    .card {
      max-width: 32rem;
      padding: 1.5rem 2rem;
      border-radius: 8px;
      background: var(--ts-panel, #25282e);
      border: 1px solid var(--ts-border, #3a3f47);
    }
    h1 {
      font-size: 1.4rem;
      margin: 0 0 0.75rem;
    }
    .detail {
      opacity: 0.7;
      font-size: 0.9em;
      word-break: break-word;
    }
    .actions {
      display: flex;
      gap: 0.75rem;
      margin-top: 1.25rem;
    }
    button,
    a {
      font: inherit;
      color: inherit;
    }
  `;

  kind: ProblemKind = 'server';
  detail = '';
  /** Shown as "Try again" when set. */
  retry?: () => void;

  override render() {
    const { title, advice } = ADVICE[this.kind] ?? ADVICE.server;
    return html`<div class="card" role="alert" data-problem=${this.kind}>
      <h1>${title}</h1>
      <p>${advice}</p>
      ${this.detail ? html`<p class="detail">${this.detail}</p>` : nothing}
      <div class="actions">
        ${this.retry ? html`<button @click=${() => this.retry?.()}>Try again</button>` : nothing}
        <a href="/">Home</a>
      </div>
    </div>`;
  }
}

if (!customElements.get('ts-error-screen')) customElements.define('ts-error-screen', ErrorScreen);

declare global {
  interface HTMLElementTagNameMap {
    'ts-error-screen': ErrorScreen;
  }
}
