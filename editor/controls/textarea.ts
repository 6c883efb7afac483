import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { ControlElement, define } from './base';

/** Longer multi-line text (notes). The label sits above the box. */
export class TextareaControl extends ControlElement<string> {
  static override properties: PropertyDeclarations = {
    maxLength: { type: Number },
  };

  static override styles = [
    ControlElement.styles,
    css`
      .row {
        grid-template-columns: 1fr;
      }
      textarea {
        min-height: 5rem;
        resize: vertical;
      }
    `,
  ];

  maxLength?: number;

  protected override renderInput() {
    return html`
      <textarea
        id="input"
        maxlength=${this.maxLength ?? nothing}
        ?disabled=${this.disabled}
        .value=${this.bindText('input', this.shown ?? '')}
        @input=${this.onInput}
      ></textarea>
    `;
  }

  private onInput(e: Event): void {
    this.input((e.target as HTMLTextAreaElement).value);
  }
}

define('ts-textarea-control', TextareaControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-textarea-control': TextareaControl;
  }
}
