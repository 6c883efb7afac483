/**
 * Players receive the shown scene only (issue 16, item 1), through the real
 * `partykit dev` and app server: raw player clients record every byte while
 * the GM prepares a scene, shows it, and switches away; late joiners and a
 * reconnect with an old document; and the player HTTP endpoints likewise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../../engine/generated';
import { PARTY_STATE_KEYS, getPartyState, getScenesList } from '../../../engine/sync/docLayout';
import type { PartykitDev } from '../../harness/partykit';
import { FOG_TILE, encodeTile, tileKey } from '../../../plugins/fogOfWar/mask';
import fogRoom from '../../../plugins/fogOfWar/room';
import markerRoom from '../../../plugins/marker/room';
import {
  INTERNAL_SECRET,
  RawClient,
  createParty,
  picks,
  roomUrl,
  sceneOf,
  startApp,
  startRooms,
  waitFor,
  type AppHandle,
  type TestParty,
} from './support';

const LAIR = 'Dragon lair (next week) 5c1e';
const DRAGON = 'Ancient Red Dragon 77ab';
const MAP_URL = '/uploads/dragon-lair-map-0f3c.png';

let app: AppHandle;
let pk: PartykitDev;
let party: TestParty;
let lairId: string;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
  party = await createParty(app);
});

afterAll(async () => {
  for (const c of cleanups) c();
  await pk?.stop();
  await app?.close();
});

async function client(partyName: 'game_session' | 'party', room: string, token: string, doc?: Y.Doc) {
  const c = await RawClient.connect(roomUrl(pk, partyName, room, token), doc);
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

/** True when any byte sequence the client received contains one of the prepared scene's strings. */
function leaked(c: RawClient): string[] {
  const bytes = c.allBytes();
  return [LAIR, DRAGON, MAP_URL].filter((s) => bytes.includes(s));
}

function map(doc: Y.Doc, sceneId: string, key: string): Y.Map<unknown> {
  const m = sceneOf(doc, sceneId)?.get(key);
  if (!(m instanceof Y.Map)) throw new Error(`no ${key} in scene ${sceneId}`);
  return m as Y.Map<unknown>;
}

const player = (method: string, path: string) =>
  app.api(method, `${path}${path.includes('?') ? '&' : '?'}token=${party.player}`);

describe('only the shown scene reaches players', () => {
  let gm: RawClient;
  let gmParty: RawClient;
  const { collection, text } = picks.gmCollection();
  const asset = registry.scenePlugins
    .flatMap((pl) => pl.props.map((prop) => ({ pl, prop })))
    .find(({ prop }) => prop.decl.kind === 'asset' && prop.audience === 'all')!;

  it('a scene prepared while another is shown reaches no player, nor the HTTP endpoints', async () => {
    gm = await client('game_session', party.gameSessionId, party.gm);
    gmParty = await client('party', party.partyId, party.gm);
    const created = await app.api('POST', `/api/sessions/${party.gameSessionId}/scenes?token=${party.gm}`, {
      name: LAIR,
    });
    expect(created.status).toBe(201);
    lairId = created.body.scene.id;
    // The test app server has no PartyKit URL; tell the room the way the app server would.
    await fetch(`${pk.httpUrl}/parties/game_session/${party.gameSessionId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTERNAL_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'reload', sceneIds: [lairId] }),
    });
    await waitFor('the new scene in the GM doc', () => sceneOf(gm.doc, lairId));
    const early = await client('game_session', party.gameSessionId, party.player);
    gm.doc.transact(() => {
      const member = new Y.Map<unknown>();
      map(gm.doc, lairId, collection.key).set('dragonmember01', member);
      member.set(text.yjsKey, DRAGON);
      map(gm.doc, lairId, asset.pl.key).set(asset.prop.yjsKey, MAP_URL);
    });
    // A change in the shown scene, after the prepared one, proves the player is current when it arrives.
    gm.doc.transact(() => map(gm.doc, party.sceneId, collection.key).set('shownmember01', new Y.Map()));
    await waitFor('the shown scene edit', () =>
      map(early.doc, party.sceneId, collection.key).has('shownmember01'),
    );
    const late = await client('game_session', party.gameSessionId, party.player);
    for (const c of [early, late]) {
      expect(leaked(c)).toEqual([]);
      expect(sceneOf(c.doc, lairId)).toBeUndefined();
      expect(getScenesList(c.doc).toArray()).toEqual([party.sceneId]);
    }

    const load = await player('GET', `/api/sessions/${party.gameSessionId}/load`);
    expect(load.status).toBe(200);
    expect(load.body.sceneId).toBe(party.sceneId);
    const asked = await player('GET', `/api/sessions/${party.gameSessionId}/load?scene=${lairId}`);
    expect(asked.status).toBe(404);
    for (const path of [
      `/api/sessions/${party.gameSessionId}`,
      `/api/sessions/${party.gameSessionId}/scenes`,
      `/api/sessions/${party.gameSessionId}/timestamps`,
    ]) {
      const res = await player('GET', path);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(LAIR);
      expect(JSON.stringify(res.body)).not.toContain(lairId);
    }
    for (const body of [load.body, asked.body]) expect(JSON.stringify(body)).not.toMatch(/Dragon|dragon/);
    // The GM still sees everything.
    const gmList = await app.api('GET', `/api/sessions/${party.gameSessionId}/scenes?token=${party.gm}`);
    expect(JSON.stringify(gmList.body)).toContain(LAIR);
    early.close();
    late.close();
  });

  let watcher: RawClient;
  let oldDoc: Y.Doc;
  it('showing the scene streams it to players; the HTTP load follows', async () => {
    watcher = await client('game_session', party.gameSessionId, party.player);
    oldDoc = new Y.Doc();
    const keeper = await client('game_session', party.gameSessionId, party.player, oldDoc);
    getPartyState(gmParty.doc).set(PARTY_STATE_KEYS.activeSceneId, lairId);
    for (const c of [watcher, keeper])
      await waitFor('the shown scene to reach the player', () => {
        const scene = sceneOf(c.doc, lairId);
        const member = scene && map(c.doc, lairId, collection.key).get('dragonmember01');
        return member instanceof Y.Map && member.get(text.yjsKey) === DRAGON;
      });
    expect(leaked(watcher).sort()).toEqual([DRAGON, LAIR, MAP_URL].sort());
    expect(sceneOf(watcher.doc, party.sceneId)).toBeUndefined();
    expect(getScenesList(watcher.doc).toArray()).toEqual([lairId]);
    keeper.close();
    // The party room and the scene save on debounces; the HTTP endpoints follow the DB.
    const load = await waitFor('the load endpoint to serve the shown scene', async () => {
      const res = await player('GET', `/api/sessions/${party.gameSessionId}/load`);
      return res.body.sceneId === lairId && JSON.stringify(res.body).includes(DRAGON) ? res : undefined;
    });
    expect(JSON.stringify(load?.body)).toContain(MAP_URL);
  });

  it('switching away removes the scene; late joiners and old documents never get it again', async () => {
    getPartyState(gmParty.doc).set(PARTY_STATE_KEYS.activeSceneId, party.sceneId);
    await waitFor('the scene to leave the player doc', () => !sceneOf(watcher.doc, lairId));
    expect(sceneOf(watcher.doc, party.sceneId)).toBeDefined();
    const late = await client('game_session', party.gameSessionId, party.player);
    expect(leaked(late)).toEqual([]);
    expect(sceneOf(late.doc, lairId)).toBeUndefined();
    // A player returning with the document it had while the scene was shown: the room takes it away.
    expect(sceneOf(oldDoc, lairId)).toBeDefined();
    const returning = await client('game_session', party.gameSessionId, party.player, oldDoc);
    await waitFor('the old document to lose the scene', () => !sceneOf(oldDoc, lairId));
    expect(leaked(returning)).toEqual([]);
    await waitFor('the load endpoint to drop the scene', async () => {
      const res = await player('GET', `/api/sessions/${party.gameSessionId}/load?scene=${lairId}`);
      return res.status === 404;
    });
  });

  it('room status names the shown scene', async () => {
    const status = await fetch(`${pk.httpUrl}/parties/game_session/${party.gameSessionId}`, {
      headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
    });
    expect((await status.json()).shownSceneId).toBe(party.sceneId);
  });
});

describe('nothing under fog reaches players', () => {
  const AMBUSH = 'Ambush: 6 goblins 3e9d';
  const fogKey = registry.scenePlugins.find((p) => p.name === fogRoom.name)!.key;
  const markersKey = registry.collections.find((c) => c.name === markerRoom.name)!.key;
  const ambushed = (c: RawClient) => c.allBytes().includes(AMBUSH);
  const load = () => player('GET', `/api/sessions/${party.gameSessionId}/load`);

  it('a member under opaque fog stays out of player bytes and the HTTP load until fog is revealed over it', async () => {
    const gm = await client('game_session', party.gameSessionId, party.gm);
    const watcher = await client('game_session', party.gameSessionId, party.player);
    gm.doc.transact(() => map(gm.doc, party.sceneId, fogKey).set('enabled', true));
    gm.doc.transact(() => {
      const m = new Y.Map<unknown>();
      map(gm.doc, party.sceneId, markersKey).set('ambushmember1', m);
      m.set('position', { x: 100, y: 100 });
      m.set('label', AMBUSH);
    });
    gm.doc.transact(() => map(gm.doc, party.sceneId, fogKey).set('color', '#222222'));
    // An edit written after the ambush arrives: the player is current, and has no ambush.
    await waitFor(
      'a later edit to reach the player',
      () => map(watcher.doc, party.sceneId, fogKey).get('color') === '#222222',
    );
    expect(map(watcher.doc, party.sceneId, markersKey).has('ambushmember1')).toBe(false);
    expect(ambushed(watcher)).toBe(false);
    const late = await client('game_session', party.gameSessionId, party.player);
    expect(ambushed(late)).toBe(false);
    await waitFor('the scene save', async () =>
      (await app.internal('GET', `/internal/sessions/${party.gameSessionId}`)).body.scenes.some(
        (s: { props: unknown }) => JSON.stringify(s.props).includes(AMBUSH),
      ),
    );
    expect(JSON.stringify((await load()).body)).not.toContain(AMBUSH);

    // The GM reveals the tile around the member: it streams to players.
    const cells = new Uint8Array(FOG_TILE * FOG_TILE);
    gm.doc.transact(() =>
      (sceneOf(gm.doc, party.sceneId)!.get('blobs') as Y.Map<unknown>).set(tileKey(0, 0), encodeTile(cells)),
    );
    await waitFor('the revealed member to reach the player', () =>
      map(watcher.doc, party.sceneId, markersKey).has('ambushmember1'),
    );
    expect(ambushed(watcher)).toBe(true);
    await waitFor('the HTTP load to include the revealed member', async () =>
      JSON.stringify((await load()).body).includes(AMBUSH),
    );
  });
});
