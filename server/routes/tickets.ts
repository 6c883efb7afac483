/**
 * `POST /api/tickets` `{party, room}` with `Authorization: Bearer <token>`:
 * a room ticket (engine/auth/tickets.ts) for one room of the token's party —
 * its party room, or one of its game sessions. Clients put only the ticket in
 * the WebSocket URL, so link tokens never appear in URLs. Answers 401 for a
 * bad token, 410 for a replaced link, 403 for another party's room, 404 for a
 * game session that does not exist: the client closes with the matching room
 * code (4401, 4410, 4403, 4404).
 */
import { Hono } from 'hono';
import { signTicket, TICKET_TTL_SECONDS, type RoomParty } from '../../engine/auth';
import { tokenOf, verifyCurrentToken } from '../auth';
import { checkId, onlyFields, readJsonObject } from '../body';
import type { AppDeps } from '../context';
import { HttpError } from '../errors';
import { findSession } from '../lookup';

const PARTIES: readonly RoomParty[] = ['game_session', 'party'];

export function ticketRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    // The header only: a token in this URL would be the very leak tickets exist to prevent.
    if (c.req.header('authorization') === undefined)
      throw new HttpError(401, 'a token is needed (Authorization: Bearer …)');
    const verified = await verifyCurrentToken(deps, tokenOf(c));
    if (!verified.ok) throw new HttpError(verified.reason === 'replaced' ? 410 : 401, verified.message);
    const claims = verified.claims;
    const body = await readJsonObject(c);
    onlyFields(body, ['party', 'room']);
    const party = body.party as RoomParty;
    if (!PARTIES.includes(party))
      throw new HttpError(400, `party must be one of ${PARTIES.join(', ')}`, 'party');
    const room = checkId(body.room, 'room');
    const owner = party === 'party' ? room : (await findSession(deps.database.db, room)).partyId;
    if (owner !== claims.partyId) throw new HttpError(403, 'this token is for another party');
    const ticket = await signTicket(deps.tokenSecret, claims, { party, room });
    return c.json({ ticket, expiresIn: TICKET_TTL_SECONDS });
  });
  return app;
}
