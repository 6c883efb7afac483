import { html, type PropertyDeclarations } from 'lit';
import { humanize } from '../../engine/schema';
import { ControlElement, define, pathChanged } from './base';

/** One of a fixed list of values (a schema enum). Options show in words: `gm-only` → "Gm only". */
export class SelectControl extends ControlElement<string> {
  static override properties: PropertyDeclarations = {
    // Panels pass a fresh array literal on every render; compare by content.
    options: { attribute: false, hasChanged: pathChanged },
  };

  options: readonly string[] = [];

  protected override renderInput() {
    const shown = this.shown;
    return html`
      <select id="input" ?disabled=${this.disabled} @input=${this.onInput}>
        ${this.options.map(
          (option) =>
            html`<option value=${option} .selected=${this.bindFlag('input', option === shown)}>
              ${humanize(option)}
            </option>`,
        )}
      </select>
    `;
  }

  private onInput(e: Event): void {
    this.input((e.target as HTMLSelectElement).value);
  }
}

define('ts-select-control', SelectControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-select-control': SelectControl;
  }
}
