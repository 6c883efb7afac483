/**
 * "Show to players" on a scene made a moment ago: the party room saves the
 * active scene before the game-session room has saved the scene itself. The
 * DB refuses that with 409 ("not saved yet") and the party room retries, so
 * the DB ends up pointing at the new scene instead of keeping the old one.
 */
import { afterAll, beforeAll, it } from 'vitest';
import type { PartykitDev } from '../../harness/partykit';
import type { AppHandle } from '../partykit/support';
import { client, createParty, destroyAll, startApp, startRooms, waitFor } from './support';

let app: AppHandle;
let pk: PartykitDev;

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
});

afterAll(async () => {
  destroyAll();
  await pk?.stop();
  await app?.close();
});

it('a scene shown to players right after it was made becomes the party’s active scene in the DB', async () => {
  const party = await createParty(app, 'Show new');
  const gm = client(pk, party, 'gm');
  await gm.whenSynced();
  const sceneId = gm.addScene('Just made');
  gm.setActiveScene(sceneId);
  await waitFor(
    'the party state in the DB',
    async () =>
      (await app.internal('GET', `/internal/parties/${party.partyId}`)).body?.activeSceneId === sceneId,
  );
});
