import { html } from 'lit';
import { ControlElement, define } from './base';

/** A colour as `#rrggbb`: the browser's colour picker plus the hex code. */
export class ColorControl extends ControlElement<string> {
  protected override renderInput() {
    const color = this.shown ?? '';
    return html`
      <input
        id="input"
        type="color"
        ?disabled=${this.disabled}
        .value=${this.bindText('input', color)}
        @input=${this.onInput}
      />
      <code class="unit">${color}</code>
    `;
  }

  private onInput(e: Event): void {
    this.input((e.target as HTMLInputElement).value);
  }
}

define('ts-color-control', ColorControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-color-control': ColorControl;
  }
}
