import { css, html, type PropertyDeclarations } from 'lit';
import { ControlElement, define, pathChanged } from './base';

/** True when `file` matches one of the `accept` patterns (`image/png`, `image/*`, `.png`); empty accepts all. */
export function fileAccepted(file: File, accept: readonly string[]): boolean {
  if (accept.length === 0) return true;
  const name = file.name.toLowerCase();
  return accept.some((pattern) => {
    const p = pattern.trim().toLowerCase();
    if (p.startsWith('.')) return name.endsWith(p);
    if (p.endsWith('/*')) return file.type.startsWith(p.slice(0, -1));
    return file.type === p;
  });
}

/**
 * An asset: shows the current file and lets the user pick or drop a new one.
 * It does not upload; it emits `file-select` with the `File` and the editor
 * uploads it and then sets the property to the stored URL. "Clear" sets it to
 * the empty string (no asset).
 */
export class FileControl extends ControlElement<string> {
  static override properties: PropertyDeclarations = {
    accept: { attribute: false, hasChanged: pathChanged },
    dragging: { state: true },
  };

  static override styles = [
    ControlElement.styles,
    css`
      .drop {
        flex: 1;
        display: flex;
        align-items: center;
        gap: 0.35rem;
        padding: 0.25rem 0.4rem;
        border: 1px dashed #868e96;
        border-radius: 4px;
        min-width: 0;
      }
      .drop.dragging {
        border-color: #1c7ed6;
        background: rgb(28 126 214 / 10%);
      }
      .name {
        flex: 1;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      input[type='file'] {
        display: none;
      }
    `,
  ];

  /** MIME types or extensions offered by the picker and checked on drop. */
  accept: readonly string[] = [];
  protected dragging = false;

  protected override renderInput() {
    const url = this.shown ?? '';
    return html`
      <div
        class="drop ${this.dragging ? 'dragging' : ''}"
        @dragover=${this.onDragOver}
        @dragleave=${this.onDragLeave}
        @drop=${this.onDrop}
      >
        <span class="name" title=${url || 'Drop a file here or choose one'}
          >${url ? fileName(url) : 'None'}</span
        >
        <input
          id="input"
          type="file"
          accept=${this.accept.join(',')}
          ?disabled=${this.disabled}
          @change=${this.onPick}
        />
        <button type="button" ?disabled=${this.disabled} @click=${this.openPicker}>Choose…</button>
        <button type="button" ?disabled=${this.disabled || url === ''} @click=${this.clear}>Clear</button>
      </div>
    `;
  }

  private openPicker(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#input')?.click();
  }

  private clear(): void {
    this.input('');
    this.endEdit();
  }

  private onPick(e: Event): void {
    const picker = e.target as HTMLInputElement;
    const file = picker.files?.[0];
    if (file) this.select(file);
    // Reset so choosing the same file again still fires `change`.
    picker.value = '';
  }

  private onDragOver(e: DragEvent): void {
    if (this.disabled || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  private onDragLeave(): void {
    this.dragging = false;
  }

  private onDrop(e: DragEvent): void {
    this.dragging = false;
    const file = e.dataTransfer?.files[0];
    if (this.disabled || !file) return;
    e.preventDefault();
    this.select(file);
  }

  private select(file: File): void {
    if (!fileAccepted(file, this.accept)) {
      this.error = `${file.name} is not one of the accepted types (${this.accept.join(', ')})`;
      return;
    }
    this.error = undefined;
    this.emit('file-select', { path: this.path, file });
  }
}

/** The last path segment of a URL, for display. */
function fileName(url: string): string {
  const path = url.split(/[?#]/)[0] ?? url;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
}

define('ts-file-control', FileControl);

declare global {
  interface HTMLElementTagNameMap {
    'ts-file-control': FileControl;
  }
}
