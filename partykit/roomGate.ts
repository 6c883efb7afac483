/**
 * Refusals made in the rooms' edge worker (PartyKit's static `onBefore…`
 * hooks), before a Durable Object — and so any room state or storage — exists
 * for the id asked for. A room is only created for a game session that exists
 * and belongs to the connecting token's party; plain HTTP reaches a room only
 * with the internal secret (room control from the app server).
 *
 * Whether a session exists and whose it is comes from the app server's
 * `GET /internal/sessions/:id/party`, cached per worker: answers for a while,
 * "no such session" briefly (a session created a moment ago must not stay
 * refused). When the app server cannot be asked, the connection goes on to the
 * room, which checks again after loading: a room with a snapshot keeps serving
 * through an app server outage.
 */
import type * as Party from 'partykit/server';
import { authenticate, isInternal, readEnv } from './auth';

/** Close code for a room id that does not exist (the 4xxx codes of core/syncRoom.ts, plus this one). */
export const CLOSE_NOT_FOUND = 4404;
const CLOSE_FORBIDDEN = 4403;

const KNOWN_TTL_MS = 5 * 60_000;
const UNKNOWN_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;
const LOOKUP_TIMEOUT_MS = 5_000;

/** What the worker knows of a session id: its party, or `null` for "does not exist". */
const owners = new Map<string, { partyId: string | null; until: number }>();

/** The same id pattern the app server accepts (server/body.ts); anything else cannot be a session. */
const ROOM_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Party of a game session, `null` when it does not exist, `undefined` when the app server could not say. */
async function sessionOwner(id: string, env: Record<string, unknown>): Promise<string | null | undefined> {
  const now = Date.now();
  const cached = owners.get(id);
  if (cached && cached.until > now) return cached.partyId;
  const { APP_URL, INTERNAL_SECRET } = readEnv(env);
  let partyId: string | null;
  try {
    const res = await fetch(`${APP_URL}/internal/sessions/${encodeURIComponent(id)}/party`, {
      headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
      signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
    });
    if (res.status === 404) partyId = null;
    else if (!res.ok) return undefined;
    else partyId = ((await res.json()) as { partyId?: unknown }).partyId as string;
    if (partyId !== null && typeof partyId !== 'string') return undefined;
  } catch {
    return undefined;
  }
  if (owners.size >= MAX_ENTRIES) owners.delete(owners.keys().next().value!);
  owners.set(id, { partyId, until: now + (partyId === null ? UNKNOWN_TTL_MS : KNOWN_TTL_MS) });
  return partyId;
}

/** Minimal shape of the Workers `WebSocketPair` global (the project's types are Node's and the DOM's). */
interface WorkerSocket {
  accept(): void;
  close(code: number, reason: string): void;
}
type WebSocketPairCtor = new () => Record<0 | 1, WorkerSocket>;

/**
 * Refuses a WebSocket with a close code and reason, as a room would, without a
 * room: clients tell "another party" (stop retrying) from a network error.
 */
function closeInWorker(code: number, reason: string): Response {
  const Pair = (globalThis as unknown as { WebSocketPair: WebSocketPairCtor }).WebSocketPair;
  const pair = new Pair();
  pair[1].accept();
  pair[1].close(code, reason);
  const init: ResponseInit & { webSocket: WorkerSocket } = { status: 101, webSocket: pair[0] };
  return new Response(null, init);
}

/** `onBeforeConnect` of `game_session`: a valid token, for an existing session of the token's party. */
export async function gateSessionConnect(
  req: Party.Request,
  lobby: Party.Lobby,
): Promise<Party.Request | Response> {
  const auth = await authenticate(req.url, lobby.env);
  if (!auth.ok) return new Response(auth.reason, { status: auth.status });
  if (!ROOM_ID.test(lobby.id)) return new Response('no such game session', { status: 404 });
  const owner = await sessionOwner(lobby.id, lobby.env);
  // PartyKit calls this hook for WebSocket upgrades only, so refusals are close frames.
  if (owner === null) return closeInWorker(CLOSE_NOT_FOUND, 'no such game session');
  if (owner !== undefined && owner !== auth.claims.partyId)
    return closeInWorker(CLOSE_FORBIDDEN, 'token refused: it is for another party');
  return req;
}

/** `onBeforeRequest` of both parties: plain HTTP is room control, for the app server only. */
export function gateRequest(req: Party.Request, lobby: Party.Lobby): Party.Request | Response {
  if (isInternal(req, lobby.env)) return req;
  return new Response(JSON.stringify({ error: 'unauthorised' }), {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });
}
