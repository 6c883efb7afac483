/**
 * "GM cursors on the TV" (issue 13, item 9) through the real rooms: with the
 * shown scene's setting off, players receive no GM cursor — a cursor already
 * on the TV is withdrawn at once, later moves arrive without it, in the raw
 * bytes too — while other GMs keep seeing it; turned on again, the next move
 * brings it back. The setting is found through the registry's room plugins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../../engine/generated/schemas';
import { roomPlugins } from '../../../partykit/generated/roomPlugins';
import type { PartykitDev } from '../../harness/partykit';
import type { PropInfo } from '../../../engine/schema';
import {
  RawClient,
  createParty,
  roomUrl,
  sceneOf,
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

/** The scene setting that hides GM cursors: the boolean of a `hideGmPresence` plugin whose `false` hides `cursor`. */
function cursorSetting(): PropInfo {
  for (const room of roomPlugins.filter((r) => r.hideGmPresence)) {
    const plugin = registry.plugin(room.name)!;
    for (const prop of plugin.props.filter((p) => p.decl.kind === 'boolean' && !p.localOnly)) {
      const values = Object.fromEntries(plugin.props.map((p) => [p.key, p.decl.default]));
      if (room.hideGmPresence!({ ...values, [prop.key]: false }).includes('cursor')) return prop;
    }
  }
  throw new Error('no plugin hides GM cursors');
}

describe('GM cursors on the TV', () => {
  it('off: the TV loses the GM cursor at once and receives no more; other GMs keep it; on: it returns', async () => {
    const setting = cursorSetting();
    const party = await createParty(app, 'Cursor party');
    const connect = async (token: string) => {
      const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token));
      cleanups.push(() => c.close());
      await c.whenSynced();
      return c;
    };
    const gm = await connect(party.gm);
    const gm2 = await connect(party.gm);
    const tv = await connect(party.player);
    const cursorOf = (observer: RawClient) =>
      (observer.awareness.getStates().get(gm.doc.clientID) as { cursor?: { x: number } } | undefined)?.cursor;
    const set = (value: boolean) =>
      gm.doc.transact(() => {
        const scene = sceneOf(gm.doc, party.sceneId)!;
        let group = scene.get(setting.plugin.key);
        if (!(group instanceof Y.Map)) scene.set(setting.plugin.key, (group = new Y.Map()));
        (group as Y.Map<unknown>).set(setting.yjsKey, value);
      });

    gm.publishAwareness({ user: { name: 'Dungeon Master' }, cursor: { x: 111, y: 222 } });
    await waitFor('the TV to show the GM cursor', () => cursorOf(tv)?.x === 111);

    set(false);
    // Withdrawn without the GM moving.
    await waitFor('the TV to lose the GM cursor', () => cursorOf(tv) === undefined);
    const from = tv.received.length;
    gm.publishAwareness({ user: { name: 'Dungeon Master' }, cursor: { x: 333, y: 444 } });
    await waitFor('the other GM to see the move', () => cursorOf(gm2)?.x === 333);
    await waitFor('the TV to have the GM state again', () => tv.awareness.getStates().has(gm.doc.clientID));
    await tv.roundTrip();
    expect(cursorOf(tv)).toBeUndefined();
    expect(Buffer.concat(tv.received.slice(from)).includes('"cursor"')).toBe(false);

    set(true);
    await waitFor('the TV to receive the setting', () => {
      const group = sceneOf(tv.doc, party.sceneId)?.get(setting.plugin.key);
      return !(group instanceof Y.Map) || group.get(setting.yjsKey) !== false;
    });
    gm.publishAwareness({ user: { name: 'Dungeon Master' }, cursor: { x: 555, y: 666 } });
    await waitFor('the TV to show the GM cursor again', () => cursorOf(tv)?.x === 555);
  });
});
