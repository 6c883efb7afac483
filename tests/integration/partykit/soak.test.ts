/**
 * Bounded soak against the real `partykit dev`: one GM and 20 spectators
 * through edit and cursor cycles. With Y.js GC on, the room's state stays
 * small however many times values are overwritten, the player projection
 * stays as small as the GM doc, and the server's memory stays within budget.
 * `SOAK_CYCLES=<n>` runs longer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PartykitDev } from '../../harness/partykit';
import {
  INTERNAL_SECRET,
  RawClient,
  createParty,
  picks,
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
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
});

afterAll(async () => {
  for (const c of cleanups) c();
  await pk?.stop();
  await app?.close();
});

/**
 * Budgets. With GC on, an overwritten value leaves only a merged GC range of
 * a byte or two (measured ~1.7 B per overwrite, V2), so the 20-marker scene
 * may grow by at most 4 B per cycle (2 overwrites) over 8 KiB.
 */
const stateBudgetBytes = (cycles: number) => 8 * 1024 + 4 * cycles;
const MEMORY_GROWTH_BUDGET_BYTES = 150 * 1024 * 1024;

describe('soak', () => {
  it('one GM and 20 spectators: state size and server memory stay within budget', async () => {
    const cycles = Number(process.env.SOAK_CYCLES ?? 300);
    const party = await createParty(app, 'Soak');
    const url = (token: string) => roomUrl(pk, 'game_session', party.gameSessionId, token);
    const gm = await RawClient.connect(url(party.gm));
    cleanups.push(() => gm.close());
    await gm.whenSynced();
    const spectators = await Promise.all(
      Array.from({ length: 20 }, () => RawClient.connect(url(party.player))),
    );
    for (const s of spectators) cleanups.push(() => s.close());
    await Promise.all(spectators.map((s) => s.whenSynced()));
    const memoryBefore = pk.memoryBytes();

    const { collection, text } = picks.gmCollection();
    const position = collection.props.find((p) => p.decl.kind === 'point')!;
    const { plugin, prop, min, max } = picks.rangedNumber();
    const scene = sceneOf(gm.doc, party.sceneId)!;
    const members = scene.get(collection.key) as Y.Map<Y.Map<unknown>>;
    gm.doc.transact(() => {
      for (let i = 0; i < 20; i++) {
        const m = new Y.Map<unknown>();
        members.set(`soak${i}`, m);
        m.set(text.yjsKey, `token ${i}`);
      }
    });
    for (let c = 0; c < cycles; c++) {
      members.get(`soak${c % 20}`)!.set(position.yjsKey, { x: c, y: -c });
      (scene.get(plugin.key) as Y.Map<unknown>).set(prop.yjsKey, min + ((max - min) * (c % 100)) / 100);
      // The cursor at the client's rate (every other ~15 ms cycle), within the room's presence budget.
      if (c % 2 === 0) gm.publishAwareness({ cursor: { x: c, y: c }, user: { name: 'GM' } });
      // Paced like a fast GM (~200 messages/s), below the room's flood limit.
      await sleep(15);
    }
    const last = { x: cycles - 1, y: -(cycles - 1) };
    for (const s of spectators)
      await waitFor('every spectator to see the last move', () => {
        const m = (
          sceneOf(s.doc, party.sceneId)?.get(collection.key) as Y.Map<Y.Map<unknown>> | undefined
        )?.get(`soak${(cycles - 1) % 20}`);
        return JSON.stringify(m?.get(position.yjsKey)) === JSON.stringify(last);
      });
    expect(gm.closed).toBeUndefined();
    for (const s of spectators) expect(s.closed).toBeUndefined();

    const res = await fetch(`${pk.httpUrl}/parties/game_session/${party.gameSessionId}`, {
      headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
    });
    const status = (await res.json()) as { stateBytes: number; viewStateBytes: number; connections: number };
    const memoryGrowth = pk.memoryBytes() - memoryBefore;
    console.log(
      `soak: ${cycles} cycles, 21 connections: state ${status.stateBytes} B, view ${status.viewStateBytes} B, ` +
        `server memory growth ${(memoryGrowth / 1024 / 1024).toFixed(1)} MiB`,
    );
    expect(status.connections).toBe(21);
    expect(status.stateBytes).toBeLessThan(stateBudgetBytes(cycles));
    expect(status.viewStateBytes).toBeLessThan(stateBudgetBytes(cycles));
    expect(memoryGrowth).toBeLessThan(MEMORY_GROWTH_BUDGET_BYTES);
  });
});
