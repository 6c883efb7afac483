/**
 * Soak: one GM and 20 spectators for a fixed number of edit + cursor cycles
 * against the real stack. Budgets (stated here, checked at the end):
 *
 * - room state (V2 snapshot of the authoritative doc) ≤ STATE_BUDGET, and
 *   not growing: the second half of the run adds at most STATE_GROWTH
 *   (GC is on, so overwritten values do not pile up);
 * - `partykit dev` resident memory grows by at most MEMORY_GROWTH_BUDGET;
 * - no spectator is closed, every spectator ends on the player projection,
 *   and after the final save no scene shows drift (DB newer than the room).
 *
 * Bounded by default; `SOAK=1` runs ten times as many cycles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSceneDrift, sceneLastUpdated } from '../../engine/sync/drift';
import { RawClient, createParty, roomUrl, sleep, waitFor } from '../integration/partykit/support';
import { collections, memberIds, randomEdit, sceneData, stable } from './support/edits';
import { SOAK, withSeed } from './support/seed';
import { flushRoom, roomStatus, serverMemoryBytes, startStack, type Stack } from './support/stack';

const SPECTATORS = 20;
const CYCLES = SOAK ? 4000 : 400;
const MAX_MEMBERS = 40;
const STATE_BUDGET = 256 * 1024;
const STATE_GROWTH = 32 * 1024;
const MEMORY_GROWTH_BUDGET = 200 * 1024 * 1024;

let stack: Stack;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  for (const c of cleanups) c();
  await stack?.close();
});

describe('soak', () => {
  it(`1 GM + ${SPECTATORS} spectators, ${CYCLES} edit and cursor cycles: state and memory within budget, no drift`, () =>
    withSeed('soak', async (rng) => {
      const { pk, app } = stack;
      const party = await createParty(app, 'Soak party');
      const url = (token: string) => roomUrl(pk, 'game_session', party.gameSessionId, token);
      const gm = await RawClient.connect(url(party.gm));
      cleanups.push(() => gm.close());
      await gm.whenSynced();
      const spectators = await Promise.all(
        Array.from({ length: SPECTATORS }, async () => {
          const c = await RawClient.connect(url(party.player));
          cleanups.push(() => c.close());
          await c.whenSynced();
          return c;
        }),
      );
      const memoryBefore = serverMemoryBytes(pk);
      const counter = { n: 0 };
      let midState = 0;
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const members = collections.reduce((n, c) => n + memberIds(gm.doc, party.sceneId, c).length, 0);
        randomEdit(
          gm.doc,
          party.sceneId,
          rng,
          'soak',
          counter,
          members >= MAX_MEMBERS
            ? ['prop', 'member', 'delete']
            : ['prop', 'member', 'member', 'add', 'delete'],
        );
        // Cursors at most at the client's rate (30 Hz), within the room's presence budget.
        if (cycle % 2 === 0)
          gm.publishAwareness({ cursor: { x: rng.int(0, 4000), y: rng.int(0, 4000) }, user: { name: 'GM' } });
        for (let i = 0; i < 3; i++)
          rng.pick(spectators).publishAwareness({ cursor: { x: rng.int(0, 4000), y: rng.int(0, 4000) } });
        // About 60 GM messages a second: a busy GM dragging, well inside the room's rate limits.
        await sleep(15);
        if (cycle === Math.floor(CYCLES / 2))
          midState = (await roomStatus(pk, party.gameSessionId)).stateBytes;
      }

      const projection = () => stable(sceneData(gm.doc, party.sceneId, 'player').props);
      await waitFor(
        'every spectator to hold the player projection',
        () =>
          spectators.every((s) => stable(sceneData(s.doc, party.sceneId, 'player').props) === projection()),
        60_000,
      );
      for (const s of spectators) expect(s.closed, 'a spectator was closed').toBeUndefined();
      expect(gm.closed, 'the GM was closed').toBeUndefined();

      const status = await flushRoom(pk, party.gameSessionId);
      const memoryAfter = serverMemoryBytes(pk);
      const report = {
        cycles: CYCLES,
        stateBytes: status.stateBytes,
        midStateBytes: midState,
        viewStateBytes: status.viewStateBytes,
        memoryBeforeMiB: +(memoryBefore / 2 ** 20).toFixed(1),
        memoryAfterMiB: +(memoryAfter / 2 ** 20).toFixed(1),
      };
      console.info('soak:', report);
      expect(status.stateBytes).toBeLessThanOrEqual(STATE_BUDGET);
      expect(status.viewStateBytes).toBeLessThanOrEqual(STATE_BUDGET);
      expect(status.stateBytes - midState, 'state grows with edits (GC not collecting?)').toBeLessThanOrEqual(
        STATE_GROWTH,
      );
      expect(memoryAfter - memoryBefore).toBeLessThanOrEqual(MEMORY_GROWTH_BUDGET);

      // No drift: the DB is not newer than what the room last saved, for any scene.
      await waitFor('the save to be recorded in the doc', async () => {
        const res = await fetch(`${app.url}/api/sessions/${party.gameSessionId}/timestamps`, {
          headers: { authorization: `Bearer ${party.gm}` },
        });
        const timestamps = (await res.json()) as Record<string, number>;
        return (
          Object.entries(timestamps).every(
            ([id, ts]) => !checkSceneDrift(gm.doc, id, ts) && sceneLastUpdated(gm.doc, id) === ts,
          ) && timestamps[party.sceneId]
        );
      });
      const stored = (await app.internal('GET', `/internal/sessions/${party.gameSessionId}`)).body as {
        scenes: Array<{ id: string; props: unknown }>;
      };
      expect(stable(stored.scenes.find((s) => s.id === party.sceneId)!.props)).toBe(
        stable(sceneData(gm.doc, party.sceneId).props),
      );
    }));
});
