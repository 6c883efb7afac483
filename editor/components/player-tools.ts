import { css, html, LitElement, type PropertyDeclarations } from 'lit';
import type { ToolInfo } from '../state/plugins';

/**
 * The player page's own controls: the tools players may use now (the
 * plugins' `players` tools the GM allows) and "Follow the TV" — on, the
 * page shows the display frame like the TV; off, the player pans and zooms
 * freely (and a GM's "pull view" ping moves the view). Fires `tool-change`
 * (detail: a tool id, '' for none) and `follow-change` (detail: boolean).
 */
export class PlayerTools extends LitElement {
  static override properties: PropertyDeclarations = {
    tools: { attribute: false },
    tool: {},
    follow: { type: Boolean },
  };

  static override styles = css`
    :host {
      display: flex;
      gap: 0.4rem;
      align-items: center;
      padding: 0.35rem 0.5rem;
      border-radius: 6px;
      background: rgba(20, 22, 26, 0.85);
      color: #f1f3f5;
      font:
        14px system-ui,
        sans-serif;
    }
    button {
      font: inherit;
      padding: 0.25rem 0.7rem;
      border: 1px solid #495057;
      border-radius: 4px;
      background: #343a40;
      color: inherit;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: #1971c2;
      border-color: #1971c2;
    }
    label {
      display: flex;
      gap: 0.3rem;
      align-items: center;
      cursor: pointer;
    }
  `;

  /** The tools players may use now. */
  tools: readonly ToolInfo[] = [];
  /** The chosen tool's id ('' for none). */
  tool = '';
  follow = true;

  override render() {
    return html`${this.tools.map(
        (t) =>
          html`<button
            data-tool=${t.id}
            title=${t.key ? `${t.hint} (${t.key.toUpperCase()})` : t.hint}
            aria-pressed=${t.id === this.tool ? 'true' : 'false'}
            @click=${() => this.fire('tool-change', t.id === this.tool ? '' : t.id)}
          >
            ${t.label}
          </button>`,
      )}
      <label title="Off: pan and zoom your own view (drag, wheel); on: show what the TV shows">
        <input
          type="checkbox"
          data-action="follow"
          .checked=${this.follow}
          @change=${(e: Event) => this.fire('follow-change', (e.target as HTMLInputElement).checked)}
        />
        Follow the TV
      </label>`;
  }

  private fire(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('ts-player-tools')) customElements.define('ts-player-tools', PlayerTools);

declare global {
  interface HTMLElementTagNameMap {
    'ts-player-tools': PlayerTools;
  }
}
