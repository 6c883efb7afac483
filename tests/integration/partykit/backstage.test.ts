/**
 * Backstage mode (issue 16, item 3), through the real `partykit dev` and app
 * server: raw player clients record every byte while a GM holds the TV and
 * edits (a marker added, fog revealed, a marker moved); nothing of it
 * reaches them — nor a late joiner, a reconnecting player or the player HTTP
 * load — until "publish fog" sends the fog alone and "publish" the rest. The
 * hold and the published state survive a room restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../../engine/generated';
import { SESSION_META_KEYS, getSessionMeta, setSceneName } from '../../../engine/sync/docLayout';
import type { PartykitDev } from '../../harness/partykit';
import { FOG_TILE, encodeTile, tileKey } from '../../../plugins/fogOfWar/mask';
import fogRoom from '../../../plugins/fogOfWar/room';
import markerRoom from '../../../plugins/marker/room';
import {
  RawClient,
  createParty,
  roomUrl,
  sceneOf,
  startApp,
  startRooms,
  waitFor,
  type AppHandle,
  type TestParty,
} from './support';

const HOLDER = 'GM Alice 4b1f';
const SCOUT = 'Scout on the road 8d21';
const LURKER = 'Lurker in the dark 19ce';
const OGRE = 'Ogre chieftain 6a0e';
const RENAMED = 'Trap hall (not yet) 3c7a';
/** Tile (1, 0) covers scene x 256–512: the lurker waits there under fog. */
const LURKER_TILE = tileKey(1, 0);

let app: AppHandle;
let pk: PartykitDev;
let party: TestParty;
const cleanups: Array<() => void> = [];
const fogKey = registry.scenePlugins.find((p) => p.name === fogRoom.name)!.key;
const markersKey = registry.collections.find((c) => c.name === markerRoom.name)!.key;

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
  // The app server relays backstage requests to the rooms and asks them what players may load.
  await app.useRooms(pk.httpUrl);
  party = await createParty(app);
});

afterAll(async () => {
  for (const c of cleanups) c();
  await pk?.stop();
  await app?.close();
});

async function client(token: string, doc?: Y.Doc) {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token), doc);
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

function map(doc: Y.Doc, key: string): Y.Map<unknown> {
  const m = sceneOf(doc, party.sceneId)?.get(key);
  if (!(m instanceof Y.Map)) throw new Error(`no ${key} in the scene`);
  return m as Y.Map<unknown>;
}

const blobs = (doc: Y.Doc) => map(doc, 'blobs');
const member = (doc: Y.Doc, id: string) => map(doc, markersKey).get(id) as Y.Map<unknown> | undefined;
const revealed = () => encodeTile(new Uint8Array(FOG_TILE * FOG_TILE));

function addMarker(gm: RawClient, id: string, label: string, x: number, y: number): void {
  gm.doc.transact(() => {
    const m = new Y.Map<unknown>();
    map(gm.doc, markersKey).set(id, m);
    m.set('position', { x, y });
    m.set('label', label);
  });
}

/** The strings of the test found in the bytes a client received from index `from` on. */
function seen(c: RawClient, from = 0): string[] {
  const bytes = Buffer.concat(c.received.slice(from));
  return [HOLDER, SCOUT, LURKER, OGRE, RENAMED, LURKER_TILE, SESSION_META_KEYS.backstage].filter((s) =>
    bytes.includes(s),
  );
}

const playerLoad = async () => {
  const res = await app.api('GET', `/api/sessions/${party.gameSessionId}/load?token=${party.player}`);
  expect(res.status).toBe(200);
  return res.body as { props: Record<string, Record<string, unknown>>; blobs: Record<string, string> };
};

/** The scene lists a player can read over HTTP: the session's and its scenes'. */
const playerSceneLists = async () => {
  const lists: Array<Array<{ id: string; name: string }>> = [];
  for (const path of ['', '/scenes']) {
    const res = await app.api('GET', `/api/sessions/${party.gameSessionId}${path}?token=${party.player}`);
    expect(res.status).toBe(200);
    lists.push((res.body as { scenes: Array<{ id: string; name: string }> }).scenes);
  }
  return lists;
};

const backstage = (body: Record<string, unknown>, token = party.gm) =>
  app.api('POST', `/api/sessions/${party.gameSessionId}/backstage?token=${token}`, body);

/** The GM doc's hold as the room wrote it. */
const holdOf = (gm: RawClient) => getSessionMeta(gm.doc).toJSON()[SESSION_META_KEYS.backstage];

describe('backstage mode', () => {
  let gm: RawClient;
  let watcher: RawClient;
  let oldDoc: Y.Doc;
  let heldAt = 0;

  it('before the hold, players follow the live scene (fog on, tile 0 revealed, the scout visible)', async () => {
    gm = await client(party.gm);
    watcher = await client(party.player);
    gm.doc.transact(() => map(gm.doc, fogKey).set('enabled', true));
    gm.doc.transact(() => blobs(gm.doc).set(tileKey(0, 0), revealed()));
    addMarker(gm, 'scoutmember01', SCOUT, 100, 100);
    addMarker(gm, 'lurkmember001', LURKER, 384, 100);
    await waitFor('the scout to reach the player', () => member(watcher.doc, 'scoutmember01'));
    await watcher.roundTrip();
    expect(seen(watcher)).toEqual([SCOUT]);
    oldDoc = new Y.Doc();
    Y.applyUpdate(oldDoc, Y.encodeStateAsUpdate(watcher.doc));
  });

  it('a player may not hold; bad requests are refused with a reason', async () => {
    expect((await backstage({ op: 'hold' }, party.player)).status).toBe(403);
    const bad = await backstage({ op: 'dance' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('op');
    expect((await backstage({ op: 'publish', plugin: 'no-such-plugin' })).status).toBe(400);
    expect((await backstage({ op: 'publish' })).status).toBe(409);
  });

  it('during a hold the GMs edit and see who holds; players receive none of it', async () => {
    const held = await backstage({ op: 'hold', by: HOLDER });
    expect(held.status).toBe(200);
    expect(held.body.backstage.by).toBe(HOLDER);
    await waitFor('the GM doc to show the hold', () => holdOf(gm)?.by === HOLDER);
    const other = await client(party.gm);
    expect(holdOf(other)).toMatchObject({ by: HOLDER, pending: [] });
    heldAt = watcher.received.length;

    addMarker(gm, 'ogremember001', OGRE, 120, 160);
    gm.doc.transact(() => setSceneName(sceneOf(gm.doc, party.sceneId)!, RENAMED));
    gm.doc.transact(() => blobs(gm.doc).set(LURKER_TILE, revealed()));
    gm.doc.transact(() => member(gm.doc, 'scoutmember01')!.set('position', { x: 140, y: 100 }));
    await waitFor('the room to note both plugins as unpublished', () =>
      [fogRoom.name, markerRoom.name].every((n) => holdOf(gm)?.pending.includes(n)),
    );
    await watcher.roundTrip();
    expect(seen(watcher, heldAt)).toEqual([]);
    expect(member(watcher.doc, 'ogremember001')).toBeUndefined();
    expect(member(watcher.doc, 'lurkmember001')).toBeUndefined();
    expect(blobs(watcher.doc).has(LURKER_TILE)).toBe(false);
    expect(member(watcher.doc, 'scoutmember01')!.get('position')).toEqual({ x: 100, y: 100 });

    // A player joining now, and one returning with its old document, get the published state.
    const late = await client(party.player);
    const returning = await client(party.player, oldDoc);
    await returning.roundTrip();
    for (const c of [late, returning]) {
      expect(seen(c)).not.toContain(OGRE);
      expect(seen(c)).not.toContain(LURKER);
      expect(seen(c)).not.toContain(LURKER_TILE);
      expect(seen(c)).not.toContain(HOLDER);
      expect(member(c.doc, 'scoutmember01')!.get('position')).toEqual({ x: 100, y: 100 });
    }
    late.close();
    returning.close();

    // The live edits are saved; the player HTTP load still serves the published state.
    await waitFor('the save of the live edits', async () => {
      const res = await app.internal('GET', `/internal/sessions/${party.gameSessionId}`);
      const text = JSON.stringify(res.body);
      return text.includes(OGRE) && text.includes(RENAMED);
    });
    const load = await playerLoad();
    const text = JSON.stringify(load);
    for (const s of [OGRE, LURKER, HOLDER, RENAMED]) expect(text).not.toContain(s);
    // The scene lists players read keep the published name too.
    for (const list of await playerSceneLists()) {
      expect(list.map((x) => x.id)).toEqual([party.sceneId]);
      expect(JSON.stringify(list)).not.toContain(RENAMED);
    }
    expect(Object.keys(load.blobs)).not.toContain(LURKER_TILE);
    expect(load.props[markersKey]!.scoutmember01).toMatchObject({ position: { x: 100, y: 100 } });
  });

  it('"publish fog" sends the fog alone (and what it uncovers of the published markers)', async () => {
    const from = watcher.received.length;
    const res = await backstage({ op: 'publish', plugin: fogRoom.name });
    expect(res.status).toBe(200);
    await waitFor('the revealed tile to reach the player', () => blobs(watcher.doc).has(LURKER_TILE));
    // The lurker stood there before the hold: the published fog uncovers it, at its published place.
    await waitFor('the uncovered lurker', () => member(watcher.doc, 'lurkmember001'));
    await watcher.roundTrip();
    expect(seen(watcher, from).sort()).toEqual([LURKER, LURKER_TILE].sort());
    expect(member(watcher.doc, 'ogremember001')).toBeUndefined();
    expect(member(watcher.doc, 'scoutmember01')!.get('position')).toEqual({ x: 100, y: 100 });
    await waitFor('the fog to leave the pending list', () => !holdOf(gm)?.pending.includes(fogRoom.name));
    expect(holdOf(gm).pending).toContain(markerRoom.name);
    const load = await playerLoad();
    expect(Object.keys(load.blobs)).toContain(LURKER_TILE);
    expect(JSON.stringify(load)).not.toContain(OGRE);
  });

  it('a room restart keeps the hold and the published state', async () => {
    gm.close();
    watcher.close();
    await pk.restart();
    gm = await client(party.gm);
    expect(holdOf(gm)).toMatchObject({ by: HOLDER, pending: [markerRoom.name] });
    watcher = await client(party.player);
    await watcher.roundTrip();
    expect(seen(watcher)).not.toContain(OGRE);
    expect(seen(watcher)).toContain(LURKER_TILE);
    expect(member(watcher.doc, 'scoutmember01')!.get('position')).toEqual({ x: 100, y: 100 });
    expect(JSON.stringify(await playerLoad())).not.toContain(OGRE);
  });

  it('"publish" sends everything; "resume live" ends the hold and players follow edits again', async () => {
    const from = watcher.received.length;
    expect((await backstage({ op: 'publish' })).status).toBe(200);
    await waitFor('the ogre to reach the player', () => member(watcher.doc, 'ogremember001'));
    expect(member(watcher.doc, 'scoutmember01')!.get('position')).toEqual({ x: 140, y: 100 });
    expect(seen(watcher, from)).toContain(OGRE);
    expect(JSON.stringify(await playerLoad())).toContain(OGRE);
    for (const list of await playerSceneLists()) expect(list.map((x) => x.name)).toEqual([RENAMED]);
    expect(holdOf(gm)).toMatchObject({ by: HOLDER, pending: [] });
    expect(holdOf(gm).since).toBeGreaterThan(0);

    expect((await backstage({ op: 'resume' })).status).toBe(200);
    await waitFor('the hold to leave the GM doc', () => holdOf(gm) === undefined);
    gm.doc.transact(() => member(gm.doc, 'ogremember001')!.set('position', { x: 200, y: 200 }));
    await waitFor(
      'a live edit to reach the player',
      () => JSON.stringify(member(watcher.doc, 'ogremember001')?.get('position')) === '{"x":200,"y":200}',
    );
    // Players never learned that a hold existed, nor who held it.
    expect(seen(watcher)).not.toContain(HOLDER);
    expect(seen(watcher)).not.toContain(SESSION_META_KEYS.backstage);
  });
});
