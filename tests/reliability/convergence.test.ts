/**
 * Convergence fuzz: 3–5 GM clients make random registry-valid edits with
 * random message delays, reordering, drops (disconnects that lose what was
 * in flight) and reconnects, against the real `partykit dev`, app server and
 * DB. At the end every client, a fresh client, the player projection and
 * the DB (after the final save) hold the same scene, and no client has
 * updates waiting for missing predecessors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../engine/generated';
import { RawClient, createParty, dbScene, roomUrl, sleep, waitFor } from '../integration/partykit/support';
import { noPending, randomEdit, sceneData, stable } from './support/edits';
import { FuzzClient } from './support/fuzzClient';
import { LONG, Rng, withSeed } from './support/seed';
import { flushRoom, startStack, type Stack } from './support/stack';

let stack: Stack;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  for (const c of cleanups) c();
  await stack?.close();
});

const STEPS = LONG ? 5000 : 800;

describe('convergence', () => {
  it(`3–5 GM clients, ${STEPS} random edits with delays, reorders, drops and reconnects: identical everywhere, DB included`, () =>
    withSeed('convergence', async (rng) => {
      const { app, pk } = stack;
      const party = await createParty(app, 'Convergence party');
      const url = () => roomUrl(pk, 'game_session', party.gameSessionId, party.gm);
      const count = rng.int(3, 5);
      const clients = Array.from(
        { length: count },
        () => new FuzzClient(url, new Rng(rng.fork()), rng.int(0, 60)),
      );
      cleanups.push(...clients.map((c) => () => c.destroy()));
      await Promise.all(clients.map((c) => c.connect()));
      await waitFor('every client to sync', () => clients.every((c) => c.synced));
      const player = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, party.player));
      cleanups.push(() => player.close());

      const counters = clients.map(() => ({ n: 0 }));
      let drops = 0;
      for (let step = 0; step < STEPS; step++) {
        const i = rng.int(0, count - 1);
        const c = clients[i]!;
        if (c.connected && rng.chance(0.03)) {
          c.drop();
          drops++;
        } else if (!c.connected && rng.chance(0.25)) {
          await c.connect();
        } else {
          // Offline clients edit too: their edits reach the room through the next handshake.
          randomEdit(c.doc, party.sceneId, rng, `c${i}x`, counters[i]!);
        }
        if (rng.chance(0.3)) await sleep(rng.int(0, 20));
      }

      for (const c of clients) {
        c.settle();
        if (!c.connected) await c.connect();
      }
      for (const c of clients) expect(c.refused, 'no client was closed by the room').toBeUndefined();
      const reference = () => stable(sceneData(clients[0]!.doc, party.sceneId));
      await waitFor(
        'every client to hold the same scene with nothing queued or pending',
        () =>
          clients.every(
            (c) =>
              c.synced &&
              c.queued === 0 &&
              noPending(c.doc) &&
              stable(sceneData(c.doc, party.sceneId)) === reference(),
          ),
        60_000,
      );
      const final = sceneData(clients[0]!.doc, party.sceneId);

      const fresh = await RawClient.connect(url());
      cleanups.push(() => fresh.close());
      await fresh.whenSynced();
      expect(stable(sceneData(fresh.doc, party.sceneId))).toBe(stable(final));

      // The player holds exactly the player projection of the same scene.
      await waitFor(
        'the player projection to match',
        () =>
          stable(sceneData(player.doc, party.sceneId, 'player').props) ===
          stable(sceneData(fresh.doc, party.sceneId, 'player').props),
      );
      expect(player.closed).toBeUndefined();

      await flushRoom(pk, party.gameSessionId);
      const stored = await dbScene(app, party.gameSessionId, party.sceneId);
      const full = (await app.internal('GET', `/internal/sessions/${party.gameSessionId}`)).body as {
        scenes: Array<{ id: string; blobs: Record<string, string> }>;
      };
      expect(stable(stored!.props)).toBe(stable(final.props));
      expect(stored!.name).toBe(final.name);
      expect(stable(full.scenes.find((s) => s.id === party.sceneId)!.blobs)).toBe(stable(final.blobs));
      console.info(
        `convergence: ${count} clients, ${STEPS} steps, ${drops} drops, ${Object.keys(final.props[registry.collections[0]?.key as keyof typeof final.props] ?? {}).length} members at the end`,
      );
    }));
});
