import type { ApiClient, PartyLinks } from '../http';
import { tokenStore } from '../http';
import type { LinkAction } from '../components/link-menu';

/** Clipboard API where allowed (secure contexts), a prompt the person can copy from otherwise. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  prompt('Copy this link:', text);
}

/** What a link action did, for the status line; `gmReplaced` means the page must reconnect with the new GM token. */
export interface LinkActionResult {
  readonly message: string;
  readonly gmReplaced: boolean;
}

/**
 * Carries out a link-menu action for `partyId` with the GM's API client:
 * copies a current link (absolute, for another device) or replaces one.
 * New tokens are remembered in this browser, so its own pages keep working.
 * Never rejects.
 */
export async function runLinkAction(
  api: ApiClient,
  partyId: string,
  partyName: string,
  action: LinkAction,
): Promise<LinkActionResult> {
  const absolute = (path: string) => `${location.origin}${path}`;
  try {
    let links: PartyLinks;
    if (action === 'new-player' || action === 'new-gm') {
      links = await api.rotateLink(partyId, action === 'new-gm' ? 'gm' : 'player');
      tokenStore.remember(links.tokens.gm);
      tokenStore.remember(links.tokens.player);
      await copyText(absolute(action === 'new-gm' ? links.links.gm : links.links.player));
      return {
        message:
          action === 'new-gm'
            ? 'New GM link copied; the old one no longer works.'
            : 'New player link copied; the old one no longer works.',
        gmReplaced: action === 'new-gm',
      };
    }
    links = await api.partyLinks(partyId);
    tokenStore.remember(links.tokens.player);
    if (action === 'copy-player') {
      await copyText(absolute(links.links.player));
      return { message: 'Player link copied.', gmReplaced: false };
    }
    if (action === 'invite-gm') {
      await copyText(`Join me as a game master of “${partyName}” in Tablestage: ${absolute(links.links.gm)}`);
      return { message: 'Co-GM invitation copied.', gmReplaced: false };
    }
    await copyText(absolute(links.links.gm));
    return { message: 'GM link copied.', gmReplaced: false };
  } catch (e) {
    return { message: `Links: ${(e as Error).message}`, gmReplaced: false };
  }
}
