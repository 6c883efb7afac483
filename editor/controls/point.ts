import { html, nothing, type PropertyDeclarations } from 'lit';
import type { Point } from '../../engine/schema';
import { ControlElement, define, numberText } from './base';

/** A 2D point as an x/y pair of number fields sharing one range and unit. */
export class PointControl extends ControlElement<Point> {
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
      ${this.renderAxis('x', 'input')} ${this.renderAxis('y', 'y')}
      ${this.unit ? html`<span class="unit">${this.unit}</span>` : nothing}
    `;
  }

  private renderAxis(axis: 'x' | 'y', id: string) {
    return html`
      <span class="unit">${axis}</span>
      <input
        id=${id}
        type="number"
        aria-label=${`${this.label} ${axis}`}
        data-axis=${axis}
        min=${this.min ?? nothing}
        max=${this.max ?? nothing}
        step=${this.step ?? 'any'}
        ?disabled=${this.disabled}
        .value=${this.bindText(id, numberText(this.shown?.[axis]))}
        @input=${this.onInput}
      />
    `;
  }

  private onInput(e: Event): void {
    const target = e.target as HTMLInputElement;
    const axis = target.dataset.axis === 'y' ? 'y' : 'x';
    const current = this.shown ?? { x: 0, y: 0 };
    this.input({ ...current, [axis]: target.valueAsNumber });
  }
}

define('ts-point-control', PointControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-point-control': PointControl;
  }
}
