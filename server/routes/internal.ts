import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import type { InternalPartyState, InternalSession } from '../../engine/contract';
import {
  blobKeys,
  foreignMemberIds,
  getScene,
  insertScene,
  listScenes,
  loadScenes,
  nextSortOrder,
  replaceCollection,
  writeBlobs,
} from '../../engine/db';
import { party, scene } from '../../engine/generated/tables';
import { partySettingsProblem, readPartySettings, type Registry } from '../../engine/schema';
import { checkInternalSecret } from '../auth';
import { checkId, onlyFields, readJsonObject } from '../body';
import type { AppDeps } from '../context';
import { badRequest, HttpError, notFound } from '../errors';
import { checkBlobLimits, conflict, parseSceneSave } from '../internalSave';
import { findParty, findScene, findSession } from '../lookup';
import { sweepAfterDeletion } from '../partyUploads';
import { sceneForRole } from '../scenesView';

/** Name a scene gets when a room saves one the database has not seen and sends no name. */
const UNNAMED_SCENE = 'Untitled scene';

/**
 * The API the PartyKit rooms use (shared secret): hydrate a game-session room,
 * save dirty scene parts, delete scenes, and read/write party state.
 */
export function internalRoutes(deps: AppDeps): Hono {
  const { database, registry } = deps;
  const app = new Hono();
  app.use('*', async (c, next) => {
    checkInternalSecret(c, deps.internalSecret);
    await next();
  });

  // The rooms' worker asks this before it lets a connection create a game-session room: cheap (one
  // indexed row, no scenes), so a made-up id costs a lookup and never a room, storage or a full load.
  app.get('/sessions/:gameSessionId/party', async (c) => {
    const s = await findSession(database.db, c.req.param('gameSessionId'));
    return c.json({ gameSessionId: s.id, partyId: s.partyId });
  });

  app.get('/sessions/:gameSessionId', async (c) => {
    const s = await findSession(database.db, c.req.param('gameSessionId'));
    const stored = await loadScenes(registry, database.db, await listScenes(database.db, s.id));
    const session: InternalSession = {
      gameSessionId: s.id,
      partyId: s.partyId,
      scenes: stored.map((st) => ({
        id: st.row.id,
        name: st.row.name,
        sortOrder: st.row.sortOrder,
        lastUpdated: st.row.lastUpdated,
        ...(st.row.thumbnailUrl ? { thumbnail: st.row.thumbnailUrl } : {}),
        ...sceneForRole(deps, st, 'gm'),
      })),
    };
    return c.json(session);
  });

  // One transaction: validated before anything is written, refused (409) when older than what is stored.
  app.put('/scenes/:sceneId', async (c) => {
    const save = parseSceneSave(registry, c.req.param('sceneId'), await readJsonObject(c));
    await database.write(async (tx) => {
      await findSession(tx, save.gameSessionId).catch(() => {
        throw badRequest(`game session "${save.gameSessionId}" does not exist`, 'gameSessionId');
      });
      const existing = await getScene(tx, save.sceneId);
      if (existing && existing.gameSessionId !== save.gameSessionId)
        throw conflict(`scene "${save.sceneId}" belongs to another game session`, 'gameSessionId');
      if (existing && existing.lastUpdated > save.savedAt)
        throw conflict(
          `the stored scene is newer (${existing.lastUpdated}) than this save (${save.savedAt}); reload it first`,
          'savedAt',
        );
      checkBlobLimits(registry, save, existing ? await blobKeys(tx, save.sceneId) : []);
      for (const [key, rows] of save.collections) {
        const taken = await foreignMemberIds(
          tx,
          key,
          save.sceneId,
          rows.map((r) => r.id as string),
        );
        if (taken.length)
          throw conflict(`member "${taken[0]}" of ${key} belongs to another scene`, `collections.${key}`);
      }
      if (existing)
        await tx
          .update(scene)
          .set({
            ...save.columns,
            ...(save.name !== undefined ? { name: save.name } : {}),
            ...(save.sortOrder !== undefined ? { sortOrder: save.sortOrder } : {}),
            lastUpdated: save.savedAt,
          })
          .where(eq(scene.id, save.sceneId));
      else
        await insertScene(
          registry,
          tx,
          {
            id: save.sceneId,
            gameSessionId: save.gameSessionId,
            name: save.name ?? UNNAMED_SCENE,
            sortOrder: save.sortOrder ?? (await nextSortOrder(tx, save.gameSessionId)),
            lastUpdated: save.savedAt,
          },
          save.columns,
        );
      for (const [key, rows] of save.collections) await replaceCollection(tx, key, save.sceneId, rows);
      await writeBlobs(tx, save.sceneId, save.blobs, save.savedAt);
    });
    return c.json({ lastUpdated: save.savedAt });
  });

  app.delete('/scenes/:sceneId', async (c) => {
    const id = c.req.param('sceneId');
    const { session } = await findScene(database.db, id);
    const deleted = await database.write((tx) =>
      tx.delete(scene).where(eq(scene.id, id)).returning({ id: scene.id }),
    );
    if (deleted.length === 0) throw notFound('scene', id);
    await sweepAfterDeletion(deps, session.partyId);
    return c.body(null, 204);
  });

  app.get('/parties/:partyId', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    return c.json(partyState(registry, p));
  });

  // The link versions the rooms check tokens against (they cache them briefly; rotation pushes new ones).
  app.get('/parties/:partyId/links', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    return c.json({ gm: p.gmLinkVersion, player: p.playerLinkVersion });
  });

  app.put('/parties/:partyId', async (c) => {
    const p = await findParty(database.db, c.req.param('partyId'));
    const body = await readJsonObject(c);
    onlyFields(body, ['partyId', 'activeGameSessionId', 'activeSceneId', 'paused', 'settings']);
    if (body.partyId !== undefined && body.partyId !== p.id)
      throw badRequest('partyId does not match the path', 'partyId');
    const patch: {
      activeGameSessionId?: string | null;
      activeSceneId?: string | null;
      paused?: boolean;
      settings?: string;
    } = {};
    if (body.settings !== undefined) {
      const problem = partySettingsProblem(registry, body.settings);
      if (problem) throw badRequest(problem, 'settings');
      patch.settings = JSON.stringify(readPartySettings(registry, body.settings));
    }
    if (body.paused !== undefined) {
      if (typeof body.paused !== 'boolean') throw badRequest('paused must be true or false', 'paused');
      patch.paused = body.paused;
    }
    const updated = await database.write(async (tx) => {
      if (body.activeGameSessionId !== undefined) {
        const id =
          body.activeGameSessionId === null ? null : checkId(body.activeGameSessionId, 'activeGameSessionId');
        if (id !== null) {
          const s = await findSession(tx, id).catch(() => undefined);
          if (!s || s.partyId !== p.id)
            throw badRequest(`game session "${id}" is not one of this party's`, 'activeGameSessionId');
        }
        patch.activeGameSessionId = id;
      }
      if (body.activeSceneId !== undefined) {
        const id = body.activeSceneId === null ? null : checkId(body.activeSceneId, 'activeSceneId');
        if (id !== null) {
          const row = await getScene(tx, id);
          // A scene the GM just made may be shown before its room has saved it: not an error, "try again soon".
          if (!row)
            throw new HttpError(
              409,
              `scene "${id}" is not saved yet; retry after its room saves it`,
              'activeSceneId',
            );
          const s = await findSession(tx, row.gameSessionId);
          if (!s || s.partyId !== p.id)
            throw badRequest(`scene "${id}" is not one of this party's`, 'activeSceneId');
        }
        patch.activeSceneId = id;
      }
      if (Object.keys(patch).length === 0) return p;
      const [row] = await tx.update(party).set(patch).where(eq(party.id, p.id)).returning();
      return row!;
    });
    return c.json(partyState(registry, updated));
  });

  return app;
}

function partyState(
  registry: Registry,
  p: {
    id: string;
    activeGameSessionId: string | null;
    activeSceneId: string | null;
    paused: boolean;
    settings: string;
  },
): InternalPartyState {
  return {
    partyId: p.id,
    activeGameSessionId: p.activeGameSessionId,
    activeSceneId: p.activeSceneId,
    paused: p.paused,
    settings: readPartySettings(registry, parseJson(p.settings)),
  };
}

/** A stored JSON column's value; unparseable text reads as nothing (every setting at its default). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
