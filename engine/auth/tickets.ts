/**
 * Room tickets: what a WebSocket URL carries instead of a link token. URLs
 * end up in logs, proxies and error lines; a link token lives until the GM
 * replaces it, a ticket for a minute and for one connection. The app server
 * signs one (`POST /api/tickets`, the token in the `Authorization` header)
 * for one room of the token's party; the room verifies it and accepts it once
 * (partykit/core/ticketLedger.ts). It carries the token's role, party, user
 * and link version, so the room still refuses a link replaced meanwhile.
 *
 * Signed with the token secret, but under another issuer and with the room as
 * audience: a ticket is no link token (verifyToken refuses it), a link token
 * no ticket, and a ticket for one room opens no other.
 */
import { SignJWT, jwtVerify, errors } from 'jose';
import type { TokenClaims, TokenFailure } from './tokens';

/** The parties whose rooms take tickets. */
export type RoomParty = 'game_session' | 'party';

/** The room a ticket opens. */
export interface RoomTarget {
  readonly party: RoomParty;
  readonly room: string;
}

/** A verified ticket: its token's claims, its id (for single use) and its expiry (seconds since the epoch). */
export interface TicketClaims extends TokenClaims {
  readonly jti: string;
  readonly exp: number;
}

export type TicketResult =
  | { readonly ok: true; readonly claims: TicketClaims }
  | { readonly ok: false; readonly reason: TokenFailure; readonly message: string };

/** How long a ticket opens its room: enough to fetch it and connect, not enough to be worth stealing. */
export const TICKET_TTL_SECONDS = 60;

const ALG = 'HS256';
const ISSUER = 'tablestage:ticket';

const audienceOf = (target: RoomTarget) => `${target.party}/${target.room}`;

function keyOf(secret: string): Uint8Array {
  if (typeof secret !== 'string' || secret.length < 16)
    throw new Error('token secret must be a string of at least 16 characters');
  return new TextEncoder().encode(secret);
}

/** Signs a ticket to `target` for the (already verified, current) token `claims`. */
export async function signTicket(secret: string, claims: TokenClaims, target: RoomTarget): Promise<string> {
  const payload: Record<string, string | number> = {
    role: claims.role,
    partyId: claims.partyId,
    v: claims.version,
  };
  if (claims.userId !== undefined) payload.userId = claims.userId;
  if (claims.name !== undefined) payload.name = claims.name;
  const jti = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0'));
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(audienceOf(target))
    .setJti(jti.join(''))
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + TICKET_TTL_SECONDS)
    .sign(keyOf(secret));
}

/**
 * Verifies a ticket for `target`: signature, issuer, expiry and room. Never
 * throws for bad input; single use is the room's to check (it alone sees
 * every connection to itself).
 */
export async function verifyTicket(
  secret: string,
  ticket: string | null | undefined,
  target: RoomTarget,
): Promise<TicketResult> {
  if (ticket === undefined || ticket === null || ticket === '')
    return { ok: false, reason: 'missing', message: 'no ticket given' };
  if (typeof ticket !== 'string' || ticket.split('.').length !== 3)
    return { ok: false, reason: 'malformed', message: 'the ticket is not a JWT' };
  try {
    const { payload } = await jwtVerify(ticket, keyOf(secret), {
      algorithms: [ALG],
      issuer: ISSUER,
      audience: audienceOf(target),
      requiredClaims: ['exp', 'jti'],
    });
    const { role, partyId, userId, name, v, jti, exp } = payload as Record<string, unknown>;
    if (
      (role !== 'gm' && role !== 'player') ||
      typeof partyId !== 'string' ||
      typeof v !== 'number' ||
      !Number.isSafeInteger(v) ||
      v < 1 ||
      typeof jti !== 'string' ||
      typeof exp !== 'number'
    )
      return { ok: false, reason: 'invalid-claims', message: 'the ticket lacks its claims' };
    return {
      ok: true,
      claims: {
        role,
        partyId,
        version: v,
        jti,
        exp,
        ...(typeof userId === 'string' ? { userId } : {}),
        ...(typeof name === 'string' ? { name } : {}),
      },
    };
  } catch (e) {
    if (e instanceof errors.JWTExpired)
      return { ok: false, reason: 'expired', message: 'the ticket has expired; fetch a new one' };
    if (e instanceof errors.JWSSignatureVerificationFailed)
      return { ok: false, reason: 'bad-signature', message: 'the ticket signature does not match' };
    if (e instanceof errors.JWTClaimValidationFailed)
      return { ok: false, reason: 'invalid-claims', message: 'the ticket is for another room' };
    return { ok: false, reason: 'malformed', message: 'the ticket could not be read' };
  }
}
