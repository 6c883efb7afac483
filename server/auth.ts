import type { Context } from 'hono';
import { verifyToken, type Role, type TokenClaims } from '../engine/auth';
import { HttpError } from './errors';

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
  secret: string,
  partyId: string,
  roles: readonly Role[],
): Promise<TokenClaims> {
  const claims = await authenticate(c, secret);
  if (claims.partyId !== partyId) throw new HttpError(403, 'this token is for another party');
  if (!roles.includes(claims.role))
    throw new HttpError(403, `a ${roles.join(' or ')} token is needed; this is a ${claims.role} token`);
  return claims;
}

/** Verifies the request's token without tying it to a party (uploads, party lists). */
export async function authenticate(c: Context, secret: string): Promise<TokenClaims> {
  const result = await verifyToken(secret, tokenOf(c));
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
