import { SignJWT, jwtVerify, errors } from 'jose';

/** Who a token speaks for: a game master (edits) or a player (read-only, player view). */
export type Role = 'gm' | 'player';

/**
 * What a token carries. `version` is the link version of its party and role
 * when it was signed: the app server and the rooms refuse a token whose
 * version is older than the party's (the link was replaced). `exp` (seconds
 * since the epoch, as in JWT) is absent from links, which live until revoked.
 */
export interface TokenClaims {
  readonly role: Role;
  readonly partyId: string;
  readonly userId?: string;
  readonly name?: string;
  readonly version: number;
  readonly exp?: number;
}

/** Why a token was refused, so callers can answer 401 with a useful message. */
export type TokenFailure =
  | 'missing'
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'invalid-claims'
  /** Signed by us, but its link has since been replaced (checked by callers that know the versions). */
  | 'replaced';

/** The link version a party currently accepts for `role` (see {@link TokenClaims.version}). */
export interface LinkVersions {
  readonly gm: number;
  readonly player: number;
}

/** True when a verified token is of its link's current version (not replaced). */
export function isCurrentLink(claims: TokenClaims, versions: LinkVersions): boolean {
  return claims.version >= versions[claims.role];
}

export type VerifyResult =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: TokenFailure; readonly message: string };

/**
 * Tokens signed before link versions existed carry none; they count as the
 * first version, so they keep working until their link is first replaced.
 */
export const FIRST_LINK_VERSION = 1;

const ALG = 'HS256';
const ISSUER = 'tablestage';

function keyOf(secret: string): Uint8Array {
  if (typeof secret !== 'string' || secret.length < 16)
    throw new Error('token secret must be a string of at least 16 characters');
  return new TextEncoder().encode(secret);
}

/**
 * Signs a token (JWT, HS256) for `claims`. Without `ttlSeconds` it never
 * expires: a link lives until the GM replaces it (its `version` is then
 * refused), so a GM is never locked out of a campaign mid-game. Uses only
 * Web Crypto through jose, so it runs in Node and in workerd (PartyKit).
 */
export async function signToken(
  secret: string,
  claims: { role: Role; partyId: string; userId?: string; name?: string; version?: number },
  ttlSeconds?: number,
): Promise<string> {
  if (claims.role !== 'gm' && claims.role !== 'player')
    throw new Error(`unknown role ${String(claims.role)}`);
  if (typeof claims.partyId !== 'string' || claims.partyId === '') throw new Error('partyId is required');
  if (ttlSeconds !== undefined && (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0))
    throw new Error('ttlSeconds must be a positive number');
  const version = claims.version ?? FIRST_LINK_VERSION;
  if (!Number.isSafeInteger(version) || version < 1) throw new Error('version must be a positive integer');
  const payload: Record<string, string | number> = { role: claims.role, partyId: claims.partyId, v: version };
  if (claims.userId !== undefined) payload.userId = claims.userId;
  if (claims.name !== undefined) payload.name = claims.name;
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setIssuedAt();
  if (ttlSeconds !== undefined) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + Math.ceil(ttlSeconds));
  return jwt.sign(keyOf(secret));
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
    const { role, partyId, userId, name, exp, v } = payload as Record<string, unknown>;
    if ((role !== 'gm' && role !== 'player') || typeof partyId !== 'string')
      return { ok: false, reason: 'invalid-claims', message: 'the token lacks a role or party' };
    const version = v === undefined ? FIRST_LINK_VERSION : v;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
      return { ok: false, reason: 'invalid-claims', message: 'the token has an invalid link version' };
    const claims: TokenClaims = {
      role,
      partyId,
      version,
      ...(typeof exp === 'number' ? { exp } : {}),
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
