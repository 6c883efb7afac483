import { css, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { registry } from '../../engine/generated/schemas';
import type { StageProps } from '../../engine/generated/stageProps';
import { defineCustomControls } from '../controls';
import { panels } from '../generated/panels';
import { PLUGINS } from '../state/plugins';
import type { PanelEntry, PropertySink } from '../inspector';
import type { MemberRef } from '../../engine/plugin';
import { sharedStyles } from './styles';

/** A panel of the generated list with its registry entry. */
interface MountedPanel {
  readonly entry: PanelEntry;
  readonly key: string;
  readonly label: string;
  readonly collection: boolean;
}

// Plugins' own controls: the generated panels render their tags, so define them with the inspector.
void defineCustomControls(PLUGINS);

/**
 * The generated panels in registry (inspector) order, each with its plugin's
 * StageProps key: nothing here knows which plugins exist.
 */
const MOUNTED: readonly MountedPanel[] = panels
  .map((entry) => ({ entry, info: registry.plugin(entry.plugin) }))
  .filter((p) => p.info !== undefined)
  .sort((a, b) => a.info!.order - b.info!.order)
  .map(({ entry, info }) => ({
    entry,
    key: info!.key,
    label: info!.label,
    collection: info!.attachTo === 'collection',
  }));

/**
 * The inspector: one section per scene plugin panel, then the
 * panel of the selected collection member (e.g. a marker) with a delete
 * button. Every edit reaches `sink` (the session store), never a document.
 */
export class InspectorColumn extends LitElement {
  static override properties: PropertyDeclarations = {
    props: { attribute: false },
    sink: { attribute: false },
    selection: { attribute: false },
    readonly: { type: Boolean },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        overflow-y: auto;
        padding: 0 0.75rem 1rem;
      }
      section {
        border-bottom: 1px solid var(--ts-border);
        padding: 0.5rem 0;
      }
      .member {
        margin-top: 0.75rem;
        padding: 0.5rem;
        border: 1px solid var(--ts-accent);
        border-radius: 6px;
      }
      .member header {
        display: flex;
        justify-content: flex-end;
      }
      h2,
      .member header button {
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .empty {
        opacity: 0.7;
        font-size: 0.9em;
      }
    `,
  ];

  props?: StageProps;
  sink?: PropertySink;
  selection?: MemberRef;
  readonly = false;

  protected override updated(changed: PropertyValues<this>): void {
    // A new selection is shown at the top; bring it into view even if the GM had scrolled down the scene panels.
    const before = changed.get('selection');
    if (
      changed.has('selection') &&
      this.selection &&
      (before?.id !== this.selection.id || before.collection !== this.selection.collection)
    )
      this.scrollTop = 0;
  }

  override render() {
    const props = this.props as unknown as Record<string, Record<string, unknown>> | undefined;
    if (!props) return nothing;
    const sel = this.selection;
    const member = sel ? props[sel.collection]?.[sel.id] : undefined;
    const memberPanel = sel ? MOUNTED.find((p) => p.collection && p.key === sel.collection) : undefined;
    return html`
      <h2>Inspector</h2>
      <!-- The selection comes first: selecting something shows its panel without scrolling. -->
      ${
        sel && member && memberPanel
          ? html`<div class="member" data-member=${sel.id} data-plugin=${memberPanel.entry.plugin}>
              ${staticHtml`<${unsafeStatic(memberPanel.entry.tag)} .values=${member} member-id=${sel.id} .sink=${this.sink}></${unsafeStatic(memberPanel.entry.tag)}>`}
              <header>
                <button
                  data-action="delete-member"
                  @click=${() => this.dispatchEvent(new CustomEvent('delete-member'))}
                >
                  Delete ${memberPanel.label.toLowerCase()}
                </button>
              </header>
            </div>`
          : html`<p class="empty">Click something on the map to edit it here.</p>`
      }
      ${MOUNTED.filter((p) => !p.collection).map(
        (p) =>
          html`<section data-plugin=${p.entry.plugin}>
            ${staticHtml`<${unsafeStatic(p.entry.tag)} .values=${props[p.key]} .sink=${this.sink}></${unsafeStatic(p.entry.tag)}>`}
          </section>`,
      )}
    `;
  }
}

if (!customElements.get('ts-inspector-column')) customElements.define('ts-inspector-column', InspectorColumn);

declare global {
  interface HTMLElementTagNameMap {
    'ts-inspector-column': InspectorColumn;
  }
}
