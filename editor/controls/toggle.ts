import { html } from 'lit';
import { ControlElement, define } from './base';

/** A yes/no property as a checkbox. */
export class ToggleControl extends ControlElement<boolean> {
  protected override renderInput() {
    return html`
      <input
        id="input"
        type="checkbox"
        ?disabled=${this.disabled}
        .checked=${this.bindFlag('input', this.shown === true)}
        @input=${this.onInput}
      />
    `;
  }

  private onInput(e: Event): void {
    this.input((e.target as HTMLInputElement).checked);
  }
}

define('ts-toggle-control', ToggleControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-toggle-control': ToggleControl;
  }
}
