import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { sharedStyles } from './styles';

/** A scene as the list shows it. */
export interface SceneItem {
  readonly id: string;
  readonly name: string;
  /** A picture of the scene (the editor makes it once edits settle), when there is one. */
  readonly thumbnail?: string;
}

/** Detail of the scene list's events. */
export interface SceneListDetail {
  readonly id: string;
  readonly name?: string;
  readonly index?: number;
}

/**
 * The GM's scene list, each scene with its thumbnail: select, add, rename (double-click or the ✎ button),
 * duplicate, delete (after a confirm), reorder by drag and drop, and "show to
 * players". It only emits events (`scene-select`, `scene-add`,
 * `scene-rename`, `scene-duplicate`, `scene-delete`, `scene-move`,
 * `scene-show`); the page applies them to the shared document.
 */
export class SceneList extends LitElement {
  static override properties: PropertyDeclarations = {
    scenes: { attribute: false },
    selected: {},
    active: {},
    editing: { state: true },
    dragging: { state: true },
    dropIndex: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: center;
      }
      ol {
        list-style: none;
        margin: 0.25rem 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem;
        padding: 0.2rem 0.25rem;
        border-radius: 4px;
        border-top: 2px solid transparent;
        cursor: grab;
      }
      li[aria-current='true'] {
        background: #1864ab55;
      }
      li.drop-before {
        border-top-color: var(--ts-accent);
      }
      .name {
        flex: 1;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        cursor: pointer;
      }
      .thumb {
        flex: none;
        width: 4rem;
        height: 2.5rem;
        border-radius: 3px;
        object-fit: cover;
        background: #0006;
        cursor: pointer;
      }
      .live {
        color: var(--ts-ok);
        font-size: 0.8em;
      }
      li button {
        padding: 0.05rem 0.35rem;
        font-size: 0.85em;
      }
      input {
        flex: 1;
        min-width: 0;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        width: 100%;
        padding: 0.2rem 0 0.1rem;
      }
    `,
  ];

  scenes: readonly SceneItem[] = [];
  selected = '';
  /** The scene players see. */
  active = '';
  protected editing = '';
  protected dragging = '';
  protected dropIndex = -1;

  override render() {
    return html`<header>
        <h2>Scenes</h2>
        <button data-action="add" title="Add a scene" @click=${() => this.emit('scene-add', { id: '' })}>
          + Add
        </button>
      </header>
      <ol @dragover=${this.onDragOverEnd} @drop=${this.onDrop}>
        ${this.scenes.map((s, i) => this.renderItem(s, i))}
      </ol>`;
  }

  private renderItem(s: SceneItem, index: number) {
    return html`<li
      data-scene=${s.id}
      aria-current=${String(s.id === this.selected)}
      class=${this.dropIndex === index && this.dragging ? 'drop-before' : ''}
      draggable=${this.editing === s.id ? 'false' : 'true'}
      @dragstart=${(e: DragEvent) => this.onDragStart(e, s.id)}
      @dragover=${(e: DragEvent) => this.onDragOver(e, index)}
      @dragend=${() => this.resetDrag()}
    >
      ${
        s.thumbnail
          ? html`<img
              class="thumb"
              src=${s.thumbnail}
              alt=""
              draggable="false"
              @click=${() => this.emit('scene-select', { id: s.id })}
            />`
          : html`<span
              class="thumb"
              aria-hidden="true"
              @click=${() => this.emit('scene-select', { id: s.id })}
            ></span>`
      }
      ${
        this.editing === s.id
          ? html`<input
              aria-label="Scene name"
              .value=${s.name}
              maxlength="200"
              @keydown=${(e: KeyboardEvent) => this.onRenameKey(e, s.id)}
              @blur=${(e: FocusEvent) => this.commitRename(s.id, (e.target as HTMLInputElement).value)}
            />`
          : html`<span
              class="name"
              title=${s.name}
              @click=${() => this.emit('scene-select', { id: s.id })}
              @dblclick=${() => this.startRename(s.id)}
              >${s.name}</span
            >`
      }
      ${s.id === this.active ? html`<span class="live" title="Players see this scene">● live</span>` : nothing}
      ${s.id === this.selected ? this.renderActions(s) : nothing}
    </li>`;
  }

  private renderActions(s: SceneItem) {
    return html`<div class="actions">
      <button
        data-action="show"
        title="Show this scene to players"
        ?disabled=${s.id === this.active}
        @click=${() => this.emit('scene-show', { id: s.id })}
      >
        Show to players
      </button>
      <button data-action="rename" title="Rename" @click=${() => this.startRename(s.id)}>Rename</button>
      <button
        data-action="duplicate"
        title="Duplicate"
        @click=${() => this.emit('scene-duplicate', { id: s.id })}
      >
        Duplicate
      </button>
      <button
        data-action="delete"
        title="Delete"
        ?disabled=${this.scenes.length <= 1}
        @click=${() => {
          if (confirm(`Delete the scene "${s.name}" with everything on it? This cannot be undone.`))
            this.emit('scene-delete', { id: s.id });
        }}
      >
        Delete
      </button>
    </div>`;
  }

  private startRename(id: string): void {
    this.editing = id;
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>('li input');
      input?.focus();
      input?.select();
    });
  }

  private onRenameKey(e: KeyboardEvent, id: string): void {
    e.stopPropagation();
    if (e.key === 'Enter') this.commitRename(id, (e.target as HTMLInputElement).value);
    if (e.key === 'Escape') this.editing = '';
  }

  private commitRename(id: string, value: string): void {
    if (this.editing !== id) return;
    this.editing = '';
    const name = value.trim();
    const current = this.scenes.find((s) => s.id === id)?.name;
    if (name && name !== current) this.emit('scene-rename', { id, name });
  }

  private onDragStart(e: DragEvent, id: string): void {
    this.dragging = id;
    e.dataTransfer?.setData('text/plain', id);
    if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
  }

  private onDragOver(e: DragEvent, index: number): void {
    if (!this.dragging) return;
    e.preventDefault();
    e.stopPropagation();
    const li = e.currentTarget as HTMLElement;
    const box = li.getBoundingClientRect();
    this.dropIndex = e.clientY > box.top + box.height / 2 ? index + 1 : index;
  }

  private onDragOverEnd(e: DragEvent): void {
    if (!this.dragging) return;
    e.preventDefault();
  }

  private onDrop(e: DragEvent): void {
    if (!this.dragging) return;
    e.preventDefault();
    const from = this.scenes.findIndex((s) => s.id === this.dragging);
    let to = this.dropIndex < 0 ? this.scenes.length : this.dropIndex;
    if (from >= 0 && from < to) to -= 1;
    if (from >= 0 && to !== from) this.emit('scene-move', { id: this.dragging, index: to });
    this.resetDrag();
  }

  private resetDrag(): void {
    this.dragging = '';
    this.dropIndex = -1;
  }

  private emit(type: string, detail: SceneListDetail): void {
    this.dispatchEvent(new CustomEvent<SceneListDetail>(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('ts-scene-list')) customElements.define('ts-scene-list', SceneList);

declare global {
  interface HTMLElementTagNameMap {
    'ts-scene-list': SceneList;
  }
}
