import { signToken } from '../engine/auth';
import type { PartyRow } from '../engine/generated/tables';

/** The two links a party's GM hands out: the editor for GMs, the spectator display for players. */
export interface PartyLinks {
  readonly tokens: { readonly gm: string; readonly player: string };
  readonly links: { readonly gm: string; readonly player: string };
}

/**
 * Signs a GM and a player token for `party` and builds the links the editor
 * routes understand: `/gm/<partyId>/<gameSessionId>/<sceneId>?token=…` and
 * `/play/<partyId>?token=…`. The GM link opens the party's active scene.
 */
export async function partyLinks(secret: string, p: PartyRow, sceneId: string | null): Promise<PartyLinks> {
  const gm = await signToken(secret, { role: 'gm', partyId: p.id });
  const player = await signToken(secret, { role: 'player', partyId: p.id });
  // A scene id only means something after its game session's id.
  const tail = p.activeGameSessionId ? [p.activeGameSessionId, ...(sceneId ? [sceneId] : [])] : [];
  const gmPath = ['/gm', p.id, ...tail]
    .map((part, i) => (i === 0 ? part : encodeURIComponent(part)))
    .join('/');
  return {
    tokens: { gm, player },
    links: {
      gm: `${gmPath}?token=${encodeURIComponent(gm)}`,
      player: `/play/${encodeURIComponent(p.id)}?token=${encodeURIComponent(player)}`,
    },
  };
}
