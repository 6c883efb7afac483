import {
  css,
  html,
  LitElement,
  noChange,
  nothing,
  type CSSResultGroup,
  type PropertyDeclarations,
  type PropertyValues,
} from 'lit';
import { live } from 'lit/directives/live.js';
import type { PropertyPath } from './events';

/** True when two paths differ; paths are fresh arrays on every panel render, so compare by content. */
export function pathChanged(a: PropertyPath | undefined, b: PropertyPath | undefined): boolean {
  return (a ?? []).join('\u0000') !== (b ?? []).join('\u0000');
}

/** Defines a custom element once; a second import of the same module (tests, HMR) is harmless. */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

/**
 * The base of every inspector control: label, error line, the edit protocol
 * and focus protection.
 *
 * Edit protocol: `edit-start` when the user focuses or presses on the control,
 * `value-input` for every change while dragging or typing, `edit-end` on
 * change, pointer release or when focus leaves. Starts and ends always pair.
 *
 * Focus protection: while any input inside the control has focus the control
 * shows the user's own draft, not `value`, so a remote update cannot yank the
 * text out from under the caret; when focus leaves it shows `value` again. The
 * input being typed in is never rewritten while focused (its raw text may be
 * an unfinished number such as `-` or `0.`).
 */
export abstract class ControlElement<V> extends LitElement {
  static override properties: PropertyDeclarations = {
    path: { attribute: false, hasChanged: pathChanged },
    label: {},
    description: {},
    value: { attribute: false },
    error: {},
    disabled: { type: Boolean, reflect: true },
    focused: { state: true },
  };

  static override styles: CSSResultGroup = css`
    :host {
      display: block;
      font: inherit;
    }
    :host([hidden]) {
      display: none;
    }
    .row {
      display: grid;
      grid-template-columns: minmax(6rem, 2fr) 5fr;
      align-items: center;
      gap: 0.5rem;
      padding: 0.15rem 0;
    }
    .field {
      display: flex;
      align-items: center;
      gap: 0.35rem;
      min-width: 0;
    }
    input,
    select,
    textarea {
      font: inherit;
      min-width: 0;
    }
    input[type='number'] {
      width: 5.5rem;
    }
    input[type='range'],
    input[type='text'],
    select,
    textarea {
      flex: 1;
    }
    .unit {
      opacity: 0.7;
    }
    .error {
      margin: 0.1rem 0 0.3rem;
      color: #c92a2a;
      font-size: 0.85em;
    }
  `;

  /** StageProps path of the property; travels in every event so one listener serves a whole panel. */
  path: PropertyPath = [];
  label = '';
  /** Tooltip for the label. */
  description = '';
  /** The current shared (or local) value. While focused the control shows its draft instead. */
  value?: V;
  /** Why the last value was refused; shown beside the control. */
  error?: string;
  disabled = false;

  protected focused = false;
  /** What the user has entered since focusing; only shown while focused. */
  protected draft?: V;
  /** The id of the input that has focus; its value binding is left alone. */
  private activeInput: string | undefined;
  private editing = false;
  /** Set for the one render after `path` changed: the focused input is rewritten too. */
  private repointed = false;

  /** What to show: the draft while focused, the value otherwise. */
  protected get shown(): V | undefined {
    return this.focused ? this.draft : this.value;
  }

  override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    // Listening inside the shadow root keeps relatedTarget un-retargeted, so
    // moving between this control's own inputs (x → y) is not a blur.
    root.addEventListener('focusin', (e) => this.onFocusIn(e as FocusEvent));
    root.addEventListener('focusout', (e) => this.onFocusOut(e as FocusEvent));
    root.addEventListener('pointerdown', (e) => {
      // Only presses on an input start an edit; a press on a label or unit would never see a matching end.
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) this.beginEdit();
    });
    root.addEventListener('change', () => this.endEdit());
    return root;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.endEdit();
    this.focused = false;
    this.activeInput = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The panel pointed this control at another property (another marker):
    // close the old edit and drop a draft that belonged to the old one.
    if (changed.has('path') && changed.get('path') !== undefined) {
      if (this.editing) this.emit('edit-end', { path: changed.get('path') as PropertyPath });
      this.editing = false;
      this.draft = this.value;
      this.error = undefined;
      this.repointed = true;
    }
  }

  protected override updated(): void {
    this.repointed = false;
  }

  override render(): unknown {
    return html`
      <div class="row">
        <label for="input" title=${this.description || nothing}>${this.label}</label>
        <div class="field">${this.renderInput()}</div>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    `;
  }

  /** The input(s) of this control; the primary one has id `input` so the label points at it. */
  protected abstract renderInput(): unknown;

  /**
   * Binds an input's `value`: untouched while that input has focus (unless the
   * control was just pointed at another property), otherwise forced to `text`
   * even if the DOM drifted (`live`).
   */
  protected bindText(inputId: string, text: string): unknown {
    return this.activeInput === inputId && !this.repointed ? noChange : live(text);
  }

  /** Like `bindText`, for a checkbox's or option's boolean property. */
  protected bindFlag(inputId: string, flag: boolean): unknown {
    return this.activeInput === inputId && !this.repointed ? noChange : live(flag);
  }

  /** Reports a new value from the user: starts an edit if needed, keeps it as the draft, emits `value-input`. */
  protected input(value: V): void {
    this.beginEdit();
    this.draft = value;
    this.emit('value-input', { path: this.path, value });
  }

  protected beginEdit(): void {
    if (this.editing) return;
    this.editing = true;
    this.emit('edit-start', { path: this.path });
  }

  protected endEdit(): void {
    if (!this.editing) return;
    this.editing = false;
    this.emit('edit-end', { path: this.path });
  }

  protected emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private onFocusIn(e: FocusEvent): void {
    const target = e.target;
    this.activeInput = target instanceof HTMLElement && target.id ? target.id : undefined;
    if (!this.focused) {
      this.draft = this.value;
      this.focused = true;
    }
    this.beginEdit();
    this.requestUpdate();
  }

  private onFocusOut(e: FocusEvent): void {
    const next = e.relatedTarget;
    if (next instanceof Node && this.renderRoot.contains(next)) return;
    this.activeInput = undefined;
    this.focused = false;
    this.endEdit();
  }
}

/** Formats a number for an input; NaN (an unfinished entry) shows as empty. */
export function numberText(n: number | undefined): string {
  return n === undefined || Number.isNaN(n) ? '' : String(n);
}
