/**
 * Gesture previews through the real rooms (`partykit dev` + the app server):
 * two GM PartyDataManagers and a raw player socket. A GM's drag travels as
 * an awareness preview — the other GM sees it before the document changes —
 * and the room never relays to a player a preview of a gm-only marker or of
 * a gm-audience value; previews a player sends reach nobody.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../engine/generated';
import { getPath, getSceneMap, type PartyDataManager } from '../../../engine/sync';
import { PREVIEW_FIELD, readPreviews } from '../../../engine/sync/previews';
import type { PartykitDev } from '../../harness/partykit';
import { RawClient, roomUrl, type AppHandle, type TestParty } from '../partykit/support';
import { client, createParty, destroyAll, startApp, startRooms, valueIn, waitFor } from './support';

let app: AppHandle;
let pk: PartykitDev;
const raws: RawClient[] = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
});

afterEach(() => {
  destroyAll();
  for (const r of raws.splice(0)) r.close();
});

afterAll(async () => {
  destroyAll();
  await pk?.stop();
  await app?.close();
});

const collection = registry.collections.find((c) => c.gmOnlyWhen.size > 0)!;
const [hideKey, hideValues] = [...collection.gmOnlyWhen][0]!;
const point = collection.props.find((p) => !p.localOnly && p.audience === 'all' && p.decl.kind === 'point')!;
const memberSecret = collection.props.find((p) => p.audience === 'gm' && p.decl.kind === 'string');
const sceneSecret = registry.scenePlugins
  .flatMap((p) => p.props)
  .find((p) => !p.localOnly && p.audience === 'gm' && p.decl.kind === 'string');

async function twoGmsAndPlayer(party: TestParty) {
  const a = client(pk, party, 'alice');
  const b = client(pk, party, 'bob');
  const player = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, party.player));
  raws.push(player);
  await Promise.all([a.whenSynced(), b.whenSynced(), player.whenSynced()]);
  return { a, b, player };
}

const previewsOf = (m: PartyDataManager, states: Map<number, unknown>) =>
  readPreviews(states.get(m.awareness.clientID));

describe('gesture previews through the real rooms', () => {
  it('GM B sees GM A’s drag preview before the document changes, then the final value', async () => {
    const party = await createParty(app);
    const { a, b, player } = await twoGmsAndPlayer(party);
    const id = a.addMember(collection.key, {}, party.sceneId);
    const path = [collection.key, id, point.key];
    await waitFor('bob to see the marker', () => valueIn(b, party.sceneId, path) !== undefined);
    const start = valueIn(b, party.sceneId, path);

    a.beginEdit(path, party.sceneId);
    a.queuePropertyUpdate(path, { x: 123, y: 456 }, party.sceneId);
    await waitFor('bob to see the preview', () => {
      const v = valueIn(b, party.sceneId, path) as { x: number } | undefined;
      return v?.x === 123;
    });
    // Still only a preview: neither doc holds it.
    expect(getPath(getSceneMap(b.doc, party.sceneId)!, path, registry)).toEqual(start);
    expect(getPath(getSceneMap(a.doc, party.sceneId)!, path, registry)).toEqual(start);
    // A visible marker's position is no secret: the player gets that preview.
    await waitFor('the player to get the preview of a visible marker', () =>
      previewsOf(a, player.awareness.getStates()).some((p) => p.k[1] === id),
    );

    a.queuePropertyUpdate(path, { x: 124, y: 457 }, party.sceneId);
    a.endEdit(path, party.sceneId);
    await waitFor('the final value in bob’s doc', () => {
      const v = getPath(getSceneMap(b.doc, party.sceneId)!, path, registry) as { x: number };
      return v.x === 124;
    });
    await waitFor('the preview to be withdrawn', () => previewsOf(a, b.awareness.getStates()).length === 0);
    expect(valueIn(b, party.sceneId, path)).toEqual({ x: 124, y: 457 });
  });

  it('a gesture whose connection drops midway still writes its final value on endEdit', async () => {
    const party = await createParty(app);
    const { a, b } = await twoGmsAndPlayer(party);
    const id = a.addMember(collection.key, {}, party.sceneId);
    const path = [collection.key, id, point.key];
    await waitFor('bob to see the marker', () => valueIn(b, party.sceneId, path) !== undefined);
    a.beginEdit(path, party.sceneId);
    a.queuePropertyUpdate(path, { x: 31, y: 32 }, party.sceneId);
    a.disconnect();
    a.queuePropertyUpdate(path, { x: 41, y: 42 }, party.sceneId);
    a.endEdit(path, party.sceneId);
    a.reconnect();
    await waitFor('the final value in bob’s doc', () => {
      const v = getPath(getSceneMap(b.doc, party.sceneId)!, path, registry) as { x: number };
      return v.x === 41;
    });
    await waitFor('no preview left', () => previewsOf(a, b.awareness.getStates()).length === 0);
    expect(valueIn(b, party.sceneId, path)).toEqual({ x: 41, y: 42 });
  });

  it('a player never receives previews of a gm-only marker or gm-audience values, and cannot send any', async () => {
    const party = await createParty(app);
    const { a, b, player } = await twoGmsAndPlayer(party);
    const hidden = a.addMember(collection.key, { [hideKey]: hideValues[0] }, party.sceneId);
    const shown = a.addMember(collection.key, {}, party.sceneId);
    await waitFor('bob to see both markers', () => valueIn(b, party.sceneId, [collection.key, shown]));
    const secrets: string[] = [hidden];

    const hiddenPath = [collection.key, hidden, point.key];
    a.beginEdit(hiddenPath, party.sceneId);
    a.queuePropertyUpdate(hiddenPath, { x: 9, y: 9 }, party.sceneId);
    const gestures = [hiddenPath];
    if (memberSecret) {
      const path = [collection.key, shown, memberSecret.key];
      a.beginEdit(path, party.sceneId);
      a.queuePropertyUpdate(path, 'member-secret-preview', party.sceneId);
      secrets.push('member-secret-preview');
      gestures.push(path);
    }
    if (sceneSecret) {
      const path = [sceneSecret.plugin.key, sceneSecret.key];
      a.beginEdit(path, party.sceneId);
      a.queuePropertyUpdate(path, 'scene-secret-preview', party.sceneId);
      secrets.push('scene-secret-preview');
      gestures.push(path);
    }
    // Hiding a visible marker is itself a secret while previewed.
    const hidePath = [collection.key, shown, hideKey];
    a.beginEdit(hidePath, party.sceneId);
    a.queuePropertyUpdate(hidePath, hideValues[0], party.sceneId);
    gestures.push(hidePath);
    await waitFor(
      'bob to get every preview',
      () => previewsOf(a, b.awareness.getStates()).length === gestures.length,
    );
    // A later cursor move reaches the player: everything before it has been relayed too.
    a.updateCursor({ x: 777, y: 1 }, party.sceneId);
    await waitFor('the player to see alice’s cursor', () => {
      const s = player.awareness.getStates().get(a.awareness.clientID) as
        { cursor?: { x: number } } | undefined;
      return s?.cursor?.x === 777;
    });
    expect(previewsOf(a, player.awareness.getStates())).toEqual([]);
    const bytes = player.allBytes().toString('latin1');
    for (const secret of secrets) expect(bytes).not.toContain(secret);

    // The player's own previews are dropped by the room.
    player.publishAwareness({
      cursor: { x: 5, y: 5 },
      [PREVIEW_FIELD]: [{ s: party.sceneId, k: [collection.key, shown, point.key], v: { x: 1, y: 1 } }],
    });
    await waitFor('bob to see the player cursor', () => {
      const s = b.awareness.getStates().get(player.doc.clientID) as { cursor?: unknown } | undefined;
      return s?.cursor !== undefined;
    });
    expect(readPreviews(b.awareness.getStates().get(player.doc.clientID))).toEqual([]);
    expect(valueIn(b, party.sceneId, [collection.key, shown, point.key])).toEqual(point.decl.default);

    // The gestures end: final values go to the doc, and players still get no gm data.
    for (const path of gestures) a.endEdit(path, party.sceneId);
    await waitFor('the hidden marker moved in bob’s doc', () => {
      const v = getPath(getSceneMap(b.doc, party.sceneId)!, hiddenPath, registry) as { x: number };
      return v.x === 9;
    });
    const after = player.allBytes().toString('latin1');
    for (const secret of secrets) expect(after).not.toContain(secret);
  });
});
