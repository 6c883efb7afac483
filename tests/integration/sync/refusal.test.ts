/**
 * (Both tests stop and restart nothing but what they start; the stale test
 * restarts the shared rooms, so it runs last.)
 *
 * A room that refuses a client for good (a token for another party) must not
 * be retried forever: the manager reports why and stops reconnecting, so the
 * editor can say "this link is for another party" instead of spinning.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PartykitDev } from '../../harness/partykit';
import type { AppHandle } from '../partykit/support';
import { rmSync } from 'node:fs';
import {
  client,
  createParty,
  dbScene,
  destroyAll,
  numberAt,
  pathOf,
  rangedNumbers,
  sleep,
  startApp,
  startRooms,
  valueIn,
  waitFor,
} from './support';

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

it("stops reconnecting and says why when a game session's room refuses a token for another party", async () => {
  const mine = await createParty(app, 'Mine');
  const other = await createParty(app, 'Other');
  // A valid GM token, but for another party, aimed at this party's game session.
  const m = client(pk, mine, 'intruder', { token: other.gm });
  await waitFor('the refusal', () => m.getConnectionStatus().refused !== undefined);
  expect(m.getConnectionStatus()).toMatchObject({ gameSession: 'disconnected', overall: 'disconnected' });
  expect(m.getConnectionStatus().refused).toMatch(/party/i);
  await sleep(1500); // several backoff periods (maxBackoffTime 400 ms): still not reconnecting
  expect(m.getConnectionStatus().gameSession).toBe('disconnected');
  expect(m.getScenes()).toEqual([]);
});

it('a player whose document the room can no longer take back is told it is stale and stops reconnecting', async () => {
  const party = await createParty(app, 'Stale');
  const prop = rangedNumbers[0]!;
  const gm = client(pk, party, 'gm');
  const player = client(pk, party, 'player', { view: 'player' });
  await Promise.all([gm.whenSynced(), player.whenSynced()]);
  const value = numberAt(prop, 0.2);
  gm.queuePropertyUpdate(pathOf(prop), value, party.sceneId);
  await waitFor('the player to see the edit', () => valueIn(player, party.sceneId, pathOf(prop)) === value);
  await waitFor('the save', async () => {
    const scene = await dbScene(app, party.gameSessionId, party.sceneId);
    return (scene?.props as Record<string, Record<string, unknown>>)[prop.plugin.key]?.[prop.key] === value;
  });
  gm.destroy();

  // The room loses its storage while the player waits to reconnect: its document holds items the room never had.
  await pk.kill('SIGKILL');
  rmSync(pk.persistDir, { recursive: true, force: true });
  await pk.restart();

  await waitFor('the stale status', () => player.getConnectionStatus().stale === true);
  expect(player.getConnectionStatus().gameSession).toBe('disconnected');
  await sleep(1500);
  expect(player.getConnectionStatus().gameSession).toBe('disconnected');
});
