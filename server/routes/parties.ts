import { Hono } from 'hono';
import { eq, sql } from 'drizzle-orm';
import { insertScene, newId, summaryOf } from '../../engine/db';
import { gameSession, party, type PartyRow } from '../../engine/generated/tables';
import { type Role } from '../../engine/auth';
import { authorize, tokenOf, verifyCurrentToken } from '../auth';
import { HttpError } from '../errors';
import { checkName, onlyFields, readJsonObject } from '../body';
import type { AppDeps } from '../context';
import { findParty, sessionsOf } from '../lookup';
import { LINK_VERSION_COLUMN, partyLinks } from '../links';
import { deletePartyUploads } from '../partyUploads';
import { rateLimit } from '../rateLimit';
import { revokeRoomLinks } from '../roomControl';

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

  // The parties the presented tokens open: a browser keeps the tokens it was given (there are no accounts)
  // and sends them as a Bearer header or as repeated `?token=`.
  app.get('/', async (c) => {
    const header = tokenOf(c);
    const tokens = [...(c.req.header('authorization') ? [header] : []), ...(c.req.queries('token') ?? [])];
    if (tokens.length === 0) throw new HttpError(401, 'a token is needed (Authorization: Bearer …)');
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
    return c.json({ parties });
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
