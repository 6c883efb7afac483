/**
 * Plugin presence (rulers, pings) against the real rooms: a GM's ruler and
 * ping reach players (the TV) and other GMs and are gone once cleared; a
 * player's ping is refused while the party's "Players may ping" is off and
 * relayed once the GM turns it on (in the party room: the session room
 * enforces what the party room holds); a player cannot turn it on; a player
 * flooding pings is cut off while everyone else keeps being served. Nothing
 * of it enters the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../engine/generated/schemas';
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

type State = Record<string, unknown> | undefined;
const stateOf = (observer: RawClient, of: RawClient): State =>
  observer.awareness.getStates().get(of.doc.clientID) as State;

/** The state when it has `field`, else undefined (to wait for it). */
const withField = (state: State, field: string): State => (state && field in state ? state : undefined);

/** A party room connection. */
async function partyClient(party: TestParty, token: string): Promise<RawClient> {
  const c = await RawClient.connect(await roomUrl(pk, 'party', party.partyId, token));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

/** The party setting a plugin's players' permission reads (test data: ping's). */
const PLAYERS_PING = registry.plugin('ping')!.partySettings.find((s) => s.key === 'playersPing')!;

/** Writes a party setting through the party doc, as the editor does. */
function setPartySetting(c: RawClient, id: string, value: unknown): void {
  c.doc.transact(() => c.doc.getMap('partySettings').set(id, value));
}

/** Publishes new pings (each a new number) until `viewer` relays one, or times out. */
async function pingUntilSeen(player: RawClient, viewer: RawClient, sceneId: string): Promise<unknown> {
  let n = 100;
  return waitFor('the viewer to see a player ping', async () => {
    player.publishAwareness({ cursor: { x: 3, y: 3 }, ping: { s: sceneId, v: { x: 10, y: 20, n: n++ } } });
    await sleep(600);
    return stateOf(viewer, player)?.ping;
  });
}

describe('plugin presence through the room', () => {
  it('a GM ruler and ping reach the TV and a second GM, and are gone once cleared', async () => {
    const party = await createParty(app, 'Ruler party');
    const gm = await client(party, party.gm);
    const tv = await client(party, party.player);
    const gm2 = await client(party, party.gm);
    const ruler = {
      s: party.sceneId,
      v: {
        pts: [
          [32, 32],
          [224, 32],
          [224, 160],
        ],
      },
    };
    const ping = { s: party.sceneId, v: { x: 96, y: 64, n: 7 } };
    gm.publishAwareness({ cursor: { x: 1, y: 1 }, ruler, ping });
    for (const viewer of [tv, gm2]) {
      const state = await waitFor('the viewer to see the ruler', () =>
        withField(stateOf(viewer, gm), 'ruler'),
      );
      expect(state!.ruler).toEqual(ruler);
      expect(state!.ping).toEqual(ping);
    }
    // Released: the field is cleared; nobody sees a ruler any more.
    gm.publishAwareness({ cursor: { x: 1, y: 1 } });
    for (const viewer of [tv, gm2])
      await waitFor('the ruler to disappear', () => stateOf(viewer, gm) && !stateOf(viewer, gm)!.ruler);
    // Never in the document anyone syncs.
    for (const c of [gm, tv, gm2]) expect(JSON.stringify(c.doc.toJSON())).not.toContain('pts');
  });

  it('a malformed ruler is dropped; the rest of the state still arrives', async () => {
    const party = await createParty(app, 'Malformed ruler party');
    const gm = await client(party, party.gm);
    const tv = await client(party, party.player);
    const huge = Array.from({ length: 40 }, (_, i) => [i, i]);
    gm.publishAwareness({ cursor: { x: 5, y: 6 }, ruler: { s: party.sceneId, v: { pts: huge } } });
    const state = await waitFor('the TV to see the GM cursor', () => withField(stateOf(tv, gm), 'cursor'));
    expect(state!.ruler).toBeUndefined();
    expect(state!.cursor).toEqual({ x: 5, y: 6 });
  });

  it('a player ping is refused while the setting is off and relayed once the GM turns it on', async () => {
    const party = await createParty(app, 'Player ping party');
    const gm = await client(party, party.gm);
    const tv = await client(party, party.player);
    const player = await client(party, party.player);
    player.publishAwareness({
      cursor: { x: 3, y: 3 },
      ping: { s: party.sceneId, v: { x: 10, y: 20, n: 1 } },
    });
    for (const viewer of [gm, tv]) {
      const state = await waitFor('the viewer to see the player', () => stateOf(viewer, player));
      expect(state!.ping).toBeUndefined();
      expect(state!.cursor).toEqual({ x: 3, y: 3 });
    }

    // A player's party connection cannot turn it on: the party room keeps players read-only.
    const gmParty = await partyClient(party, party.gm);
    const playerParty = await partyClient(party, party.player);
    setPartySetting(playerParty, PLAYERS_PING.id, true);
    await sleep(1500);
    player.publishAwareness({
      cursor: { x: 3, y: 4 },
      ping: { s: party.sceneId, v: { x: 10, y: 20, n: 2 } },
    });
    await waitFor(
      'the GM to see the moved cursor',
      () => (stateOf(gm, player)?.cursor as { y: number })?.y === 4,
    );
    expect(stateOf(gm, player)!.ping).toBeUndefined();
    expect(gmParty.doc.getMap('partySettings').has(PLAYERS_PING.id)).toBe(false);

    // A GM's invalid value is reverted by the party room; a valid one is enforced by the session room.
    setPartySetting(gmParty, PLAYERS_PING.id, 'yes please');
    await waitFor(
      'the party room to drop the bad value',
      () => !gmParty.doc.getMap('partySettings').has(PLAYERS_PING.id),
    );
    setPartySetting(gmParty, PLAYERS_PING.id, true);
    const tvParty = await partyClient(party, party.player);
    await waitFor(
      'the TV’s party doc to hold the setting',
      () => tvParty.doc.getMap('partySettings').get(PLAYERS_PING.id) === true,
    );
    const ping = await pingUntilSeen(player, gm, party.sceneId);
    expect(ping).toMatchObject({ s: party.sceneId, v: { x: 10, y: 20 } });
    expect(await waitFor('the TV to see the ping', () => stateOf(tv, player)?.ping)).toEqual(ping);

    // A ping for a scene players are not shown is refused even with the setting on.
    player.publishAwareness({
      cursor: { x: 4, y: 3 },
      ping: { s: 'scene-not-shown-1234', v: { x: 1, y: 2, n: 3 } },
    });
    await waitFor(
      'the GM to see the moved cursor',
      () => (stateOf(gm, player)?.cursor as { x: number })?.x === 4,
    );
    expect(stateOf(gm, player)!.ping).toBeUndefined();
  });

  it('a player flooding pings is cut off; the GM’s ruler keeps reaching the TV', async () => {
    const party = await createParty(app, 'Ping flood party');
    const gm = await client(party, party.gm);
    const tv = await client(party, party.player);
    const flooder = await client(party, party.player);
    const gmParty = await partyClient(party, party.gm);
    setPartySetting(gmParty, PLAYERS_PING.id, true);
    await pingUntilSeen(flooder, gm, party.sceneId);
    // Within the overall presence budget (about 25 updates a second), but every one a new ping.
    let n = 0;
    for (let round = 0; round < 20 && !flooder.closed; round++) {
      for (let i = 0; i < 10; i++)
        flooder.sendAwareness(
          flooder.doc.clientID,
          { ping: { s: party.sceneId, v: { x: n, y: n, n: ++n } } },
          n,
        );
      await sleep(400);
    }
    const closed = await flooder.whenClosed();
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/presence/);
    // The TV saw at most the burst and the rate's worth of pings, not the flood.
    const seen =
      tv
        .allBytes()
        .toString('latin1')
        .match(/"n":\d+/g) ?? [];
    expect(new Set(seen).size).toBeLessThan(n / 2);

    const ruler = {
      s: party.sceneId,
      v: {
        pts: [
          [0, 0],
          [64, 0],
        ],
      },
    };
    gm.publishAwareness({ ruler });
    expect(await waitFor('the TV to see the GM ruler', () => stateOf(tv, gm)?.ruler)).toEqual(ruler);
    expect(tv.closed).toBeUndefined();
    expect(gm.closed).toBeUndefined();
  });
});
