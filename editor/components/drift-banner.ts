import { css, html, LitElement, type PropertyDeclarations } from 'lit';
import { sharedStyles } from './styles';

/**
 * Shown when the database holds a newer version of scenes than the live
 * document (someone changed them behind the room's back). "Reload from
 * database" emits `reload` (detail: scene ids); "Dismiss" emits `dismiss`.
 */
export class DriftBanner extends LitElement {
  static override properties: PropertyDeclarations = {
    scenes: { attribute: false },
    busy: { type: Boolean },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        padding: 0.4rem 0.75rem;
        background: #5c3c00;
        border-bottom: 1px solid var(--ts-warn);
      }
      span {
        flex: 1;
      }
    `,
  ];

  /** Names of the drifted scenes, by id. */
  scenes: readonly { id: string; name: string }[] = [];
  busy = false;

  override render() {
    const names = this.scenes.map((s) => `"${s.name}"`).join(', ');
    return html`<span role="alert"
        >The database has a newer version of ${names} than this editor shows (changed elsewhere).</span
      >
      <button
        class="primary"
        ?disabled=${this.busy}
        @click=${() => this.dispatchEvent(new CustomEvent('reload', { detail: this.scenes.map((s) => s.id) }))}
      >
        Reload from database
      </button>
      <button @click=${() => this.dispatchEvent(new CustomEvent('dismiss'))}>Dismiss</button>`;
  }
}

if (!customElements.get('ts-drift-banner')) customElements.define('ts-drift-banner', DriftBanner);

declare global {
  interface HTMLElementTagNameMap {
    'ts-drift-banner': DriftBanner;
  }
}
