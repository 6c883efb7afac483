/**
 * Presence (awareness) from a hostile player against the real `partykit dev`:
 * what other clients receive holds only the fields the presence schema
 * declares, validated; and a player flooding presence is cut off while the
 * listeners receive a bounded amount and an honest 30 Hz client keeps going.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartykitDev } from '../../harness/partykit';
import {
  RawClient,
  createParty,
  roomUrl,
  sleep,
  startApp,
  startRooms,
  waitFor,
  type AppHandle,
  type TestParty,
} from './support';

let app: AppHandle;
let pk: PartykitDev;
let party: TestParty;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
  party = await createParty(app, 'Presence party');
});

afterAll(async () => {
  for (const c of cleanups) c();
  await pk?.stop();
  await app?.close();
});

async function connect(token: string): Promise<RawClient> {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

const ATTACKER_URL = 'http://attacker.invalid/x.png';

describe('presence schema', () => {
  it('a raw player client’s hostile presence reaches others with only validated fields', async () => {
    const observer = await connect(party.gm);
    const player = await connect(party.player);
    const id = player.doc.clientID;
    // Too large to be honest: dropped whole.
    player.sendAwareness(id, { user: { name: 'N'.repeat(10_000) }, cursor: { x: 1, y: 1 } }, 1);
    // Small enough, but every field hostile.
    player.sendAwareness(
      id,
      {
        user: {
          id: 'the-gm',
          role: 'gm',
          name: `Mallory${'!'.repeat(200)}`,
          color: `red;background:url(${ATTACKER_URL})`,
        },
        cursor: { x: 10, y: 20, s: party.sceneId, html: '<img>' },
        overlay: `<div style="position:fixed;inset:0;background:url(${ATTACKER_URL})">owned</div>`,
        p: [{ s: party.sceneId, k: ['a', 'b'], v: 1 }],
      },
      2,
    );
    const state = await waitFor('the observer to see the player', () =>
      observer.awareness.getStates().get(id),
    );
    expect(state).toEqual({
      user: { name: `Mallory${'!'.repeat(33)}`, id: expect.stringMatching(/^socket:/), role: 'player' },
      cursor: { x: 10, y: 20, s: party.sceneId },
    });
    const bytes = observer.allBytes().toString('latin1');
    expect(bytes).not.toContain('attacker.invalid');
    expect(bytes).not.toContain('NNNNNNNNNN');
    expect(bytes).not.toContain('the-gm');
  });
});

describe('presence budget', () => {
  it('cuts off a presence flood; listeners receive a bounded amount; an honest 30 Hz client keeps going', async () => {
    const listeners = [await connect(party.gm), await connect(party.player), await connect(party.player)];
    const honest = await connect(party.player);
    const flooder = await connect(party.player);
    let x = 0;
    // The editor's cursor rate: one update every 34 ms.
    const ticker = setInterval(() => honest.publishAwareness({ cursor: { x: ++x, y: 0 } }), 34);
    cleanups.push(() => clearInterval(ticker));
    await waitFor('listeners to see the honest cursor', () =>
      listeners.every((l) => l.awareness.getStates().has(honest.doc.clientID)),
    );
    const before = listeners.map((l) => l.allBytes().byteLength);

    // ~250 updates a second of ~1.5 KB states: under the frame limits, far above any cursor rate.
    const padding = 'x'.repeat(1500);
    let clock = 1;
    for (let round = 0; round < 10 && !flooder.closed; round++) {
      for (let i = 0; i < 100; i++)
        flooder.sendAwareness(flooder.doc.clientID, { cursor: { x: clock, y: 0 }, pad: padding }, clock++);
      await sleep(400);
    }
    const closed = await flooder.whenClosed();
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/presence/);
    await waitFor('the flooder’s state to be removed', () =>
      listeners.every((l) => !l.awareness.getStates().has(flooder.doc.clientID)),
    );

    // The flood sent ~200+ updates (300+ KB) before the cut; a listener got a small share.
    const received = listeners.map((l, i) => l.allBytes().byteLength - before[i]!);
    for (const bytes of received) expect(bytes).toBeLessThan(64 * 1024);

    // The honest client was never cut off and its cursor still reaches everyone.
    const target = x + 5;
    await waitFor('listeners to see the honest cursor move on', () =>
      listeners.every((l) => {
        const s = l.awareness.getStates().get(honest.doc.clientID) as { cursor?: { x: number } } | undefined;
        return (s?.cursor?.x ?? 0) >= target;
      }),
    );
    expect(honest.closed).toBeUndefined();
    for (const l of listeners) expect(l.closed).toBeUndefined();
  });
});
