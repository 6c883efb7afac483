/**
 * Faults against the real `partykit dev` and app server: SIGKILL mid-session
 * (nothing acknowledged is lost, clients reconnect by themselves, offline
 * edits merge, the DB catches up), two restarts with nobody connected, the
 * app server down during saves, and hydration failing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PartykitDev } from '../../harness/partykit';
import {
  RawClient,
  createParty,
  dbScene,
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

async function raw(party: TestParty) {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, party.gm));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

function group(doc: Y.Doc, sceneId: string, key: string): Y.Map<unknown> {
  const g = sceneOf(doc, sceneId)?.get(key);
  if (!(g instanceof Y.Map)) throw new Error(`no ${key} map in scene ${sceneId}`);
  return g as Y.Map<unknown>;
}

/** Registry-valid member props for a collection (all defaults but a label). */
function member(label: string): Y.Map<unknown> {
  const { collection, text } = picks.gmCollection();
  const m = new Y.Map<unknown>();
  for (const prop of collection.props) m.set(prop.yjsKey, prop.key === text.key ? label : prop.decl.default);
  return m;
}

describe('room faults', () => {
  it('loses nothing acknowledged when partykit dev is SIGKILLed mid-edit; clients reconnect and offline edits merge', async () => {
    const { collection } = picks.gmCollection();
    const { plugin, prop, min } = picks.rangedNumber();
    // Room A: raw clients only, so after the crash nothing but the room's storage can bring edits back.
    const a = await createParty(app);
    const writer = await raw(a);
    const witness = await raw(a);
    // Room B: the editor's provider, which must reconnect by itself and merge what it edited offline.
    const b = await createParty(app, 'Offline party');
    const gm = providerClient(pk, 'game_session', b.gameSessionId, b.gm);
    cleanups.push(() => gm.provider.destroy());
    await gm.whenSynced();

    let i = 0;
    const editing = setInterval(() => {
      writer.doc.transact(() =>
        group(writer.doc, a.sceneId, collection.key).set(`m${i}`, member(`label ${i}`)),
      );
      i++;
    }, 5);
    await waitFor(
      'some edits to be acknowledged',
      () => group(witness.doc, a.sceneId, collection.key).size >= 20,
    );
    await pk.kill('SIGKILL');
    clearInterval(editing);
    const acknowledged = [...group(witness.doc, a.sceneId, collection.key).keys()];

    await waitFor('the provider to notice', () => !gm.provider.wsconnected);
    group(gm.doc, b.sceneId, plugin.key).set(prop.yjsKey, min);
    await pk.restart();

    const fresh = await raw(a);
    const after = group(fresh.doc, a.sceneId, collection.key);
    for (const id of acknowledged) expect(after.has(id), `acknowledged member ${id}`).toBe(true);

    const freshB = await raw(b);
    await waitFor(
      'the offline edit to merge',
      () => group(freshB.doc, b.sceneId, plugin.key).get(prop.yjsKey) === min,
    );
    await waitFor('the DB to catch up', async () => {
      const sceneA = await dbScene(app, a.gameSessionId, a.sceneId);
      const sceneB = await dbScene(app, b.gameSessionId, b.sceneId);
      return (
        sceneA &&
        acknowledged.every((id) => id in sceneA.props[collection.key]) &&
        sceneB?.props[plugin.key][prop.key] === min
      );
    });
  });

  it('survives two restarts in a row with no client connected in between', async () => {
    const party = await createParty(app);
    const { plugin, prop, max } = picks.rangedNumber();
    const a = await raw(party);
    const b = await raw(party);
    group(a.doc, party.sceneId, plugin.key).set(prop.yjsKey, max);
    await waitFor(
      'b to see the edit',
      () => group(b.doc, party.sceneId, plugin.key).get(prop.yjsKey) === max,
    );
    a.close();
    b.close();
    await pk.kill('SIGKILL');
    await pk.restart();
    await pk.kill('SIGKILL');
    await pk.restart();
    const c = await raw(party);
    expect(group(c.doc, party.sceneId, plugin.key).get(prop.yjsKey)).toBe(max);
  });

  it('keeps saves dirty while the app server is down and saves them once it is back', async () => {
    const party = await createParty(app);
    const { plugin, prop, max } = picks.rangedNumber();
    const gm = await raw(party);
    await app.stop();
    try {
      group(gm.doc, party.sceneId, plugin.key).set(prop.yjsKey, max);
      await waitFor('the room to report the failed save', () => {
        const save = gm.doc.getMap('gameSessionMeta').get('save') as
          { state?: string; error?: string } | undefined;
        return save?.state === 'failed' && /unreachable/.test(save.error ?? '');
      });
      const shown = (gm.doc.getMap('gameSessionMeta').get('save') as { error: string }).error;
      expect(shown).not.toContain(app.url);
      expect(shown).not.toContain(String(app.port));
    } finally {
      await app.start();
    }
    await waitFor('the retried save to reach the DB', async () => {
      const scene = await dbScene(app, party.gameSessionId, party.sceneId);
      return scene?.props[plugin.key][prop.key] === max;
    });
  });

  it('refuses connections with a reason when hydration fails, retries on the next one, and never saves over the DB', async () => {
    const party = await createParty(app);
    const { plugin, prop, max } = picks.rangedNumber();
    // The DB holds a non-default value the room must not overwrite.
    const put = await app.internal('PUT', `/internal/scenes/${party.sceneId}`, {
      gameSessionId: party.gameSessionId,
      scene: { [prop.columns[0]!.field]: max },
      savedAt: Date.now(),
    });
    expect(put.status).toBe(200);
    // The ticket comes from the app server, so it is taken before the app server goes away.
    const url = await roomUrl(pk, 'game_session', party.gameSessionId, party.gm);
    await app.stop();
    let refused: RawClient;
    try {
      refused = await RawClient.connect(url);
      const closed = await refused.whenClosed();
      expect(closed.code).toBe(4503);
      expect(closed.reason).toMatch(/room unavailable/);
      // Nothing of where the app server lives reaches a client.
      expect(closed.reason).not.toMatch(/127\.0\.0\.1|localhost|http|:\d{2,5}\b/);
      expect(closed.reason).not.toContain(String(app.port));
    } finally {
      await app.start();
    }
    expect(refused.synced).toBe(false);
    const ok = await raw(party);
    expect(group(ok.doc, party.sceneId, plugin.key).get(prop.yjsKey)).toBe(max);
    const scene = await dbScene(app, party.gameSessionId, party.sceneId);
    expect(scene?.props[plugin.key][prop.key]).toBe(max);
  });

  it('picks up scenes the DB changed or deleted while the room was down', async () => {
    const party = await createParty(app);
    const { plugin, prop, min, max } = picks.rangedNumber();
    const second = await app.internal('PUT', '/internal/scenes/downscene2', {
      gameSessionId: party.gameSessionId,
      name: 'Second',
      savedAt: Date.now(),
    });
    expect(second.status).toBe(200);
    const gm = await raw(party);
    expect(gm.doc.getArray('scenesList').toArray()).toEqual([party.sceneId, 'downscene2']);
    group(gm.doc, party.sceneId, plugin.key).set(prop.yjsKey, min);
    await waitFor(
      'the save',
      async () =>
        (await dbScene(app, party.gameSessionId, party.sceneId))?.props[plugin.key][prop.key] === min,
    );
    gm.close();
    await pk.kill('SIGKILL');
    // Behind the room's back, with no room to tell.
    const changed = await app.internal('PUT', `/internal/scenes/${party.sceneId}`, {
      gameSessionId: party.gameSessionId,
      scene: { [prop.columns[0]!.field]: max },
      savedAt: Date.now() + 1000,
    });
    expect(changed.status).toBe(200);
    expect((await app.internal('DELETE', '/internal/scenes/downscene2')).status).toBe(204);
    await pk.restart();
    const again = await raw(party);
    expect(group(again.doc, party.sceneId, plugin.key).get(prop.yjsKey)).toBe(max);
    expect(again.doc.getArray('scenesList').toArray()).toEqual([party.sceneId]);
  });

  it('loses nothing when the last client leaves and another joins at once', async () => {
    const party = await createParty(app);
    const { plugin, prop, max } = picks.rangedNumber();
    const a = await raw(party);
    const b = await raw(party);
    group(a.doc, party.sceneId, plugin.key).set(prop.yjsKey, max);
    await waitFor('b to see it', () => group(b.doc, party.sceneId, plugin.key).get(prop.yjsKey) === max);
    a.close();
    b.close();
    const c = await raw(party);
    expect(group(c.doc, party.sceneId, plugin.key).get(prop.yjsKey)).toBe(max);
  });
});
