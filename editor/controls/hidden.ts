import { nothing } from 'lit';
import { ControlElement, define } from './base';

/**
 * The control of properties the inspector does not show (per-user viewport
 * state edited by tools). It exists so every control kind has an element.
 */
export class HiddenControl extends ControlElement<unknown> {
  override render(): unknown {
    return nothing;
  }

  protected override renderInput() {
    return nothing;
  }
}

define('ts-hidden-control', HiddenControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-hidden-control': HiddenControl;
  }
}
