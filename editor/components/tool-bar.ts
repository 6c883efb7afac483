import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { StageProps } from '../../engine/generated/stageProps';
import { ACTIONS, TOOLS } from '../state/plugins';
import { sharedStyles } from './styles';

/** Editor commands the toolbar (and keyboard shortcuts) trigger; the page carries them out. */
export type EditorCommand = 'undo' | 'redo' | 'fit' | 'help' | 'upload';

/**
 * The GM editor's toolbar: one button per tool the registered plugins
 * ship, undo / redo, fit to screen, map upload and the shortcuts panel.
 * Plugins' one-shot actions follow the tools.
 * Emits `tool-change` (detail: tool id), `command` (detail: EditorCommand)
 * and `plugin-action` (detail: action id).
 */
export class ToolBar extends LitElement {
  static override properties: PropertyDeclarations = {
    tool: {},
    props: { attribute: false },
    canUndo: { type: Boolean, attribute: 'can-undo' },
    canRedo: { type: Boolean, attribute: 'can-redo' },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        gap: 0.25rem;
        align-items: center;
        flex-wrap: wrap;
      }
      .sep {
        width: 1px;
        align-self: stretch;
        background: var(--ts-border);
        margin: 0 0.25rem;
      }
      kbd {
        opacity: 0.6;
        font-size: 0.8em;
        margin-left: 0.25rem;
      }
    `,
  ];

  /** The active tool's id. */
  tool = '';
  /** The scene's props, for the state of toggle actions. */
  props?: StageProps;
  canUndo = false;
  canRedo = false;

  override render() {
    return html`
      ${TOOLS.map(
        (t) =>
          html`<button
            data-tool=${t.id}
            aria-pressed=${String(this.tool === t.id)}
            title=${t.hint}
            @click=${() => this.emit('tool-change', t.id)}
          >
            ${t.label}${t.key ? html`<kbd>${t.key.toUpperCase()}</kbd>` : ''}
          </button>`,
      )}
      <span class="sep"></span>
      ${ACTIONS.map(
        (a) =>
          html`<button
            data-plugin-action=${a.id}
            aria-pressed=${
              a.definition.pressed && this.props ? String(a.definition.pressed(this.props)) : nothing
            }
            title=${a.hint}
            @click=${() => this.emit('plugin-action', a.id)}
          >
            ${a.label}
          </button>`,
      )}
      ${ACTIONS.length ? html`<span class="sep"></span>` : ''}
      <button
        data-command="undo"
        ?disabled=${!this.canUndo}
        title="Undo (Ctrl/Cmd+Z)"
        @click=${() => this.emit('command', 'undo')}
      >
        Undo
      </button>
      <button
        data-command="redo"
        ?disabled=${!this.canRedo}
        title="Redo (Shift+Ctrl/Cmd+Z)"
        @click=${() => this.emit('command', 'redo')}
      >
        Redo
      </button>
      <button
        data-command="fit"
        title="Fit the scene to the screen (F)"
        @click=${() => this.emit('command', 'fit')}
      >
        Fit
      </button>
      <button data-command="upload" title="Upload a map image" @click=${() => this.emit('command', 'upload')}>
        Upload map…
      </button>
      <button data-command="help" title="Keyboard shortcuts (?)" @click=${() => this.emit('command', 'help')}>
        ?
      </button>
    `;
  }

  private emit(type: 'tool-change' | 'command' | 'plugin-action', detail: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('ts-tool-bar')) customElements.define('ts-tool-bar', ToolBar);

declare global {
  interface HTMLElementTagNameMap {
    'ts-tool-bar': ToolBar;
  }
}
