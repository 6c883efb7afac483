import { css, html, LitElement, type PropertyDeclarations } from 'lit';
import { MAX_NAME_CHARS } from '../../engine/sync/presence';

/**
 * The GM's display name, shown with their cursor to everyone in the room:
 * an input in the header. A changed name is announced as `name-change`
 * (detail: the text typed); the page cleans, remembers and publishes it.
 */
export class UserName extends LitElement {
  static override properties: PropertyDeclarations = { name: {} };

  static override styles = css`
    input {
      width: 9rem;
      font: inherit;
      padding: 0.15rem 0.35rem;
      border: 1px solid #495057;
      border-radius: 3px;
      background: #25282d;
      color: inherit;
    }
  `;

  name = '';

  override render() {
    return html`<label
      ><input
        data-user-name
        aria-label="Your name (shown with your cursor)"
        title="Your name, shown with your cursor to the other GMs (remembered in this browser)"
        maxlength=${MAX_NAME_CHARS}
        .value=${this.name}
        @change=${(e: Event) => this.changed(e.target as HTMLInputElement)}
        @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
    /></label>`;
  }

  private changed(input: HTMLInputElement): void {
    this.dispatchEvent(
      new CustomEvent('name-change', { detail: input.value, bubbles: true, composed: true }),
    );
    // The page answers with the cleaned name (or the old one for an empty entry).
    void this.updateComplete.then(() => (input.value = this.name));
  }
}

if (!customElements.get('ts-user-name')) customElements.define('ts-user-name', UserName);

declare global {
  interface HTMLElementTagNameMap {
    'ts-user-name': UserName;
  }
}
