import { css, html, nothing, type CSSResultGroup, type PropertyDeclarations } from 'lit';
import type { Point } from '../../engine/schema';
import { ControlElement, define, numberText, settleNumber, type Settled } from './base';

/** A 2D point as an x/y pair of number fields sharing one range and unit. */
export class PointControl extends ControlElement<Point> {
  static override properties: PropertyDeclarations = {
    min: { type: Number },
    max: { type: Number },
    step: { type: Number },
    unit: {},
  };

  // Two fields share the row: neither may shrink below a four-digit value (map coordinates run to thousands).
  static override styles: CSSResultGroup = [
    ControlElement.styles,
    css`
      .field {
        flex-wrap: wrap;
      }
      input[type='number'] {
        flex: 1 1 5rem;
        min-width: 5rem;
      }
    `,
  ];

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
    const draft = { ...current, [axis]: target.valueAsNumber };
    this.typed(draft, () => this.settle(draft));
  }

  /** Both axes clamped to the shared range; the note names the axis that was changed. */
  private settle(draft: Point): Settled<Point> | undefined {
    const x = settleNumber(draft.x, this.min, this.max);
    const y = settleNumber(draft.y, this.min, this.max);
    if (!x || !y) return undefined;
    const note = [x.note && `x: ${x.note}`, y.note && `y: ${y.note}`].filter(Boolean).join(' ');
    return { value: { x: x.value, y: y.value }, ...(note ? { note } : {}) };
  }
}

define('ts-point-control', PointControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-point-control': PointControl;
  }
}
