/**
 * Who may connect to a room. The token travels as the `token` query
 * parameter (YPartyKitProvider's `params`). `onBeforeConnect` runs in the
 * edge worker before the room is touched, so refusals there cost the room
 * nothing; the room verifies again when it accepts the socket (it needs the
 * claims, and a second HMAC check is cheap) and checks the party, which only
 * it knows for a game session.
 */
import type * as Party from 'partykit/server';
import { verifyToken, type TokenClaims } from '../engine/auth';

/** The room's environment (`--var` in dev, deployment vars in production). */
export interface RoomEnv {
  readonly TOKEN_SECRET: string;
  readonly INTERNAL_SECRET: string;
  readonly APP_URL: string;
}

/** Reads the room's environment; throws naming the missing variable. */
export function readEnv(env: Record<string, unknown>): RoomEnv {
  const get = (name: keyof RoomEnv): string => {
    const value = env[name];
    if (typeof value !== 'string' || value === '')
      throw new Error(`PartyKit variable ${name} is not set (pass --var ${name}=…)`);
    return value;
  };
  return {
    TOKEN_SECRET: get('TOKEN_SECRET'),
    INTERNAL_SECRET: get('INTERNAL_SECRET'),
    APP_URL: get('APP_URL').replace(/\/+$/, ''),
  };
}

/** The outcome of checking a connection's token. */
export type AuthResult =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly status: number; readonly reason: string };

/** Verifies the `token` query parameter of a connection request. */
export async function authenticate(requestUrl: string, env: Record<string, unknown>): Promise<AuthResult> {
  let secret: string;
  try {
    secret = readEnv(env).TOKEN_SECRET;
  } catch (e) {
    return { ok: false, status: 500, reason: `server misconfigured: ${(e as Error).message}` };
  }
  const token = new URL(requestUrl).searchParams.get('token');
  const verified = await verifyToken(secret, token);
  if (!verified.ok)
    return { ok: false, status: 401, reason: `token refused (${verified.reason}): ${verified.message}` };
  return { ok: true, claims: verified.claims };
}

/**
 * `onBeforeConnect` for both parties: refuses missing, forged, expired and
 * malformed tokens with 401 and a reason in the body. `expectedPartyId`
 * (the party room's own id) refuses tokens for another party with 403.
 */
export async function refuseUnauthorised(
  req: Party.Request,
  lobby: Party.Lobby,
  expectedPartyId?: string,
): Promise<Party.Request | Response> {
  const result = await authenticate(req.url, lobby.env);
  if (!result.ok) return new Response(result.reason, { status: result.status });
  if (expectedPartyId !== undefined && result.claims.partyId !== expectedPartyId)
    return new Response('token refused: it is for another party', { status: 403 });
  return req;
}

/** True when an HTTP request carries the room ↔ app server secret. */
export function isInternal(req: Party.Request, env: Record<string, unknown>): boolean {
  const secret = env.INTERNAL_SECRET;
  if (typeof secret !== 'string' || secret === '') return false;
  const header = req.headers.get('authorization') ?? '';
  return timingSafeEqual(header, `Bearer ${secret}`);
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
