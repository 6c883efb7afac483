import { Hono } from 'hono';
import { eq, sql } from 'drizzle-orm';
import { duplicateScene, getScene, loadScenes, newId, summaryOf } from '../../engine/db';
import { scene } from '../../engine/generated/tables';
import { authorize } from '../auth';
import { checkName, onlyFields, optionalName, readJsonObject } from '../body';
import type { AppDeps } from '../context';
import { HttpError, notFound } from '../errors';
import { findScene } from '../lookup';
import { sweepAfterDeletion } from '../partyUploads';
import { notifyRoom, reloadRoomScenes } from '../roomControl';

/** `/api/scenes/:sceneId`: rename, duplicate, delete (GM), and ask the live room to reload it from the database. */
export function sceneRoutes(deps: AppDeps): Hono {
  const { database, registry } = deps;
  const app = new Hono();

  app.patch('/:sceneId', async (c) => {
    const { scene: row, session } = await findScene(database.db, c.req.param('sceneId'));
    await authorize(c, deps, session.partyId, ['gm']);
    const body = await readJsonObject(c);
    onlyFields(body, ['name']);
    const name = checkName(body.name);
    const [updated] = await database.write((tx) =>
      // A change through the API is newer than every save so far, even one stamped by a clock slightly ahead.
      tx
        .update(scene)
        .set({ name, lastUpdated: sql`max(${scene.lastUpdated} + 1, ${Date.now()})` })
        .where(eq(scene.id, row.id))
        .returning(),
    );
    notifyRoom(deps, session.id, [row.id]);
    return c.json({ scene: summaryOf(updated!) });
  });

  // Copies the scene with its collection members and blobs; the copy goes right after the original.
  app.post('/:sceneId/duplicate', async (c) => {
    const { scene: row, session } = await findScene(database.db, c.req.param('sceneId'));
    await authorize(c, deps, session.partyId, ['gm']);
    const body = await readJsonObject(c);
    onlyFields(body, ['name']);
    const name = optionalName(body.name) ?? `${row.name} (copy)`.slice(0, 120);
    const copy = await database.write(async (tx) => {
      // Read again inside the transaction so a save that landed meanwhile is copied too.
      const fresh = await getScene(tx, row.id);
      if (!fresh) throw notFound('scene', row.id);
      const [stored] = await loadScenes(registry, tx, [fresh]);
      return duplicateScene(registry, tx, stored!, { id: newId(), name, now: Date.now() });
    });
    notifyRoom(deps, session.id, [copy.id]);
    return c.json({ scene: summaryOf(copy) }, 201);
  });

  app.delete('/:sceneId', async (c) => {
    const { scene: row, session } = await findScene(database.db, c.req.param('sceneId'));
    await authorize(c, deps, session.partyId, ['gm']);
    await database.write((tx) => tx.delete(scene).where(eq(scene.id, row.id)));
    notifyRoom(deps, session.id, [row.id]);
    await sweepAfterDeletion(deps, session.partyId);
    return c.body(null, 204);
  });

  // "Reload from database": the GM saw drift between the live doc and the database and picked the database.
  app.post('/:sceneId/reload', async (c) => {
    const { scene: row, session } = await findScene(database.db, c.req.param('sceneId'));
    await authorize(c, deps, session.partyId, ['gm']);
    const result = await reloadRoomScenes(deps, session.id, [row.id]);
    if (!result.ok) throw new HttpError(502, result.reason);
    return c.json({ reloaded: true, sceneId: row.id, gameSessionId: session.id });
  });

  return app;
}
