import { css, html, LitElement, type PropertyDeclarations } from 'lit';

/**
 * Wraps the viewport: dropping a file on it emits `file-drop` (detail: the
 * File) and shows a hint while a file is dragged over. `open()` shows the
 * file picker for the same purpose; `accept` limits what it offers.
 */
export class UploadDrop extends LitElement {
  static override properties: PropertyDeclarations = {
    accept: {},
    over: { state: true },
  };

  static override styles = css`
    :host {
      position: relative;
      display: block;
    }
    .hint {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      background: rgb(24 100 171 / 45%);
      border: 3px dashed #fff;
      font-size: 1.3rem;
      pointer-events: none;
      z-index: 5;
    }
    input {
      display: none;
    }
    ::slotted(*) {
      width: 100%;
      height: 100%;
    }
  `;

  accept = 'image/*';
  protected over = false;

  override render() {
    return html`<slot></slot>
      ${this.over ? html`<div class="hint">Drop to use as the map</div>` : ''}
      <input type="file" accept=${this.accept} @change=${this.onPick} />`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('dragover', this.onOver);
    this.addEventListener('dragleave', this.onLeave);
    this.addEventListener('drop', this.onDrop);
  }

  /** Opens the file picker. */
  open(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.click();
  }

  private onOver = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.over = true;
  };

  private onLeave = (): void => {
    this.over = false;
  };

  private onDrop = (e: DragEvent): void => {
    const file = e.dataTransfer?.files[0];
    this.over = false;
    if (!file) return;
    e.preventDefault();
    this.emit(file);
  };

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.emit(file);
  }

  private emit(file: File): void {
    this.dispatchEvent(new CustomEvent('file-drop', { detail: file, bubbles: true, composed: true }));
  }
}

if (!customElements.get('ts-upload-drop')) customElements.define('ts-upload-drop', UploadDrop);

declare global {
  interface HTMLElementTagNameMap {
    'ts-upload-drop': UploadDrop;
  }
}
