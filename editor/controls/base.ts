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

/**
 * How long typing must pause before a typed value is committed (written to
 * the document), so what the GM typed survives a reload without Enter or blur.
 */
export const TYPING_COMMIT_MS = 600;

/** A typed value made acceptable: the value to commit and, when it differs from what was typed, why. */
export interface Settled<V> {
  readonly value: V;
  /** Shown under the field, e.g. "Set to 1024, the maximum." */
  readonly note?: string;
}

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
    note: { state: true },
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
    .error,
    .note {
      margin: 0.1rem 0 0.3rem;
      font-size: 0.85em;
    }
    .error {
      color: #c92a2a;
    }
    .note {
      opacity: 0.8;
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
  /** Why the committed value differs from what was typed (it was clamped); cleared by the next input. */
  protected note?: string;

  protected focused = false;
  /** What the user has entered since focusing; only shown while focused. */
  protected draft?: V;
  /** The id of the input that has focus; its value binding is left alone. */
  private activeInput: string | undefined;
  private editing = false;
  /** Set for one render (after `path` changed, or a typed value was clamped): the focused input is rewritten too. */
  private rewriteFocused = false;
  /** Typing not yet committed: how to settle it, and the timer that commits it after a pause. */
  private typing?: { settle: () => Settled<V> | undefined; timer: ReturnType<typeof setTimeout> };

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
    root.addEventListener('change', () => {
      // Enter (or a spinner) commits what was typed, clamped, not the last in-range keystroke.
      this.commitTyping();
      this.endEdit();
    });
    return root;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.commitTyping();
    this.endEdit();
    this.focused = false;
    this.activeInput = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The panel pointed this control at another property (another marker):
    // close the old edit and drop a draft that belonged to the old one.
    // What was typed for the old one is committed to the old one, not dropped.
    if (changed.has('path') && changed.get('path') !== undefined) {
      const old = changed.get('path') as PropertyPath;
      this.commitTyping(old);
      if (this.editing) this.emit('edit-end', { path: old });
      this.editing = false;
      this.draft = this.value;
      this.error = undefined;
      this.note = undefined;
      this.rewriteFocused = true;
    }
  }

  protected override updated(): void {
    this.rewriteFocused = false;
  }

  override render(): unknown {
    return html`
      <div class="row">
        <label for="input" title=${this.description || nothing}>${this.label}</label>
        <div class="field">${this.renderInput()}</div>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.note ? html`<p class="note" role="status">${this.note}</p>` : nothing}
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
    return this.activeInput === inputId && !this.rewriteFocused ? noChange : live(text);
  }

  /** Like `bindText`, for a checkbox's or option's boolean property. */
  protected bindFlag(inputId: string, flag: boolean): unknown {
    return this.activeInput === inputId && !this.rewriteFocused ? noChange : live(flag);
  }

  /** Reports a new value from the user: starts an edit if needed, keeps it as the draft, emits `value-input`. */
  protected input(value: V): void {
    this.beginEdit();
    this.draft = value;
    this.note = undefined;
    this.emit('value-input', { path: this.path, value });
  }

  /**
   * Reports a keystroke in a typed field. A value `settle` accepts as is
   * previews at once; one it would change (out of range, unfinished) is kept
   * as the draft only, so a half-typed `999…` is never sent and refused. After
   * a pause of {@link TYPING_COMMIT_MS}, or on Enter or blur, the settled value
   * is committed: the edit ends, which writes it to the document.
   */
  protected typed(draft: V, settle: () => Settled<V> | undefined): void {
    const now = settle();
    if (now && now.note === undefined) this.input(now.value);
    else {
      this.beginEdit();
      this.draft = draft;
      this.note = undefined;
      this.requestUpdate();
    }
    if (this.typing) clearTimeout(this.typing.timer);
    const timer = setTimeout(() => {
      this.commitTyping();
      this.endEdit();
    }, TYPING_COMMIT_MS);
    this.typing = { settle, timer };
  }

  /** Sends the settled value of pending typing (clamped, with its note) to `path`; no-op without any. */
  private commitTyping(path: PropertyPath = this.path): void {
    const typing = this.typing;
    if (!typing) return;
    clearTimeout(typing.timer);
    this.typing = undefined;
    const settled = typing.settle();
    if (!settled || settled.note === undefined) return; // already previewed as typed, or nothing usable
    this.draft = settled.value;
    this.emit('value-input', { path, value: settled.value });
    this.note = settled.note;
    // The field still shows the raw text; show the value that was committed.
    this.rewriteFocused = true;
    this.requestUpdate();
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
    this.commitTyping();
    this.activeInput = undefined;
    this.focused = false;
    // The field now shows the stored value, which is valid: a refusal of a draft no longer applies.
    this.error = undefined;
    this.endEdit();
  }
}

/**
 * Settles a typed number into `[min, max]`: out-of-range values are clamped
 * with a note saying so; an unfinished entry (NaN) settles to nothing.
 */
export function settleNumber(
  n: number,
  min: number | undefined,
  max: number | undefined,
): Settled<number> | undefined {
  if (Number.isNaN(n)) return undefined;
  if (min !== undefined && n < min) return { value: min, note: `Set to ${min}, the minimum.` };
  if (max !== undefined && n > max) return { value: max, note: `Set to ${max}, the maximum.` };
  return { value: n };
}

/** Formats a number for an input; NaN (an unfinished entry) shows as empty. */
export function numberText(n: number | undefined): string {
  return n === undefined || Number.isNaN(n) ? '' : String(n);
}
