import { css, html, LitElement } from 'lit';

/** What the GM asked the link menu for. */
export type LinkAction = 'copy-gm' | 'invite-gm' | 'copy-player' | 'new-player' | 'new-gm';

const ITEMS: ReadonlyArray<{ action: LinkAction; label: string; title: string }> = [
  { action: 'copy-gm', label: 'Copy GM link', title: 'Copy the game master link of this party' },
  { action: 'invite-gm', label: 'Invite a co-GM', title: 'Copy an invitation with the game master link' },
  { action: 'copy-player', label: 'Copy player link', title: 'Copy the link for the players and the TV' },
  {
    action: 'new-player',
    label: 'New player link',
    title: 'Replace the player link: the old one stops working and its open views close',
  },
  {
    action: 'new-gm',
    label: 'New GM link',
    title: 'Replace the game master link: the old one stops working for every GM who has it',
  },
];

/**
 * The GM editor's "Links" menu. It only asks (a `link-action` event); the
 * page holds the API client and the tokens. Replacing a link asks for
 * confirmation first, because it cuts off everyone using the old one.
 */
export class LinkMenu extends LitElement {
  static override styles = css`
    details {
      position: relative;
    }
    summary {
      cursor: pointer;
      list-style: none;
      padding: 0.25rem 0.5rem;
      border: 1px solid #555;
      border-radius: 4px;
    }
    .menu {
      position: absolute;
      right: 0;
      z-index: 10;
      display: grid;
      gap: 0.25rem;
      padding: 0.5rem;
      background: #222;
      border: 1px solid #555;
      border-radius: 4px;
      min-width: 12rem;
    }
    button {
      text-align: left;
    }
    hr {
      width: 100%;
      border: none;
      border-top: 1px solid #555;
    }
  `;

  override render() {
    return html`<details>
      <summary>Links</summary>
      <div class="menu" role="menu">
        ${ITEMS.map(
          (item, i) =>
            html`${i === 3 ? html`<hr />` : ''}<button
                role="menuitem"
                data-link-action=${item.action}
                title=${item.title}
                @click=${() => this.choose(item.action)}
              >
                ${item.label}
              </button>`,
        )}
      </div>
    </details>`;
  }

  private choose(action: LinkAction): void {
    if (
      action === 'new-player' &&
      !confirm('Replace the player link? Everyone using the old one is cut off.')
    )
      return;
    if (action === 'new-gm' && !confirm('Replace the GM link? Every GM using the old one is cut off.'))
      return;
    this.renderRoot.querySelector('details')?.removeAttribute('open');
    this.dispatchEvent(
      new CustomEvent<LinkAction>('link-action', { detail: action, bubbles: true, composed: true }),
    );
  }
}

if (!customElements.get('ts-link-menu')) customElements.define('ts-link-menu', LinkMenu);

declare global {
  interface HTMLElementTagNameMap {
    'ts-link-menu': LinkMenu;
  }
}
