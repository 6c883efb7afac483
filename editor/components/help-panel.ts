import { css, html, LitElement } from 'lit';
import { PLUGINS, TOOLS } from '../state/plugins';
import { sharedStyles } from './styles';

/**
 * The editor's keyboard shortcuts, as the help panel lists them: the tools'
 * keys, the editor's own keys, then the lines each plugin adds (`help`).
 */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  ...TOOLS.filter((t) => t.key).map((t) => ({ keys: t.key.toUpperCase(), does: `${t.label} tool` })),
  { keys: 'Ctrl/Cmd+Z', does: 'Undo your last change' },
  { keys: 'Shift+Ctrl/Cmd+Z, Ctrl+Y', does: 'Redo' },
  { keys: 'Escape', does: 'Deselect, cancel a drag, close this panel' },
  { keys: 'F', does: 'Fit the scene to the screen' },
  { keys: '[ / ]', does: 'Rotate your view left / right' },
  { keys: '+ / -', does: 'Zoom your view in / out' },
  { keys: 'Wheel', does: 'Zoom at the pointer (Shift: rotate)' },
  { keys: 'Right or middle drag', does: 'Pan your view' },
  { keys: '?', does: 'Show or hide this panel' },
  ...PLUGINS.flatMap((r) => r.help ?? []),
];

/** The keyboard shortcuts panel; emits `close`. */
export class HelpPanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        position: absolute;
        right: 1rem;
        top: 3.5rem;
        z-index: 10;
        background: var(--ts-panel);
        border: 1px solid var(--ts-border);
        border-radius: 6px;
        padding: 0.75rem 1rem;
        box-shadow: 0 6px 24px rgb(0 0 0 / 50%);
        max-width: 26rem;
      }
      table {
        border-collapse: collapse;
      }
      td {
        padding: 0.15rem 0.5rem;
        vertical-align: top;
      }
      td:first-child {
        white-space: nowrap;
        font-family: ui-monospace, monospace;
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: center;
      }
      h2 {
        margin: 0 0 0.5rem;
      }
    `,
  ];

  override render() {
    return html`<header>
        <h2>Keyboard shortcuts</h2>
        <button aria-label="Close" @click=${() => this.dispatchEvent(new CustomEvent('close'))}>×</button>
      </header>
      <table>
        ${SHORTCUTS.map(
          (s) =>
            html`<tr>
              <td>${s.keys}</td>
              <td>${s.does}</td>
            </tr>`,
        )}
      </table>`;
  }
}

if (!customElements.get('ts-help-panel')) customElements.define('ts-help-panel', HelpPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ts-help-panel': HelpPanel;
  }
}
