import { html, nothing, type PropertyDeclarations } from 'lit';
import { ControlElement, define, numberText, settleNumber } from './base';

/** A bounded number: a range slider with an editable number readout and its unit. */
export class SliderControl extends ControlElement<number> {
  static override properties: PropertyDeclarations = {
    min: { type: Number },
    max: { type: Number },
    step: { type: Number },
    unit: {},
  };

  min = 0;
  max = 1;
  /** `any` when the schema gives no step. */
  step?: number;
  unit = '';

  protected override renderInput() {
    const text = numberText(this.shown);
    const step = this.step ?? 'any';
    return html`
      <input
        id="input"
        type="range"
        min=${this.min}
        max=${this.max}
        step=${step}
        ?disabled=${this.disabled}
        .value=${this.bindText('input', text)}
        @input=${this.onInput}
      />
      <input
        id="readout"
        type="number"
        aria-label=${this.label}
        min=${this.min}
        max=${this.max}
        step=${step}
        ?disabled=${this.disabled}
        .value=${this.bindText('readout', text)}
        @input=${this.onTyped}
      />
      ${this.unit ? html`<span class="unit">${this.unit}</span>` : nothing}
    `;
  }

  private onInput(e: Event): void {
    this.input((e.target as HTMLInputElement).valueAsNumber);
  }

  /** The readout is typed in: committed after a pause, clamped to the slider's range. */
  private onTyped(e: Event): void {
    const n = (e.target as HTMLInputElement).valueAsNumber;
    this.typed(n, () => settleNumber(n, this.min, this.max));
  }
}

define('ts-slider-control', SliderControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-slider-control': SliderControl;
  }
}
