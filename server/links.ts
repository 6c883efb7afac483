import { asc } from 'drizzle-orm';
import { signToken, type Role } from '../engine/auth';
import type { Queryable } from '../engine/db';
import { party, type PartyRow } from '../engine/generated/tables';

/** The two links a party's GM hands out: the editor for GMs, the spectator display for players. */
export interface PartyLinks {
  readonly tokens: { readonly gm: string; readonly player: string };
  readonly links: { readonly gm: string; readonly player: string };
}

/** The column holding a role's link version (see engine/auth/tokens.ts `TokenClaims.version`). */
export const LINK_VERSION_COLUMN = {
  gm: 'gmLinkVersion',
  player: 'playerLinkVersion',
} as const satisfies Record<Role, keyof PartyRow>;

/**
 * Signs a GM and a player token for `party` at its current link versions and
 * builds the links the editor routes understand:
 * `/gm/<partyId>/<gameSessionId>/<sceneId>?token=…` and
 * `/play/<partyId>?token=…`. The GM link opens the party's active scene.
 * Tokens never expire; replacing a link (a new version) revokes the old one.
 */
export async function partyLinks(secret: string, p: PartyRow, sceneId: string | null): Promise<PartyLinks> {
  const gm = await signToken(secret, { role: 'gm', partyId: p.id, version: p.gmLinkVersion });
  const player = await signToken(secret, { role: 'player', partyId: p.id, version: p.playerLinkVersion });
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

/**
 * The current links of every party in the database, oldest party first
 * (what `npm start` prints, so a GM never loses the way into a campaign).
 */
export async function allPartyLinks(
  q: Queryable,
  secret: string,
): Promise<Array<{ readonly party: PartyRow } & PartyLinks>> {
  const rows = await q.select().from(party).orderBy(asc(party.createdAt));
  return Promise.all(
    rows.map(async (p) => ({ party: p, ...(await partyLinks(secret, p, p.activeSceneId)) })),
  );
}
