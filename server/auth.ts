import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import {
  isCurrentLink,
  verifyToken,
  type LinkVersions,
  type Role,
  type TokenClaims,
  type VerifyResult,
} from '../engine/auth';
import type { Queryable } from '../engine/db';
import { party } from '../engine/generated/tables';
import type { AppDeps } from './context';
import { HttpError } from './errors';

/** What checking a token needs: the signing secret and the database holding the link versions. */
export type AuthDeps = Pick<AppDeps, 'tokenSecret' | 'database'>;

/** The message of a 401 for a replaced link (the editor shows "this link was replaced" for it). */
export const LINK_REPLACED = 'this link was replaced by a newer one; ask the game master for the new link';

/** The link versions a party accepts now; undefined for an unknown party. */
export async function linkVersions(q: Queryable, partyId: string): Promise<LinkVersions | undefined> {
  const [row] = await q
    .select({ gm: party.gmLinkVersion, player: party.playerLinkVersion })
    .from(party)
    .where(eq(party.id, partyId));
  return row;
}

/**
 * Verifies a token's signature and that its link is current (not replaced,
 * its party still there). Never throws for bad input.
 */
export async function verifyCurrentToken(
  deps: AuthDeps,
  token: string | null | undefined,
): Promise<VerifyResult> {
  const result = await verifyToken(deps.tokenSecret, token);
  if (!result.ok) return result;
  const versions = await linkVersions(deps.database.db, result.claims.partyId);
  if (!versions)
    return { ok: false, reason: 'invalid-claims', message: 'the party of this link no longer exists' };
  if (!isCurrentLink(result.claims, versions))
    return { ok: false, reason: 'replaced', message: LINK_REPLACED };
  return result;
}

/**
 * The token of a request: `Authorization: Bearer <token>`, or `?token=` for
 * links a person opens in a browser (GM and player links carry it that way).
 */
export function tokenOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new HttpError(401, 'the Authorization header must be "Bearer <token>"');
    return m[1];
  }
  return c.req.query('token') || undefined;
}

/**
 * Checks that the request carries a valid token for `partyId` with one of
 * `roles`, and returns its claims. 401 when the token is missing or invalid,
 * 403 when it is valid but for another party or a role that may not do this.
 */
export async function authorize(
  c: Context,
  deps: AuthDeps,
  partyId: string,
  roles: readonly Role[],
): Promise<TokenClaims> {
  const claims = await authenticate(c, deps);
  if (claims.partyId !== partyId) throw new HttpError(403, 'this token is for another party');
  if (!roles.includes(claims.role))
    throw new HttpError(403, `a ${roles.join(' or ')} token is needed; this is a ${claims.role} token`);
  return claims;
}

/** Verifies the request's token (and that its link is current) without tying it to a party (uploads). */
export async function authenticate(c: Context, deps: AuthDeps): Promise<TokenClaims> {
  const result = await verifyCurrentToken(deps, tokenOf(c));
  if (!result.ok)
    throw new HttpError(
      401,
      result.reason === 'missing' ? 'a token is needed (Authorization: Bearer …)' : result.message,
    );
  return result.claims;
}

/**
 * Checks the shared secret the PartyKit rooms present on the internal API.
 * Compared in constant time so the secret cannot be guessed byte by byte.
 */
export function checkInternalSecret(c: Context, secret: string): void {
  const header = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m || !constantTimeEqual(m[1]!, secret))
    throw new HttpError(401, 'the internal API needs the internal secret');
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
