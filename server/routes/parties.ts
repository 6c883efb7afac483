import { Hono } from 'hono';
import { eq, sql } from 'drizzle-orm';
import { insertScene, newId, summaryOf } from '../../engine/db';
import { gameSession, party, type PartyRow } from '../../engine/generated/tables';
import { type Role } from '../../engine/auth';
import { authorize, tokenOf, verifyCurrentToken } from '../auth';
import { badRequest, HttpError } from '../errors';
import { checkName, onlyFields, readJsonObject } from '../body';
import type { AppDeps } from '../context';
import { findParty, sessionsOf } from '../lookup';
import { LINK_VERSION_COLUMN, partyLinks } from '../links';
import { deletePartyUploads } from '../partyUploads';
import { rateLimit } from '../rateLimit';
import { revokeRoomLinks } from '../roomControl';

/** How many kept links one party lookup may present. */
const MAX_LOOKUP_TOKENS = 100;

/** Names a new party gets for its first game session and scene. */
export const FIRST_SESSION_NAME = 'Session 1';
export const FIRST_SCENE_NAME = 'Scene 1';

/** `/api/parties`: create (anyone), read (GM or player of the party), rename and delete (GM), links (GM). */
export function partyRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const { database, registry, tokenSecret: secret } = deps;

  // Anyone may create a party, so each client may create only so many (429 before anything is read).
  app.post('/', rateLimit('new parties', deps.rateLimits.partyCreation), async (c) => {
    const body = await readJsonObject(c);
    onlyFields(body, ['name']);
    const name = checkName(body.name);
    const now = Date.now();
    const created = await database.write(async (tx) => {
      const partyId = newId();
      const sessionId = newId();
      const sceneId = newId();
      await tx.insert(party).values({ id: partyId, name, createdAt: now });
      const [session] = await tx
        .insert(gameSession)
        .values({ id: sessionId, partyId, name: FIRST_SESSION_NAME, createdAt: now })
        .returning();
      const scene = await insertScene(registry, tx, {
        id: sceneId,
        gameSessionId: sessionId,
        name: FIRST_SCENE_NAME,
        sortOrder: 0,
        lastUpdated: now,
      });
      const [p] = await tx
        .update(party)
        .set({ activeGameSessionId: sessionId, activeSceneId: sceneId })
        .where(eq(party.id, partyId))
        .returning();
      return { party: p!, gameSession: session!, scenes: [summaryOf(scene)] };
    });
    const links = await partyLinks(secret, created.party, created.scenes[0]!.id);
    return c.json({ ...created, ...links }, 201);
  });

  /** The parties these tokens open, with the best role held for each. */
  async function partiesOf(tokens: readonly string[]): Promise<{ party: PartyRow; role: Role }[]> {
    const parties: { party: PartyRow; role: Role }[] = [];
    for (const token of tokens) {
      const result = await verifyCurrentToken(deps, token);
      // A browser keeps old links: one that was replaced (or whose party is gone) is skipped, not an error.
      if (!result.ok && (result.reason === 'replaced' || result.reason === 'invalid-claims')) continue;
      if (!result.ok) throw new HttpError(401, result.message);
      const p = await findParty(database.db, result.claims.partyId).catch(() => undefined);
      if (!p) continue;
      const seen = parties.find((x) => x.party.id === p.id);
      if (!seen) parties.push({ party: p, role: result.claims.role });
      else if (result.claims.role === 'gm') seen.role = 'gm';
    }
    return parties;
  }

  // The party a Bearer token opens.
  app.get('/', async (c) => {
    const token = c.req.header('authorization') ? tokenOf(c) : undefined;
    if (!token) throw new HttpError(401, 'a token is needed (Authorization: Bearer …)');
    return c.json({ parties: await partiesOf([token]) });
  });

  // The parties of every token a browser keeps (there are no accounts), sent in the body: tokens stay
  // out of URLs, where logs and proxies would keep them.
  app.post('/lookup', async (c) => {
    const body = await readJsonObject(c);
    onlyFields(body, ['tokens']);
    const { tokens } = body;
    if (!Array.isArray(tokens) || tokens.length === 0 || tokens.length > MAX_LOOKUP_TOKENS)
      throw badRequest(`tokens must be a list of 1 to ${MAX_LOOKUP_TOKENS} tokens`, 'tokens');
    const bad = tokens.findIndex((t) => typeof t !== 'string' || t.length === 0 || t.length > 4096);
    if (bad >= 0) throw badRequest(`tokens[${bad}] is not a token`, `tokens[${bad}]`);
    return c.json({ parties: await partiesOf(tokens as string[]) });
  });

  app.get('/:partyId', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    const claims = await authorize(c, deps, p.id, ['gm', 'player']);
    return c.json({ party: p, gameSessions: await sessionsOf(database.db, p.id), role: claims.role });
  });

  app.patch('/:partyId', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    await authorize(c, deps, p.id, ['gm']);
    const body = await readJsonObject(c);
    onlyFields(body, ['name']);
    const name = checkName(body.name);
    const updated = await database.write(async (tx) => {
      const [row] = await tx.update(party).set({ name }).where(eq(party.id, p.id)).returning();
      return row!;
    });
    return c.json({ party: updated });
  });

  app.delete('/:partyId', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    await authorize(c, deps, p.id, ['gm']);
    await database.write((tx) => tx.delete(party).where(eq(party.id, p.id)));
    // Its scenes went with it (cascade), so nothing can show its files any more.
    await deletePartyUploads(deps.uploadsDir, p.id);
    return c.body(null, 204);
  });

  app.get('/:partyId/links', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    await authorize(c, deps, p.id, ['gm']);
    return c.json(await partyLinks(secret, p, p.activeSceneId));
  });

  // Replaces the GM or player link: the old one is refused from now on, by this API and by the rooms,
  // whose open sockets of it are closed (4410). A GM rotating the GM link gets the new one back here.
  app.post('/:partyId/links/rotate', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    await authorize(c, deps, p.id, ['gm']);
    const body = await readJsonObject(c);
    onlyFields(body, ['role']);
    if (body.role !== 'gm' && body.role !== 'player')
      throw new HttpError(400, 'role must be "gm" or "player"', 'role');
    const column = LINK_VERSION_COLUMN[body.role];
    const updated = await database.write(async (tx) => {
      const [row] = await tx
        .update(party)
        .set({ [column]: sql`${party[column]} + 1` })
        .where(eq(party.id, p.id))
        .returning();
      return row!;
    });
    const sessions = await sessionsOf(database.db, p.id);
    const unreached = await revokeRoomLinks(
      deps,
      p.id,
      sessions.map((s) => s.id),
      { gm: updated.gmLinkVersion, player: updated.playerLinkVersion },
    );
    return c.json({
      ...(await partyLinks(secret, updated, updated.activeSceneId)),
      unreachedRooms: unreached,
    });
  });

  return app;
}
