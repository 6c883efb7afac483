/**
 * Seeded convergence fuzz against the real `partykit dev` and app server:
 * four GM clients (YPartyKitProvider) make random registry-valid edits —
 * scene properties, markers added, edited, deleted — with random pauses,
 * while connections drop and come back. At the end every GM holds the same
 * StageProps, the player holds exactly the player view of it, and the DB
 * holds the same after the final save. The seed is printed on failure;
 * `FUZZ_SEED=<n>` replays one, `FUZZ_STEPS=<n>` runs longer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../../engine/generated';
import { readSceneProps } from '../../../engine/sync/docLayout';
import { roomPlugins } from '../../../partykit/generated/roomPlugins';
import { playerShownValue } from '../../support/playerShown';
import { validValue } from '../../support/arbitraries';
import type { PartykitDev } from '../../harness/partykit';
import {
  INTERNAL_SECRET,
  RawClient,
  createParty,
  dbScene,
  providerClient,
  roomUrl,
  sceneOf,
  sleep,
  startApp,
  startRooms,
  waitFor,
  type AppHandle,
} from './support';

let app: AppHandle;
let pk: PartykitDev;

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
});

afterAll(async () => {
  await pk?.stop();
  await app?.close();
});

/** mulberry32: small, seedable, good enough to pick actions. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const json = (v: unknown) => JSON.stringify(v);
/** JSON with object keys sorted: member maps iterate in each client's integration order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );

describe('convergence fuzz', () => {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const steps = Number(process.env.FUZZ_STEPS ?? 150);

  it(`GMs, a player and the DB end identical (seed ${seed})`, async () => {
    const random = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    // Through JSON: fast-check builds records without a prototype, which Y.js refuses as content.
    const value = (decl: Parameters<typeof validValue>[0]): unknown =>
      JSON.parse(json(fc.sample(validValue(decl), { seed: Math.floor(random() * 2 ** 31), numRuns: 1 })[0]));

    const party = await createParty(app, `Fuzz ${seed}`);
    const gms = Array.from({ length: 4 }, () =>
      providerClient(pk, 'game_session', party.gameSessionId, party.gm),
    );
    const player = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, party.player));
    try {
      await Promise.all(gms.map((g) => g.whenSynced()));
      await player.whenSynced();
      // Plugins that occlude (fog) are left at their defaults: the room leaves members under them out of the
      // player view on purpose (tested in shownScene.test.ts), which this fuzz's expected view does not model.
      const occluding = new Set(roomPlugins.filter((r) => r.occlusion).map((r) => r.name));
      const scenePlugins = registry.scenePlugins.filter(
        (p) => !occluding.has(p.name) && p.props.some((prop) => !prop.localOnly),
      );
      const collection = registry.collections[0]!;
      const memberIds: string[] = [];

      for (let step = 0; step < steps; step++) {
        const gm = pick(gms);
        const scene = sceneOf(gm.doc, party.sceneId)!;
        const r = random();
        if (r < 0.08) {
          // Drop or restore a connection; edits made meanwhile merge on reconnect.
          if (gm.provider.shouldConnect) gm.provider.disconnect();
          else gm.provider.connect();
        } else if (r < 0.55) {
          const plugin = pick(scenePlugins);
          const prop = pick(plugin.props.filter((p) => !p.localOnly));
          (scene.get(plugin.key) as Y.Map<unknown>).set(prop.yjsKey, value(prop.decl));
        } else if (r < 0.75 || memberIds.length === 0) {
          const id = `fz${seed.toString(36)}${step}`;
          memberIds.push(id);
          gm.doc.transact(() => {
            const m = new Y.Map<unknown>();
            (scene.get(collection.key) as Y.Map<unknown>).set(id, m);
            for (const prop of collection.props)
              if (random() < 0.5) m.set(prop.yjsKey, playerShownValue(collection, prop, value(prop.decl)));
          });
        } else if (r < 0.93) {
          const member = (scene.get(collection.key) as Y.Map<unknown>).get(pick(memberIds));
          if (member instanceof Y.Map) {
            const prop = pick(collection.props);
            member.set(prop.yjsKey, playerShownValue(collection, prop, value(prop.decl)));
          }
        } else {
          (scene.get(collection.key) as Y.Map<unknown>).delete(pick(memberIds));
        }
        if (random() < 0.3) await sleep(Math.floor(random() * 30));
      }

      for (const g of gms) if (!g.provider.shouldConnect) g.provider.connect();
      const stateOf = (doc: Y.Doc) => canonical(readSceneProps(sceneOf(doc, party.sceneId)!, registry, 'gm'));
      await waitFor(
        `every GM to converge (seed ${seed})`,
        () => gms.every((g) => g.provider.synced) && new Set(gms.map((g) => stateOf(g.doc))).size === 1,
        30_000,
      );
      const final = readSceneProps(sceneOf(gms[0]!.doc, party.sceneId)!, registry, 'gm');
      const playerView = canonical(readSceneProps(sceneOf(gms[0]!.doc, party.sceneId)!, registry, 'player'));
      await waitFor(`the player to hold the player view (seed ${seed})`, () => {
        const scene = sceneOf(player.doc, party.sceneId);
        return scene && canonical(readSceneProps(scene, registry, 'player')) === playerView;
      });

      const flushed = await fetch(`${pk.httpUrl}/parties/game_session/${party.gameSessionId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
        body: JSON.stringify({ action: 'flush' }),
      });
      expect(flushed.status, `seed ${seed}`).toBe(200);
      await waitFor(`the DB to hold the final state (seed ${seed})`, async () => {
        const db = await dbScene(app, party.gameSessionId, party.sceneId);
        return db && canonical(db.props) === canonical(final);
      });
      const status = (await flushed.json()) as { pendingSave: boolean };
      expect(status.pendingSave, `seed ${seed}`).toBe(false);
    } finally {
      for (const g of gms) g.provider.destroy();
      player.close();
    }
  });
});
