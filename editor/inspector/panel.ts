import { css, html, LitElement, nothing, type CSSResultGroup, type PropertyDeclarations } from 'lit';
import '../controls';
import { ControlElement, type EditEvent, type ValueInputEvent } from '../controls';
import type { PropertySink } from './sink';

/**
 * The base of the generated inspector panels (`editor/generated/panels/`).
 * A generated panel only renders its controls; this class owns the wiring:
 * it hears `value-input` / `edit-start` / `edit-end` from any control inside
 * it and forwards them to `sink` with the control's path, and when the sink
 * refuses a value it shows the reason on that control.
 *
 * Set `values` to the plugin's group of `StageProps` (scene plugins) or to one
 * member's props (collections, together with `memberId`). Nothing renders
 * until `values` (and, for collections, `memberId`) are set.
 */
export class InspectorPanel<P extends object = Record<string, unknown>> extends LitElement {
  static override properties: PropertyDeclarations = {
    values: { attribute: false },
    memberId: { attribute: 'member-id' },
    sink: { attribute: false },
    hideHeading: { type: Boolean, attribute: 'hide-heading' },
  };

  static override styles: CSSResultGroup = css`
    :host {
      display: block;
    }
    h3 {
      margin: 0 0 0.4rem;
      font-size: 1em;
    }
    fieldset {
      margin: 0.4rem 0 0;
      padding: 0.2rem 0.5rem 0.4rem;
      border: 1px solid rgb(128 128 128 / 35%);
      border-radius: 4px;
    }
    legend {
      font-size: 0.9em;
      opacity: 0.8;
    }
  `;

  /** Plugin name in the schema registry (set by each generated panel). */
  static readonly plugin: string = '';
  /** Panel title (the plugin's label). */
  static readonly heading: string = '';
  /** `collection` panels edit one member and need `memberId`. */
  static readonly attachTo: 'scene' | 'collection' = 'scene';

  values?: P;
  /** Collections: the id of the member being edited; part of every path. */
  memberId = '';
  sink?: PropertySink;
  /** Leaves out the panel's own title, for hosts that already show it (a `<details>` summary). */
  hideHeading = false;

  override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    // Listening inside the shadow root, `event.target` is the control itself.
    root.addEventListener('value-input', (e) => this.onValueInput(e as ValueInputEvent));
    root.addEventListener('edit-start', (e) => this.sink?.beginEdit([...(e as EditEvent).detail.path]));
    root.addEventListener('edit-end', (e) => this.sink?.endEdit([...(e as EditEvent).detail.path]));
    return root;
  }

  override render(): unknown {
    const self = this.constructor as typeof InspectorPanel;
    if (!this.values || (self.attachTo === 'collection' && !this.memberId)) return nothing;
    return html`${this.hideHeading ? nothing : html`<h3>${self.heading}</h3>`}
    ${this.renderControls(this.values)}`;
  }

  /** The panel's controls; generated panels override this. */
  protected renderControls(_values: P): unknown {
    return nothing;
  }

  private onValueInput(e: ValueInputEvent): void {
    const { path, value } = e.detail;
    const result = this.sink
      ? this.sink.queuePropertyUpdate([...path], value)
      : { ok: false, reason: 'This panel is not connected to a scene.' };
    if (e.target instanceof ControlElement)
      e.target.error = result.ok ? undefined : besideControl(result.reason, path);
  }
}

/** The refusal as shown beside the control: the control already says which property, so drop a leading path. */
function besideControl(reason: string | undefined, path: readonly string[]): string {
  if (!reason) return 'The value was not accepted.';
  const prefix = `${path.join('.')}: `;
  return reason.startsWith(prefix) ? reason.slice(prefix.length) : reason;
}
