/**
 * Room control and the party room against the real `partykit dev` and app
 * server: reload from the DB, the party state room, large legal scenes that
 * travel in chunks and persist exactly, and a player whose room lost its
 * history converging on the server's projection again.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeTile, FOG_TILE } from '../../../plugins/fogOfWar/mask';
import type { PartykitDev } from '../../harness/partykit';
import {
  INTERNAL_SECRET,
  RawClient,
  createParty,
  dbScene,
  picks,
  providerClient,
  roomUrl,
  sceneOf,
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

async function raw(party: TestParty, token = party.gm, doc?: Y.Doc) {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token), doc);
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

function group(doc: Y.Doc, sceneId: string, key: string): Y.Map<unknown> {
  const g = sceneOf(doc, sceneId)?.get(key);
  if (!(g instanceof Y.Map)) throw new Error(`no ${key} map in scene ${sceneId}`);
  return g as Y.Map<unknown>;
}

function control(gameSessionId: string, body: unknown, secret = INTERNAL_SECRET) {
  return fetch(`${pk.httpUrl}/parties/game_session/${gameSessionId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('room control', () => {
  it('reload replaces changed scenes, adds new ones and removes deleted ones', async () => {
    const party = await createParty(app);
    const gm = await raw(party);
    const player = await raw(party, party.player);
    const { plugin, prop, max } = picks.rangedNumber();
    const column = prop.columns[0]!.field;

    // Behind the room's back: change the scene, add one.
    const changed = await app.internal('PUT', `/internal/scenes/${party.sceneId}`, {
      gameSessionId: party.gameSessionId,
      scene: { [column]: max },
      savedAt: Date.now(),
    });
    expect(changed.status).toBe(200);
    const added = await app.internal('PUT', `/internal/scenes/addedscene1`, {
      gameSessionId: party.gameSessionId,
      name: 'Added behind the room',
      sortOrder: 5,
      savedAt: Date.now(),
    });
    expect(added.status).toBe(200);

    expect(
      (await control(party.gameSessionId, { action: 'reload', sceneIds: [party.sceneId] }, 'wrong')).status,
    ).toBe(401);
    expect((await control(party.gameSessionId, { action: 'reload', sceneIds: 'nope' })).status).toBe(400);
    const res = await control(party.gameSessionId, {
      action: 'reload',
      sceneIds: [party.sceneId, 'addedscene1'],
    });
    expect(res.status).toBe(200);
    for (const c of [gm, player]) {
      await waitFor(
        'the reloaded value',
        () => group(c.doc, party.sceneId, plugin.key).get(prop.yjsKey) === max,
      );
    }
    await waitFor('the added scene', () => gm.doc.getArray('scenesList').toArray().includes('addedscene1'));
    // Players receive the shown scene only: an added scene the GM has not shown never reaches them.
    expect(player.doc.getArray('scenesList').toArray()).toEqual([party.sceneId]);
    expect(sceneOf(player.doc, 'addedscene1')).toBeUndefined();
    expect((sceneOf(gm.doc, 'addedscene1')!.get('meta') as Y.Map<unknown>).get('name')).toBe(
      'Added behind the room',
    );

    expect((await app.internal('DELETE', '/internal/scenes/addedscene1')).status).toBe(204);
    expect((await control(party.gameSessionId, { action: 'reload', sceneIds: ['addedscene1'] })).status).toBe(
      200,
    );
    await waitFor('the deleted scene to go', () => !sceneOf(gm.doc, 'addedscene1'));
    expect(gm.doc.getArray('scenesList').toArray()).toEqual([party.sceneId]);
  });

  it('saves scenes the GM creates and deletes', async () => {
    const party = await createParty(app);
    const gm = await raw(party);
    gm.doc.transact(() => {
      const scene = new Y.Map<unknown>();
      gm.doc.getMap('scenes').set('gmscene1', scene);
      const meta = new Y.Map<unknown>();
      scene.set('meta', meta);
      meta.set('name', 'Made by the GM');
      gm.doc.getArray('scenesList').push(['gmscene1']);
    });
    await waitFor(
      'the new scene in the DB',
      async () => (await dbScene(app, party.gameSessionId, 'gmscene1'))?.name === 'Made by the GM',
    );
    gm.doc.transact(() => {
      gm.doc.getMap('scenes').delete('gmscene1');
      gm.doc.getArray('scenesList').delete(1, 1);
    });
    await waitFor(
      'the scene to leave the DB',
      async () => !(await dbScene(app, party.gameSessionId, 'gmscene1')),
    );
  });
});

describe('party room', () => {
  it('loads party state from the DB, saves GM changes, repairs bad values and ignores players', async () => {
    const party = await createParty(app);
    const url = (token: string) => roomUrl(pk, 'party', party.partyId, token);
    const gm = await RawClient.connect(url(party.gm));
    const player = await RawClient.connect(url(party.player));
    cleanups.push(
      () => gm.close(),
      () => player.close(),
    );
    await Promise.all([gm.whenSynced(), player.whenSynced()]);
    const state = gm.doc.getMap('partyState');
    expect(state.get('activeSceneId')).toBe(party.sceneId);
    expect(state.get('activeGameSessionId')).toBe(party.gameSessionId);

    player.doc.getMap('partyState').set('paused', true);
    await sleep(300);
    expect(state.get('paused')).toBe(false);

    state.set('paused', 'yes');
    state.set('unknownKey', 1);
    await waitFor('the repair', () => state.get('paused') === false && !state.has('unknownKey'));
    state.set('paused', true);
    await waitFor(
      'the player to see the pause',
      () => player.doc.getMap('partyState').get('paused') === true,
    );
    await waitFor(
      'the DB to hold the pause',
      async () => (await app.internal('GET', `/internal/parties/${party.partyId}`)).body?.paused === true,
    );
  });
});

describe('large scenes', () => {
  it('a scene with thousands of members and a big blob set travels in chunks and persists exactly', async () => {
    const party = await createParty(app);
    const { collection, text } = picks.gmCollection();
    const gm = providerClient(pk, 'game_session', party.gameSessionId, party.gm);
    cleanups.push(() => gm.provider.destroy());
    await gm.whenSynced();
    const watcher = await raw(party);
    // Fog tiles are the declared channel: 400 busy tiles of about 2.7 KB each, all different (over 1 MB).
    const blobs: Record<string, Uint8Array> = {};
    for (let i = 0; i < 400; i++)
      blobs[`fog/${i}_0`] = encodeTile(
        new Uint8Array(FOG_TILE * FOG_TILE).map((_, j) => ((j * 7 + i * 31) % 3 === 0 ? 1 : 0)),
      );
    gm.doc.transact(() => {
      const members = group(gm.doc, party.sceneId, collection.key);
      for (let i = 0; i < 3000; i++) {
        const m = new Y.Map<unknown>();
        members.set(`bulk${i}`, m);
        m.set(text.yjsKey, `member ${i}`);
      }
      const blobMap = group(gm.doc, party.sceneId, 'blobs');
      for (const [k, v] of Object.entries(blobs)) blobMap.set(k, v);
    });
    await waitFor(
      'the watcher to receive the whole scene',
      () => group(watcher.doc, party.sceneId, collection.key).size === 3000,
    );
    await waitFor('the DB to hold every member', async () => {
      const scene = await dbScene(app, party.gameSessionId, party.sceneId);
      return scene && Object.keys(scene.props[collection.key]).length === 3000;
    });
    gm.provider.destroy();
    watcher.close();
    await pk.restart();
    const fresh = await raw(party);
    expect(group(fresh.doc, party.sceneId, collection.key).size).toBe(3000);
    const freshBlobs = group(fresh.doc, party.sceneId, 'blobs');
    for (const [k, v] of Object.entries(blobs))
      expect(Buffer.from(freshBlobs.get(k) as Uint8Array).equals(Buffer.from(v))).toBe(true);
    const db = await app.internal('GET', `/internal/sessions/${party.gameSessionId}`);
    const dbBlobs = db.body.scenes[0].blobs as Record<string, string>;
    for (const [k, v] of Object.entries(blobs))
      expect(Buffer.from(dbBlobs[k]!, 'base64').equals(Buffer.from(v))).toBe(true);
  });
});

describe('players after the room lost its history', () => {
  it('a player whose document holds items the rebuilt room never had is told to start over, then converges', async () => {
    const party = await createParty(app);
    const { plugin, prop, min, max } = picks.rangedNumber();
    const column = prop.columns[0]!.field;
    const gm = await raw(party);
    group(gm.doc, party.sceneId, plugin.key).set(prop.yjsKey, min);
    const player = await raw(party, party.player);
    await waitFor(
      'the player to see the GM value',
      () => group(player.doc, party.sceneId, plugin.key).get(prop.yjsKey) === min,
    );
    await waitFor(
      'the save',
      async () =>
        (await dbScene(app, party.gameSessionId, party.sceneId))?.props[plugin.key][prop.key] === min,
    );
    gm.close();
    player.close();

    // The room's storage is lost and the DB changes meanwhile.
    await pk.kill('SIGKILL');
    rmSync(pk.persistDir, { recursive: true, force: true });
    const put = await app.internal('PUT', `/internal/scenes/${party.sceneId}`, {
      gameSessionId: party.gameSessionId,
      scene: { [column]: max },
      savedAt: Date.now() + 1000,
    });
    expect(put.status).toBe(200);
    await pk.restart();

    // The player's doc still holds the old projection's items, which would win key conflicts for ever.
    const stale = await RawClient.connect(
      roomUrl(pk, 'game_session', party.gameSessionId, party.player),
      player.doc,
    );
    const closed = await stale.whenClosed();
    expect(closed.code).toBe(4409);
    expect(closed.reason).toMatch(/stale document/);
    const again = await raw(party, party.player);
    expect(group(again.doc, party.sceneId, plugin.key).get(prop.yjsKey)).toBe(max);
  });
});
