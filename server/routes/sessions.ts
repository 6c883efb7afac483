import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import {
  getScene,
  gmSummaryOf,
  insertScene,
  listScenes,
  loadScenes,
  newId,
  nextSortOrder,
  reorderScenes,
  summaryOf,
} from '../../engine/db';
import type { Role } from '../../engine/auth';
import { gameSession, type SceneRow } from '../../engine/generated/tables';
import { authorize } from '../auth';
import { checkId, checkName, onlyFields, readJsonObject } from '../body';
import type { AppDeps } from '../context';
import { badRequest, HttpError, notFound } from '../errors';
import { findParty, findSession, sessionsOf } from '../lookup';
import { sweepAfterDeletion } from '../partyUploads';
import { notifyRoom } from '../roomControl';
import { sceneForRole } from '../scenesView';
import { backstageAction, publishedScene, publishedSummaries } from '../backstage';
import { scenesForRole } from '../shownScenes';
import { FIRST_SCENE_NAME } from './parties';

/** Game sessions of a party and the scenes of a session: list, create, rename, reorder, delete, load. */
export function sessionRoutes(deps: AppDeps): { underParty: Hono; sessions: Hono } {
  const { database, registry } = deps;
  const underParty = new Hono();
  const sessions = new Hono();

  /** Scene summaries as the role may read them (players: as published during a backstage hold). */
  const summariesFor = (role: Role, gameSessionId: string, rows: readonly SceneRow[]) =>
    role === 'player' ? publishedSummaries(deps, gameSessionId, rows.map(summaryOf)) : rows.map(gmSummaryOf);
  /** GMs' summaries carry the thumbnail; players' never do (see gmSummaryOf). */
  const summaryFor = (role: Role) => (role === 'gm' ? gmSummaryOf : summaryOf);

  underParty.get('/:partyId/sessions', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    await authorize(c, deps, p.id, ['gm', 'player']);
    return c.json({ gameSessions: await sessionsOf(database.db, p.id) });
  });

  // A new game session starts with one empty scene, like a new party.
  underParty.post('/:partyId/sessions', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    await authorize(c, deps, p.id, ['gm']);
    const body = await readJsonObject(c);
    onlyFields(body, ['name']);
    const name = checkName(body.name);
    const now = Date.now();
    const created = await database.write(async (tx) => {
      const id = newId();
      const [session] = await tx
        .insert(gameSession)
        .values({ id, partyId: p.id, name, createdAt: now })
        .returning();
      const scene = await insertScene(registry, tx, {
        id: newId(),
        gameSessionId: id,
        name: FIRST_SCENE_NAME,
        sortOrder: 0,
        lastUpdated: now,
      });
      return { gameSession: session!, scenes: [summaryOf(scene)] };
    });
    return c.json(created, 201);
  });

  sessions.get('/:id', async (c) => {
    const s = await findSession(database.db, c.req.param('id'));
    const { role } = await authorize(c, deps, s.partyId, ['gm', 'player']);
    const p = await findParty(database.db, s.partyId);
    const rows = scenesForRole(await listScenes(database.db, s.id), p.activeSceneId, role);
    return c.json({ gameSession: s, scenes: await summariesFor(role, s.id, rows) });
  });

  sessions.patch('/:id', async (c) => {
    const s = await findSession(database.db, c.req.param('id'));
    await authorize(c, deps, s.partyId, ['gm']);
    const body = await readJsonObject(c);
    onlyFields(body, ['name']);
    const name = checkName(body.name);
    const [row] = await database.write((tx) =>
      tx.update(gameSession).set({ name }).where(eq(gameSession.id, s.id)).returning(),
    );
    return c.json({ gameSession: row });
  });

  sessions.delete('/:id', async (c) => {
    const s = await findSession(database.db, c.req.param('id'));
    await authorize(c, deps, s.partyId, ['gm']);
    await database.write((tx) => tx.delete(gameSession).where(eq(gameSession.id, s.id)));
    await sweepAfterDeletion(deps, s.partyId);
    return c.body(null, 204);
  });

  sessions.get('/:id/scenes', async (c) => {
    const s = await findSession(database.db, c.req.param('id'));
    const { role } = await authorize(c, deps, s.partyId, ['gm', 'player']);
    const p = await findParty(database.db, s.partyId);
    const rows = scenesForRole(await listScenes(database.db, s.id), p.activeSceneId, role);
    return c.json({ scenes: await summariesFor(role, s.id, rows) });
  });

  sessions.post('/:id/scenes', async (c) => {
    const s = await findSession(database.db, c.req.param('id'));
    await authorize(c, deps, s.partyId, ['gm']);
    const body = await readJsonObject(c);
    onlyFields(body, ['name']);
    const name = checkName(body.name);
    const now = Date.now();
    const scene = await database.write(async (tx) =>
      insertScene(registry, tx, {
        id: newId(),
        gameSessionId: s.id,
        name,
        sortOrder: await nextSortOrder(tx, s.id),
        lastUpdated: now,
      }),
    );
    notifyRoom(deps, s.id, [scene.id]);
    return c.json({ scene: summaryOf(scene) }, 201);
  });

  // The body names every scene of the session exactly once, in the new order.
  sessions.put('/:id/scenes/order', async (c) => {
    const s = await findSession(database.db, c.req.param('id'));
    await authorize(c, deps, s.partyId, ['gm']);
    const body = await readJsonObject(c);
    onlyFields(body, ['sceneIds']);
    if (!Array.isArray(body.sceneIds)) throw badRequest('sceneIds must be an array of scene ids', 'sceneIds');
    const ids = body.sceneIds.map((id, i) => checkId(id, `sceneIds[${i}]`));
    const scenes = await database.write(async (tx) => {
      const current = await listScenes(tx, s.id);
      const known = new Set(current.map((r) => r.id));
      if (new Set(ids).size !== ids.length) throw badRequest('sceneIds names a scene twice', 'sceneIds');
      const stranger = ids.find((id) => !known.has(id));
      if (stranger !== undefined)
        throw badRequest(`scene "${stranger}" is not in this game session`, 'sceneIds');
      if (ids.length !== current.length)
        throw badRequest(`sceneIds must list all ${current.length} scenes of the session`, 'sceneIds');
      await reorderScenes(tx, ids);
      return (await listScenes(tx, s.id)).map(summaryOf);
    });
    notifyRoom(
      deps,
      s.id,
      scenes.map((x) => x.id),
    );
    return c.json({ scenes });
  });

  // Everything the editor or player view needs to draw before its WebSocket is open.
  sessions.get('/:id/load', async (c) => {
    const s = await findSession(database.db, c.req.param('id'));
    const claims = await authorize(c, deps, s.partyId, ['gm', 'player']);
    const p = await findParty(database.db, s.partyId);
    // Players learn of the shown scene only: any other is "not found", never "in another session".
    const rows = scenesForRole(await listScenes(database.db, s.id), p.activeSceneId, claims.role);
    const wanted = c.req.query('scene');
    let selected = rows[0];
    if (wanted !== undefined && wanted !== '') {
      selected = rows.find((r) => r.id === wanted);
      if (!selected && claims.role !== 'gm') throw notFound('scene', wanted);
      if (!selected) {
        if (await getScene(database.db, wanted))
          throw badRequest(`scene "${wanted}" is in another game session`, 'scene');
        throw notFound('scene', wanted);
      }
    } else if (p.activeSceneId) selected = rows.find((r) => r.id === p.activeSceneId) ?? selected;
    if (!selected)
      throw new HttpError(
        404,
        claims.role === 'gm'
          ? 'this game session has no scenes yet'
          : 'no scene of this game session is shown',
      );
    // During a backstage hold players load what the room publishes, not the live edits saved to the DB.
    const published = claims.role === 'player' ? await publishedScene(deps, s.id, selected.id) : undefined;
    if (published === null) throw new HttpError(404, 'no scene of this game session is shown');
    const view =
      published ?? sceneForRole(deps, (await loadScenes(registry, database.db, [selected]))[0]!, claims.role);
    const summarise = summaryFor(claims.role);
    const summary =
      published?.name === undefined ? summarise(selected) : { ...summarise(selected), name: published.name };
    return c.json({
      role: claims.role,
      party: p,
      gameSession: s,
      scenes: rows.map((r) => (r.id === summary.id ? summary : summarise(r))),
      sceneId: selected.id,
      scene: summary,
      props: view.props,
      blobs: view.blobs,
      partykitHost: deps.partykitHost,
    });
  });

  // Backstage mode: hold the TV, publish everything or one plugin, resume live (server/backstage.ts).
  sessions.post('/:id/backstage', async (c) => {
    const s = await findSession(database.db, c.req.param('id'));
    await authorize(c, deps, s.partyId, ['gm']);
    const body = await readJsonObject(c);
    onlyFields(body, ['op', 'by', 'plugin']);
    const answer = await backstageAction(deps, s.id, body);
    return c.json(answer.body as object, answer.status);
  });

  sessions.get('/:id/timestamps', async (c) => {
    const s = await findSession(database.db, c.req.param('id'));
    const { role } = await authorize(c, deps, s.partyId, ['gm', 'player']);
    const p = await findParty(database.db, s.partyId);
    const rows = scenesForRole(await listScenes(database.db, s.id), p.activeSceneId, role);
    return c.json(Object.fromEntries(rows.map((r) => [r.id, r.lastUpdated])));
  });

  return { underParty, sessions };
}
