import { html, nothing, type PropertyDeclarations } from 'lit';
import { ControlElement, define } from './base';

/** A short single-line string. */
export class TextControl extends ControlElement<string> {
  static override properties: PropertyDeclarations = {
    maxLength: { type: Number },
  };

  maxLength?: number;

  protected override renderInput() {
    return html`
      <input
        id="input"
        type="text"
        maxlength=${this.maxLength ?? nothing}
        ?disabled=${this.disabled}
        .value=${this.bindText('input', this.shown ?? '')}
        @input=${this.onInput}
      />
    `;
  }

  private onInput(e: Event): void {
    this.input((e.target as HTMLInputElement).value);
  }
}

define('ts-text-control', TextControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-text-control': TextControl;
  }
}
