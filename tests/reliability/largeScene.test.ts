/**
 * A large but legal scene — thousands of members with random registry-valid
 * props and megabytes of fog tiles — written through the editor's provider
 * (chunked), must reach other clients and the DB exactly, and reload exactly
 * after a SIGKILL (from the room's storage, values chunked below the
 * storage's per-value limit) and after the room's storage is lost (from the
 * DB alone).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBlobs, getSceneMap } from '../../engine/sync/docLayout';
import {
  RawClient,
  createParty,
  providerClient,
  roomUrl,
  sleep,
  waitFor,
  type TestParty,
} from '../integration/partykit/support';
import { addMember, collections, memberId, randomTile, sceneData, stable, tileKey } from './support/edits';
import { LONG, withSeed } from './support/seed';
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

async function raw(party: TestParty, token = party.gm): Promise<RawClient> {
  const c = await RawClient.connect(roomUrl(stack.pk, 'game_session', party.gameSessionId, token));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

async function dbData(party: TestParty) {
  const res = await stack.app.internal('GET', `/internal/sessions/${party.gameSessionId}`);
  const scene = (
    res.body.scenes as Array<{ id: string; name: string; props: unknown; blobs: Record<string, string> }>
  ).find((s) => s.id === party.sceneId)!;
  return { props: scene.props, name: scene.name, blobs: scene.blobs };
}

describe('a large legal scene', () => {
  const MEMBERS = LONG ? 10_000 : 1500;
  // Dense fog tiles (runs of 1–2 cells) are about 3 KB each: 512 of them make the 1.5 MiB.
  const TILES = LONG ? 2048 : 512;
  const TILE_BYTES = 3 * 1024;
  it(`${MEMBERS} members with random valid props and ${(TILES * TILE_BYTES) / 2 ** 20} MiB of fog tiles persist and reload exactly (room storage, then DB alone)`, () =>
    withSeed('large-scene', async (rng) => {
      const { pk } = stack;
      const party = await createParty(stack.app, 'Large party');
      const gm = providerClient(pk, 'game_session', party.gameSessionId, party.gm);
      cleanups.push(() => gm.provider.destroy());
      await gm.whenSynced();
      const collection = collections[0];
      // Several transactions, each well below the room's message limit; the provider chunks the big ones.
      for (let at = 0; collection && at < MEMBERS; at += 1000)
        gm.doc.transact(() => {
          for (let i = at; i < Math.min(MEMBERS, at + 1000); i++)
            addMember(gm.doc, party.sceneId, collection, memberId('big', i), rng);
        });
      for (let at = 0; at < TILES; at += 256) {
        gm.doc.transact(() => {
          const blobs = getBlobs(getSceneMap(gm.doc, party.sceneId)!, true)!;
          for (let i = at; i < Math.min(TILES, at + 256); i++)
            blobs.set(tileKey(i % 64, Math.floor(i / 64)), randomTile(rng, 2));
        });
        await sleep(300); // stay under the room's bytes-per-second budget
      }
      const want = stable(sceneData(gm.doc, party.sceneId));
      const watcher = await raw(party);
      await waitFor(
        'the watcher to hold the whole scene',
        () => stable(sceneData(watcher.doc, party.sceneId)) === want,
        120_000,
      );
      await waitFor(
        'the DB to hold it exactly',
        async () => {
          await flushRoom(pk, party.gameSessionId);
          return stable(await dbData(party)) === want;
        },
        120_000,
      );
      gm.provider.destroy();
      watcher.close();

      await pk.kill('SIGKILL');
      await pk.restart();
      const fromStorage = await raw(party);
      expect(stable(sceneData(fromStorage.doc, party.sceneId)), 'reloaded from room storage').toBe(want);
      fromStorage.close();

      // Lose the room's storage entirely: the DB alone must bring the scene back.
      await pk.kill('SIGKILL');
      for (const entry of readdirSync(pk.persistDir))
        rmSync(join(pk.persistDir, entry), { recursive: true, force: true });
      await pk.restart();
      const fromDb = await raw(party);
      expect(stable(sceneData(fromDb.doc, party.sceneId)), 'reloaded from the DB').toBe(want);
    }));
});
