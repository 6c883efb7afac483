import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { sharedStyles } from './styles';

/** Connection state of one shared document. */
export type ConnectionState = 'disconnected' | 'connecting' | 'connected';

/** The room's last save, as it writes it into `gameSessionMeta.save`. */
export interface SaveStatus {
  readonly state: 'idle' | 'saving' | 'saved' | 'failed';
  readonly at?: number;
  readonly error?: string;
}

const SAVE_TEXT: Record<SaveStatus['state'], string> = {
  idle: 'All changes saved',
  saving: 'Saving…',
  saved: 'Saved',
  failed: 'Save failed — retrying',
};

/**
 * The editor's status line: whether each shared document (game session,
 * party) is connected, and the room's save state (saving / saved / failed,
 * with the server's reason on hover).
 */
export class StatusBar extends LitElement {
  static override properties: PropertyDeclarations = {
    session: {},
    party: {},
    save: { attribute: false },
    message: {},
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        gap: 1rem;
        align-items: center;
        font-size: 0.85em;
        padding: 0.2rem 0.75rem;
        border-top: 1px solid var(--ts-border);
        background: var(--ts-panel);
      }
      .dot {
        display: inline-block;
        width: 0.6em;
        height: 0.6em;
        border-radius: 50%;
        margin-right: 0.35em;
        background: var(--ts-danger);
      }
      [data-state='connected'] .dot,
      [data-save='saved'] .dot,
      [data-save='idle'] .dot {
        background: var(--ts-ok);
      }
      [data-state='connecting'] .dot,
      [data-save='saving'] .dot {
        background: var(--ts-warn);
      }
      .message {
        margin-left: auto;
        opacity: 0.8;
      }
    `,
  ];

  session: ConnectionState = 'connecting';
  party: ConnectionState = 'connecting';
  save?: SaveStatus;
  /** A transient note (an edit the sink refused, an upload result). */
  message = '';

  override render() {
    const save = this.save;
    const at = save?.at ? new Date(save.at).toLocaleTimeString() : '';
    return html`
      <span class="conn" data-doc="session" data-state=${this.session}
        ><span class="dot"></span>Scenes: ${this.session}</span
      >
      <span class="conn" data-doc="party" data-state=${this.party}
        ><span class="dot"></span>Party: ${this.party}</span
      >
      ${
        save
          ? html`<span class="save" data-save=${save.state} title=${save.error ?? ''}>
              <span class="dot"></span
              >${SAVE_TEXT[save.state]}${at && save.state === 'saved' ? ` at ${at}` : ''}
            </span>`
          : nothing
      }
      <span class="message" role="status">${this.message}</span>
    `;
  }
}

if (!customElements.get('ts-status-bar')) customElements.define('ts-status-bar', StatusBar);

declare global {
  interface HTMLElementTagNameMap {
    'ts-status-bar': StatusBar;
  }
}
