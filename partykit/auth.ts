/**
 * Who may connect to a room. The WebSocket URL carries a room ticket
 * (`ticket` query parameter; engine/auth/tickets.ts), never a link token: the
 * client fetched it from the app server with its token in a header. A ticket
 * opens one room for a minute, once. `onBeforeConnect` verifies it in the
 * edge worker before the room is touched, so refusals there cost the room
 * nothing; the room verifies again when it accepts the socket (it needs the
 * claims, and a second HMAC check is cheap), spends it (single use), checks
 * the party and the link version.
 */
import type * as Party from 'partykit/server';
import { verifyTicket, type RoomParty, type TicketClaims } from '../engine/auth';

/** The room's environment (room variables: the runner's environment in dev, deployment vars in production). */
export interface RoomEnv {
  readonly TOKEN_SECRET: string;
  readonly INTERNAL_SECRET: string;
  readonly APP_URL: string;
}

/** Reads the room's environment; throws naming the missing variable. */
export function readEnv(env: Record<string, unknown>): RoomEnv {
  const get = (name: keyof RoomEnv): string => {
    const value = env[name];
    if (typeof value !== 'string' || value === '') throw new Error(`PartyKit variable ${name} is not set`);
    return value;
  };
  return {
    TOKEN_SECRET: get('TOKEN_SECRET'),
    INTERNAL_SECRET: get('INTERNAL_SECRET'),
    APP_URL: get('APP_URL').replace(/\/+$/, ''),
  };
}

/** The outcome of checking a connection's ticket. */
export type AuthResult =
  | { readonly ok: true; readonly claims: TicketClaims }
  | { readonly ok: false; readonly status: number; readonly reason: string };

/** Verifies the `ticket` query parameter of a connection request to room `room` of `party`. */
export async function authenticate(
  requestUrl: string,
  env: Record<string, unknown>,
  party: RoomParty,
  room: string,
): Promise<AuthResult> {
  let secret: string;
  try {
    secret = readEnv(env).TOKEN_SECRET;
  } catch (e) {
    console.error(`room misconfigured: ${(e as Error).message}`);
    return { ok: false, status: 500, reason: 'room unavailable: the server is misconfigured' };
  }
  const ticket = new URL(requestUrl).searchParams.get('ticket');
  const verified = await verifyTicket(secret, ticket, { party, room });
  if (!verified.ok)
    return { ok: false, status: 401, reason: `ticket refused (${verified.reason}): ${verified.message}` };
  return { ok: true, claims: verified.claims };
}

/**
 * `onBeforeConnect` of the party room: refuses missing, forged, expired and
 * malformed tickets and tickets for another room with 401 and a reason in the
 * body. A ticket's room is its party, so no other party's ticket gets here.
 */
export async function refuseUnauthorised(
  req: Party.Request,
  lobby: Party.Lobby,
  party: RoomParty,
): Promise<Party.Request | Response> {
  const result = await authenticate(req.url, lobby.env, party, lobby.id);
  if (!result.ok) return new Response(result.reason, { status: result.status });
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
