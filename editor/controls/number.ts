import { html, nothing, type PropertyDeclarations } from 'lit';
import { ControlElement, define, numberText, settleNumber } from './base';

/** A number typed in a field, optionally bounded, with its unit. */
export class NumberControl extends ControlElement<number> {
  static override properties: PropertyDeclarations = {
    min: { type: Number },
    max: { type: Number },
    step: { type: Number },
    unit: {},
  };

  min?: number;
  max?: number;
  step?: number;
  unit = '';

  protected override renderInput() {
    return html`
      <input
        id="input"
        type="number"
        min=${this.min ?? nothing}
        max=${this.max ?? nothing}
        step=${this.step ?? 'any'}
        ?disabled=${this.disabled}
        .value=${this.bindText('input', numberText(this.shown))}
        @input=${this.onInput}
      />
      ${this.unit ? html`<span class="unit">${this.unit}</span>` : nothing}
    `;
  }

  private onInput(e: Event): void {
    const n = (e.target as HTMLInputElement).valueAsNumber;
    this.typed(n, () => settleNumber(n, this.min, this.max));
  }
}

define('ts-number-control', NumberControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-number-control': NumberControl;
  }
}
