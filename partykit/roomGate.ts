/**
 * Refusals made in the rooms' edge worker (PartyKit's static `onBefore…`
 * hooks), before a Durable Object — and so any room state or storage — exists
 * for the id asked for. A WebSocket reaches a room only with a valid ticket
 * for that very room (partykit/auth.ts), and the app server signs tickets only
 * for the token's own party room and for game sessions that exist and belong
 * to its party: made-up ids, other parties' rooms and missing or forged
 * tickets are refused here, without a call to the app server. Plain HTTP
 * reaches a room only with the internal secret (room control from the app server).
 */
import type * as Party from 'partykit/server';
import { isInternal, refuseUnauthorised } from './auth';

/** The same id pattern the app server accepts (server/body.ts); anything else cannot be a room. */
const ROOM_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** `onBeforeConnect` of both parties: a valid ticket for this room. */
export async function gateConnect(
  req: Party.Request,
  lobby: Party.Lobby,
  party: 'game_session' | 'party',
): Promise<Party.Request | Response> {
  if (!ROOM_ID.test(lobby.id)) return new Response('no such room', { status: 404 });
  return refuseUnauthorised(req, lobby, party);
}

/** `onBeforeRequest` of both parties: plain HTTP is room control, for the app server only. */
export function gateRequest(req: Party.Request, lobby: Party.Lobby): Party.Request | Response {
  if (isInternal(req, lobby.env)) return req;
  return new Response(JSON.stringify({ error: 'unauthorised' }), {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });
}
