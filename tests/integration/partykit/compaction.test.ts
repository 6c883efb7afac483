/**
 * Document compaction (engine/sync/epoch.ts) against the real `partykit dev`:
 * a crash (SIGKILL) in the middle of a compaction loses nothing, and a
 * player's projection follows the new epoch on its open connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PartykitDev } from '../../harness/partykit';
import { epochOf } from '../../../engine/sync/epoch';
import {
  INTERNAL_SECRET,
  RawClient,
  createParty,
  picks,
  providerClient,
  roomUrl,
  sceneOf,
  startApp,
  startRooms,
  waitFor,
  type AppHandle,
  type TestParty,
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

function control(gameSessionId: string, body: unknown) {
  return fetch(`${pk.httpUrl}/parties/game_session/${gameSessionId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTERNAL_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function raw(party: TestParty, token = party.gm) {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

function collectionOf(doc: Y.Doc, sceneId: string, key: string): Y.Map<unknown> {
  const g = sceneOf(doc, sceneId)?.get(key);
  if (!(g instanceof Y.Map)) throw new Error(`no ${key} map in scene ${sceneId}`);
  return g as Y.Map<unknown>;
}

function member(label: string): Y.Map<unknown> {
  const { collection, text } = picks.gmCollection();
  const m = new Y.Map<unknown>();
  for (const prop of collection.props) m.set(prop.yjsKey, prop.key === text.key ? label : prop.decl.default);
  return m;
}

describe('document compaction in the room', () => {
  it('a player projection follows the epoch on its open connection', async () => {
    const party = await createParty(app);
    const gm = await raw(party);
    const player = providerClient(pk, 'game_session', party.gameSessionId, party.player);
    cleanups.push(() => player.provider.destroy());
    await player.whenSynced();
    let closes = 0;
    player.provider.on('connection-close', () => closes++);
    const { plugin, prop, min, max } = picks.rangedNumber();
    const group = () => sceneOf(gm.doc, party.sceneId)!.get(plugin.key) as Y.Map<unknown>;
    gm.doc.transact(() => group().set(prop.yjsKey, max));
    await waitFor('the player to see the edit', () => sceneOf(player.doc, party.sceneId) !== undefined);
    const res = await control(party.gameSessionId, { action: 'compact' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { epoch: number }).epoch).toBe(1);
    await waitFor('the player doc to switch epoch', () => epochOf(player.doc) === 1);
    await waitFor('the GM doc to switch epoch', () => epochOf(gm.doc) === 1);
    gm.doc.transact(() => group().set(prop.yjsKey, min));
    await waitFor(
      'the player to see an edit made in the new epoch',
      () => (sceneOf(player.doc, party.sceneId)?.get(plugin.key) as Y.Map<unknown>)?.get(prop.yjsKey) === min,
    );
    expect(closes).toBe(0);
  });

  it('loses nothing when partykit dev is SIGKILLed in the middle of a compaction', async () => {
    const { collection } = picks.gmCollection();
    const party = await createParty(app);
    const writer = await raw(party);
    const witness = await raw(party);
    for (let i = 0; i < 200; i++)
      writer.doc.transact(() =>
        collectionOf(writer.doc, party.sceneId, collection.key).set(`m${i}`, member(`label ${i}`)),
      );
    await waitFor(
      'the witness to see every member',
      () => collectionOf(witness.doc, party.sceneId, collection.key).size >= 200,
    );
    const acknowledged = [...collectionOf(witness.doc, party.sceneId, collection.key).keys()];
    // The compaction runs (copy, log write, snapshot chunks, head) while the process is killed.
    // The reply (or its body) may be cut off by the kill: either way is fine here.
    const compacting = control(party.gameSessionId, { action: 'compact' })
      .then((r) => r.text())
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5));
    await pk.kill('SIGKILL');
    await compacting;
    await pk.restart();
    const fresh = await raw(party);
    const after = collectionOf(fresh.doc, party.sceneId, collection.key);
    for (const id of acknowledged) expect(after.has(id), `acknowledged member ${id}`).toBe(true);
    // The room still compacts (and stays whole) after the crash.
    const res = await control(party.gameSessionId, { action: 'compact' });
    expect(res.status).toBe(200);
    const again = await raw(party);
    expect(collectionOf(again.doc, party.sceneId, collection.key).size).toBe(acknowledged.length);
  });
});
