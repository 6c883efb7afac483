import { css, html, LitElement, type PropertyDeclarations } from 'lit';
import type { HoldView } from '../../engine/sync';
import { sharedStyles } from './styles';

/** What the banner's buttons ask for: publish everything, one plugin's edits, or resume live. */
export type BackstageRequest = { op: 'publish'; plugin?: string } | { op: 'resume' };

/**
 * Shown to every GM while the TV is held (backstage mode): who holds it and
 * since when players' view was last published in full, with "Publish"
 * (everything), one "Publish <plugin>" per plugin with unpublished edits,
 * and "Resume live". Emits `backstage` (detail: {@link BackstageRequest}).
 */
export class BackstageBanner extends LitElement {
  static override properties: PropertyDeclarations = {
    hold: { attribute: false },
    labels: { attribute: false },
    busy: { type: Boolean },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        padding: 0.4rem 0.75rem;
        background: #3b2a5c;
        border-bottom: 1px solid #8a6fd1;
      }
      span {
        flex: 1;
        min-width: 16rem;
      }
    `,
  ];

  hold: HoldView | undefined;
  /** Plugin schema name → its label, for the per-plugin publish buttons. */
  labels: ReadonlyMap<string, string> = new Map();
  busy = false;

  private ask(request: BackstageRequest): void {
    this.dispatchEvent(new CustomEvent('backstage', { detail: request }));
  }

  override render() {
    const hold = this.hold;
    if (!hold) return html``;
    const time = new Date(hold.since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return html`<span role="status"
        ><strong>Holding</strong> — players see the state of ${time} · held by ${hold.by}</span
      >
      <button
        class="primary"
        data-action="publish"
        ?disabled=${this.busy}
        @click=${() => this.ask({ op: 'publish' })}
      >
        Publish
      </button>
      ${hold.pending.map(
        (name) =>
          html`<button
            data-plugin=${name}
            ?disabled=${this.busy}
            @click=${() => this.ask({ op: 'publish', plugin: name })}
          >
            Publish ${this.labels.get(name) ?? name}
          </button>`,
      )}
      <button data-action="resume" ?disabled=${this.busy} @click=${() => this.ask({ op: 'resume' })}>
        Resume live
      </button>`;
  }
}

if (!customElements.get('ts-backstage-banner')) customElements.define('ts-backstage-banner', BackstageBanner);

declare global {
  interface HTMLElementTagNameMap {
    'ts-backstage-banner': BackstageBanner;
  }
}
