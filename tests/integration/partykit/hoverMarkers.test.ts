/**
 * Hover markers through the real rooms (issue 13, item 6): a marker whose
 * visibility is `hover` reaches players only while a GM's marker presence
 * (hovered or selected in the editor) names it, and never its GM note. The
 * room checks the named ids — unknown ids, markers that are not hover
 * markers, markers of a scene players are not shown and players' values are
 * refused — and cuts off a connection that floods focus changes while
 * everyone else keeps being served. Asserted on the bytes a raw player
 * connection receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../../engine/generated/schemas';
import type { PartykitDev } from '../../harness/partykit';
import markerRoom from '../../../plugins/marker/room';
import {
  RawClient,
  createParty,
  roomUrl,
  sceneOf,
  sleep,
  startApp,
  startRooms,
  waitFor,
  type AppHandle,
  type TestParty,
} from './support';

const LURKER = 'Lurker behind the door 5b1e';
const NOTE = 'GM only: the lurker is the mayor 77c3';
const GUARD = 'Guard at the gate 0d4a';
const collection = registry.collections.find((c) => c.name === markerRoom.name)!;
const yjsKey = (prop: string) => collection.props.find((p) => p.key === prop)!.yjsKey;

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

async function client(party: TestParty, token: string): Promise<RawClient> {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

function markers(doc: Y.Doc, sceneId: string): Y.Map<unknown> {
  const m = sceneOf(doc, sceneId)?.get(collection.key);
  if (!(m instanceof Y.Map)) throw new Error('no markers in the scene');
  return m as Y.Map<unknown>;
}

function addMarker(gm: RawClient, sceneId: string, id: string, values: Record<string, unknown>): void {
  gm.doc.transact(() => {
    const m = new Y.Map<unknown>();
    markers(gm.doc, sceneId).set(id, m);
    for (const [k, v] of Object.entries(values)) m.set(yjsKey(k), v);
  });
}

/** A GM's focus on markers, as the editor publishes it (null clears it). */
const focus = (sceneId: string, ids: string[] | null) => (ids === null ? null : { s: sceneId, v: { ids } });

/** The party with a hover marker (with a GM note) and a plain one, a GM and the TV connected. */
async function table(name: string) {
  const party = await createParty(app, name);
  const gm = await client(party, party.gm);
  const tv = await client(party, party.player);
  addMarker(gm, party.sceneId, 'lurkermember1', {
    position: { x: 200, y: 120 },
    label: LURKER,
    visibility: 'hover',
    gmNote: NOTE,
  });
  addMarker(gm, party.sceneId, 'guardmember01', { position: { x: 40, y: 40 }, label: GUARD });
  await waitFor('the TV to receive the plain marker', () =>
    markers(tv.doc, party.sceneId).has('guardmember01'),
  );
  return { party, gm, tv };
}

const tvHas = (tv: RawClient, party: TestParty, id: string) => markers(tv.doc, party.sceneId).has(id);

/** Publishes a GM state and waits until the TV has the GM's state with this cursor (so it was handled). */
async function publish(gm: RawClient, tv: RawClient, x: number, marker: unknown): Promise<void> {
  gm.publishAwareness({ cursor: { x, y: 0 }, ...(marker === null ? {} : { marker }) });
  await waitFor('the TV to see the GM state', () => {
    const state = tv.awareness.getStates().get(gm.doc.clientID) as { cursor?: { x: number } } | undefined;
    return state?.cursor?.x === x;
  });
  await tv.roundTrip();
}

describe('hover markers through the room', () => {
  it('a hover marker reaches the TV only while a GM focuses it, and never its GM note', async () => {
    const { party, gm, tv } = await table('Hover party');
    expect(tvHas(tv, party, 'lurkermember1')).toBe(false);
    expect(tv.allBytes().includes(LURKER)).toBe(false);

    gm.publishAwareness({ cursor: { x: 1, y: 1 }, marker: focus(party.sceneId, ['lurkermember1']) });
    await waitFor('the TV to receive the hovered marker', () => tvHas(tv, party, 'lurkermember1'));
    const member = markers(tv.doc, party.sceneId).get('lurkermember1') as Y.Map<unknown>;
    expect(member.get(yjsKey('label'))).toBe(LURKER);
    expect(member.has(yjsKey('gmNote'))).toBe(false);

    // The GM moves off it: the TV loses it.
    gm.publishAwareness({ cursor: { x: 2, y: 1 } });
    await waitFor('the TV to lose the marker', () => !tvHas(tv, party, 'lurkermember1'));

    // Focused again, then the GM leaves: gone with the GM.
    gm.publishAwareness({ cursor: { x: 3, y: 1 }, marker: focus(party.sceneId, ['lurkermember1']) });
    await waitFor('the TV to receive it again', () => tvHas(tv, party, 'lurkermember1'));
    gm.close();
    await waitFor('the TV to lose it with the GM', () => !tvHas(tv, party, 'lurkermember1'));

    // A player joining later never sees it; nobody received the note.
    const late = await client(party, party.player);
    expect(tvHas(late, party, 'lurkermember1')).toBe(false);
    for (const c of [tv, late]) expect(c.allBytes().includes(NOTE)).toBe(false);
  });

  it('a hover marker made plain stays; made hover again while unfocused, it leaves the TV', async () => {
    const { party, gm, tv } = await table('Visibility party');
    gm.doc.transact(() =>
      (markers(gm.doc, party.sceneId).get('lurkermember1') as Y.Map<unknown>).set(
        yjsKey('visibility'),
        'always',
      ),
    );
    await waitFor('the TV to receive the now plain marker', () => tvHas(tv, party, 'lurkermember1'));
    gm.doc.transact(() =>
      (markers(gm.doc, party.sceneId).get('lurkermember1') as Y.Map<unknown>).set(
        yjsKey('visibility'),
        'hover',
      ),
    );
    await waitFor('the TV to lose it again', () => !tvHas(tv, party, 'lurkermember1'));
    expect(tv.allBytes().includes(NOTE)).toBe(false);
  });

  it('the room refuses focus on an unknown id, a plain marker, another scene, and from players', async () => {
    const { party, gm, tv } = await table('Refusal party');
    const player = await client(party, party.player);
    // Players never receive the focus value (gmOnly presence): a second GM sees what the room relays.
    const gm2 = await client(party, party.gm);
    const stateOf = (observer: RawClient, of: RawClient) =>
      observer.awareness.getStates().get(of.doc.clientID) as Record<string, unknown> | undefined;

    // A valid focus is relayed to GMs, never to the TV.
    await publish(gm, gm2, 9, focus(party.sceneId, ['lurkermember1']));
    expect(stateOf(gm2, gm)!.marker).toEqual(focus(party.sceneId, ['lurkermember1']));
    await waitFor('the TV to receive the hovered marker', () => tvHas(tv, party, 'lurkermember1'));
    await tv.roundTrip();
    expect(stateOf(tv, gm)!.marker).toBeUndefined();
    gm.publishAwareness({ cursor: { x: 8, y: 0 } });
    await waitFor('the TV to lose the marker', () => !tvHas(tv, party, 'lurkermember1'));

    await publish(gm, gm2, 10, focus(party.sceneId, ['nosuchmember1']));
    expect(stateOf(gm2, gm)!.marker).toBeUndefined();
    await publish(gm, gm2, 11, focus(party.sceneId, ['guardmember01']));
    expect(stateOf(gm2, gm)!.marker).toBeUndefined();
    // One bad id spoils the value: nothing of it is revealed.
    await publish(gm, gm2, 12, focus(party.sceneId, ['lurkermember1', 'guardmember01']));
    expect(stateOf(gm2, gm)!.marker).toBeUndefined();
    // The right id for a scene players are not shown.
    await publish(gm, gm2, 13, focus('scenenotshown123', ['lurkermember1']));
    expect(stateOf(gm2, gm)!.marker).toBeUndefined();
    // Malformed values.
    for (const [i, v] of [
      { ids: [] },
      { ids: 'lurkermember1' },
      { ids: Array(5).fill('lurkermember1') },
    ].entries()) {
      await publish(gm, gm2, 20 + i, { s: party.sceneId, v });
      expect(stateOf(gm2, gm)!.marker).toBeUndefined();
    }
    expect(tvHas(tv, party, 'lurkermember1')).toBe(false);

    // A player may not reveal anything.
    player.publishAwareness({ cursor: { x: 5, y: 5 }, marker: focus(party.sceneId, ['lurkermember1']) });
    await waitFor('a GM to see the player', () => (stateOf(gm2, player)?.cursor as { x: number })?.x === 5);
    await gm2.roundTrip();
    expect(stateOf(gm2, player)!.marker).toBeUndefined();
    expect(tvHas(tv, party, 'lurkermember1')).toBe(false);
  });

  it('a GM flooding focus changes is cut off; the TV keeps being served', async () => {
    const { party, gm, tv } = await table('Flood party');
    addMarker(gm, party.sceneId, 'lurkermember2', { position: { x: 300, y: 120 }, visibility: 'hover' });
    await tv.roundTrip();
    const gm2 = await client(party, party.gm);
    // Within the overall presence budget (about 25 updates a second), but every one a new focus.
    let clock = 0;
    for (let round = 0; round < 20 && !gm.closed; round++) {
      for (let i = 0; i < 10; i++) {
        clock++;
        gm.sendAwareness(
          gm.doc.clientID,
          { marker: focus(party.sceneId, [clock % 2 ? 'lurkermember1' : 'lurkermember2']) },
          clock,
        );
      }
      await sleep(400);
    }
    const closed = await gm.whenClosed();
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/presence/);
    // Gone with the flooder: nothing stays revealed.
    await waitFor('the TV to lose both markers', () =>
      ['lurkermember1', 'lurkermember2'].every((id) => !tvHas(tv, party, id)),
    );
    // The other GM still reveals, and the TV still follows.
    gm2.publishAwareness({ marker: focus(party.sceneId, ['lurkermember2']) });
    await waitFor('the TV to receive the other GM’s focus', () => tvHas(tv, party, 'lurkermember2'));
    expect(tv.closed).toBeUndefined();
    expect(tv.allBytes().includes(NOTE)).toBe(false);
  });
});
