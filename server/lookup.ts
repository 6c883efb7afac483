import { eq } from 'drizzle-orm';
import { getScene, type Queryable } from '../engine/db';
import {
  gameSession,
  party,
  type GameSessionRow,
  type PartyRow,
  type SceneRow,
} from '../engine/generated/tables';
import { notFound } from './errors';

/** Rows by id, with 404 for an unknown one. Every lookup also says which party owns the row, for auth. */
export async function findParty(q: Queryable, id: string): Promise<PartyRow> {
  const [row] = await q.select().from(party).where(eq(party.id, id));
  if (!row) throw notFound('party', id);
  return row;
}

export async function findSession(q: Queryable, id: string): Promise<GameSessionRow> {
  const [row] = await q.select().from(gameSession).where(eq(gameSession.id, id));
  if (!row) throw notFound('game session', id);
  return row;
}

export async function findScene(
  q: Queryable,
  id: string,
): Promise<{ scene: SceneRow; session: GameSessionRow }> {
  const row = await getScene(q, id);
  if (!row) throw notFound('scene', id);
  return { scene: row, session: await findSession(q, row.gameSessionId) };
}

export async function sessionsOf(q: Queryable, partyId: string): Promise<GameSessionRow[]> {
  return q.select().from(gameSession).where(eq(gameSession.partyId, partyId)).orderBy(gameSession.createdAt);
}
