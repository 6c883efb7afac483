import { SignJWT, jwtVerify, errors } from 'jose';

/** Who a token speaks for: a game master (edits) or a player (read-only, player view). */
export type Role = 'gm' | 'player';

/** What a token carries. `exp` is seconds since the epoch, as in JWT. */
export interface TokenClaims {
  readonly role: Role;
  readonly partyId: string;
  readonly userId?: string;
  readonly name?: string;
  readonly exp: number;
}

/** Why a token was refused, so callers can answer 401 with a useful message. */
export type TokenFailure = 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'invalid-claims';

export type VerifyResult =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: TokenFailure; readonly message: string };

/** A token lives 30 days unless the caller says otherwise: links are shared with players before a game night. */
export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

const ALG = 'HS256';
const ISSUER = 'tablestage';

function keyOf(secret: string): Uint8Array {
  if (typeof secret !== 'string' || secret.length < 16)
    throw new Error('token secret must be a string of at least 16 characters');
  return new TextEncoder().encode(secret);
}

/**
 * Signs a token (JWT, HS256) for `claims`, valid for `ttlSeconds`. Uses only
 * Web Crypto through jose, so it runs in Node and in workerd (PartyKit).
 */
export async function signToken(
  secret: string,
  claims: { role: Role; partyId: string; userId?: string; name?: string },
  ttlSeconds: number = DEFAULT_TOKEN_TTL_SECONDS,
): Promise<string> {
  if (claims.role !== 'gm' && claims.role !== 'player')
    throw new Error(`unknown role ${String(claims.role)}`);
  if (typeof claims.partyId !== 'string' || claims.partyId === '') throw new Error('partyId is required');
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0)
    throw new Error('ttlSeconds must be a positive number');
  const payload: Record<string, string> = { role: claims.role, partyId: claims.partyId };
  if (claims.userId !== undefined) payload.userId = claims.userId;
  if (claims.name !== undefined) payload.name = claims.name;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + Math.ceil(ttlSeconds))
    .sign(keyOf(secret));
}

/**
 * Verifies a token and returns its claims, or why it was refused: `missing`
 * (no token), `malformed` (not a JWT), `bad-signature` (signed with another
 * secret or tampered with), `expired`, `invalid-claims` (a valid JWT that is
 * not one of ours). Never throws for bad input.
 */
export async function verifyToken(secret: string, token: string | null | undefined): Promise<VerifyResult> {
  if (token === undefined || token === null || token === '')
    return { ok: false, reason: 'missing', message: 'no token given' };
  if (typeof token !== 'string' || token.split('.').length !== 3)
    return { ok: false, reason: 'malformed', message: 'the token is not a JWT' };
  const key = keyOf(secret);
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: [ALG], issuer: ISSUER });
    const { role, partyId, userId, name, exp } = payload as Record<string, unknown>;
    if ((role !== 'gm' && role !== 'player') || typeof partyId !== 'string' || typeof exp !== 'number')
      return { ok: false, reason: 'invalid-claims', message: 'the token lacks a role, party or expiry' };
    const claims: TokenClaims = {
      role,
      partyId,
      exp,
      ...(typeof userId === 'string' ? { userId } : {}),
      ...(typeof name === 'string' ? { name } : {}),
    };
    return { ok: true, claims };
  } catch (e) {
    if (e instanceof errors.JWTExpired)
      return { ok: false, reason: 'expired', message: 'the token has expired' };
    if (e instanceof errors.JWSSignatureVerificationFailed)
      return { ok: false, reason: 'bad-signature', message: 'the token signature does not match' };
    if (e instanceof errors.JWTClaimValidationFailed)
      return { ok: false, reason: 'invalid-claims', message: `the token is not valid here: ${e.message}` };
    return { ok: false, reason: 'malformed', message: 'the token could not be read' };
  }
}
