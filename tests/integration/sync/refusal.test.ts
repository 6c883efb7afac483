/**
 * A room that refuses a client for good (a token for another party) must not
 * be retried forever: the manager reports why and stops reconnecting, so the
 * editor can say "this link is for another party" instead of spinning.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PartykitDev } from '../../harness/partykit';
import type { AppHandle } from '../partykit/support';
import { client, createParty, destroyAll, sleep, startApp, startRooms, waitFor } from './support';

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
