/**
 * Two (or more) PartyDataManagers in Node against a real `partykit dev` and
 * the real app server: convergence, concurrent edits, cursors, scene list,
 * drift and reload, and a restart of the PartyKit server mid-session.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../engine/generated';
import type { PartykitDev } from '../../harness/partykit';
import type { AppHandle, TestParty } from '../partykit/support';
import {
  client,
  createParty,
  dbScene,
  destroyAll,
  numberAt,
  pathOf,
  rangedNumbers,
  startApp,
  startRooms,
  valueIn,
  waitFor,
} from './support';

let app: AppHandle;
let pk: PartykitDev;

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
});

afterEach(() => destroyAll());

afterAll(async () => {
  destroyAll();
  await pk?.stop();
  await app?.close();
});

const [first, second] = rangedNumbers as [(typeof rangedNumbers)[0], (typeof rangedNumbers)[0]];

async function twoGms(party: TestParty) {
  const a = client(pk, party, 'alice');
  const b = client(pk, party, 'bob');
  await Promise.all([a.whenSynced(), b.whenSynced()]);
  return { a, b };
}

describe('PartyDataManager against the real rooms', () => {
  it('connects, sees the hydrated scenes, and two GMs converge', async () => {
    const party = await createParty(app);
    const { a, b } = await twoGms(party);
    expect(a.getConnectionStatus()).toEqual({
      gameSession: 'connected',
      party: 'connected',
      overall: 'connected',
    });
    expect(a.getScenes().map((s) => s.id)).toContain(party.sceneId);
    const value = numberAt(first, 0.25);
    expect(a.queuePropertyUpdate(pathOf(first), value, party.sceneId)).toMatchObject({ ok: true });
    await waitFor('bob to see alice’s edit', () => valueIn(b, party.sceneId, pathOf(first)) === value);
  });

  it('keeps both of two concurrent edits to different fields of one scene', async () => {
    const party = await createParty(app);
    const { a, b } = await twoGms(party);
    const va = numberAt(first, 0.3);
    const vb = numberAt(second, 0.7);
    a.queuePropertyUpdate(pathOf(first), va, party.sceneId);
    b.queuePropertyUpdate(pathOf(second), vb, party.sceneId);
    for (const m of [a, b])
      await waitFor('both edits on both sides', () => {
        return (
          valueIn(m, party.sceneId, pathOf(first)) === va && valueIn(m, party.sceneId, pathOf(second)) === vb
        );
      });
    // …and the room saves both to the DB.
    await waitFor('both edits in the DB', async () => {
      const scene = await dbScene(app, party.gameSessionId, party.sceneId);
      const props = scene?.props as Record<string, Record<string, unknown>>;
      return props[first.plugin.key]![first.key] === va && props[second.plugin.key]![second.key] === vb;
    });
  });

  it('converges to one value when two GMs edit the same field at once', async () => {
    const party = await createParty(app);
    const { a, b } = await twoGms(party);
    const va = numberAt(first, 0.1);
    const vb = numberAt(first, 0.9);
    a.queuePropertyUpdate(pathOf(first), va, party.sceneId);
    b.queuePropertyUpdate(pathOf(first), vb, party.sceneId);
    const agreed = await waitFor('one value on both sides', () => {
      const x = valueIn(a, party.sceneId, pathOf(first));
      const y = valueIn(b, party.sceneId, pathOf(first));
      return x === y && (x === va || x === vb) ? { value: x } : undefined;
    });
    expect([va, vb]).toContain(agreed?.value);
  });

  it('shows other users’ cursors with name and colour, and drops them on disconnect', async () => {
    const party = await createParty(app);
    const a = client(pk, party, 'alice', { color: '#ff8800' });
    const b = client(pk, party, 'bob');
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    a.updateCursor({ x: 12.34, y: -5 }, party.sceneId);
    // The room assigns user ids (a client cannot pick one), so alice is found by her name.
    const seen = await waitFor('bob to see alice’s cursor', () =>
      b.getCursors().find((c) => c.name === 'alice'),
    );
    expect(seen).toMatchObject({ name: 'alice', color: '#ff8800', x: 12.3, y: -5, sceneId: party.sceneId });
    expect(seen?.userId).not.toBe('alice');
    expect(a.getCursors().some((c) => c.name === 'alice')).toBe(false);
    a.destroy();
    await waitFor('alice’s cursor to vanish', () => !b.getCursors().some((c) => c.name === 'alice'));
  });

  it('scene list operations reach the other GM and the DB', async () => {
    const party = await createParty(app);
    const { a, b } = await twoGms(party);
    const added = a.addScene('Tavern');
    await waitFor('bob to see the new scene', () => b.getScenes().some((s) => s.id === added));
    b.renameScene(added, 'Old tavern');
    b.moveScene(added, 0);
    await waitFor('alice to see the rename and move', () => {
      const [top] = a.getScenes();
      return top?.id === added && top.name === 'Old tavern';
    });
    await waitFor(
      'the scene saved with its name',
      async () => (await dbScene(app, party.gameSessionId, added))?.name === 'Old tavern',
    );
    a.setActiveScene(added);
    await waitFor('bob to see the active scene', () => b.getPartyState().activeSceneId === added);
  });

  it('detects a scene changed in the DB behind the room’s back and reloads it', async () => {
    const party = await createParty(app);
    const { a, b } = await twoGms(party);
    const fetchTimestamps = async () => {
      const res = await app.internal('GET', `/internal/sessions/${party.gameSessionId}`);
      return Object.fromEntries(
        (res.body.scenes as { id: string; lastUpdated: number }[]).map((s) => [s.id, s.lastUpdated]),
      );
    };
    await waitFor('the room’s timestamp', () => a.getSceneLastUpdated(party.sceneId) !== undefined);
    expect(await a.detectDrift(fetchTimestamps)).toEqual([]);

    const value = numberAt(first, 0.65);
    const column = first.columns[0]!.field;
    const put = await app.internal('PUT', `/internal/scenes/${party.sceneId}`, {
      gameSessionId: party.gameSessionId,
      scene: { [column]: value },
      savedAt: Date.now() + 1000,
    });
    expect(put.status).toBe(200);
    expect(await a.detectDrift(fetchTimestamps)).toEqual([party.sceneId]);
    expect(a.checkSceneDrift(party.sceneId, put.body.lastUpdated)).toBe(true);

    await a.reloadScene(party.sceneId);
    for (const m of [a, b])
      await waitFor(
        'the DB value in the live scene',
        () => valueIn(m, party.sceneId, pathOf(first)) === value,
      );
    await waitFor(
      'no drift after the reload',
      async () => (await a.detectDrift(fetchTimestamps)).length === 0,
    );
  });

  it('a player manager receives no GM-only data and cannot change the scene', async () => {
    const party = await createParty(app);
    const gmText = registry.props.find(
      (p) => p.plugin.attachTo === 'scene' && p.audience === 'gm' && p.decl.kind === 'string',
    );
    const gm = client(pk, party, 'gm');
    const player = client(pk, party, 'player', { view: 'player' });
    await Promise.all([gm.whenSynced(), player.whenSynced()]);
    if (gmText) gm.queuePropertyUpdate(pathOf(gmText), 'the dragon is behind the door', party.sceneId);
    const value = numberAt(first, 0.45);
    gm.queuePropertyUpdate(pathOf(first), value, party.sceneId);
    await waitFor(
      'the player to see the visible edit',
      () => valueIn(player, party.sceneId, pathOf(first)) === value,
    );
    if (gmText) expect(valueIn(player, party.sceneId, pathOf(gmText))).toBe(gmText.decl.default);
    expect(player.queuePropertyUpdate(pathOf(first), numberAt(first, 0.5), party.sceneId)).toMatchObject({
      ok: false,
      code: 'read-only',
    });
  });
});

describe('PartyKit server restart', () => {
  it('clients reconnect by themselves; nothing acknowledged is lost; offline edits merge', async () => {
    const party = await createParty(app);
    const { a, b } = await twoGms(party);
    const before = numberAt(first, 0.2);
    a.queuePropertyUpdate(pathOf(first), before, party.sceneId);
    await waitFor(
      'bob to acknowledge the first edit',
      () => valueIn(b, party.sceneId, pathOf(first)) === before,
    );

    await pk.kill('SIGTERM');
    await waitFor('both to notice the server is gone', () =>
      [a, b].every((m) => m.getConnectionStatus().gameSession !== 'connected'),
    );
    // Edits made while the server is down: shown locally at once, sent after reconnecting.
    const va = numberAt(first, 0.8);
    const vb = numberAt(second, 0.4);
    a.queuePropertyUpdate(pathOf(first), va, party.sceneId);
    b.queuePropertyUpdate(pathOf(second), vb, party.sceneId);
    expect(valueIn(a, party.sceneId, pathOf(first))).toBe(va);
    const offlineScene = a.addScene('Made offline');

    await pk.restart();
    await waitFor(
      'both to reconnect by themselves',
      () => [a, b].every((m) => m.getConnectionStatus().overall === 'connected' && m.isSynced()),
      30_000,
    );
    for (const m of [a, b])
      await waitFor('offline edits merged on both sides', () => {
        return (
          valueIn(m, party.sceneId, pathOf(first)) === va &&
          valueIn(m, party.sceneId, pathOf(second)) === vb &&
          m.getScenes().some((s) => s.id === offlineScene)
        );
      });

    // A newcomer after everyone left and the server restarted again still gets everything.
    destroyAll();
    await pk.restart();
    const c = client(pk, party, 'carol');
    await c.whenSynced();
    expect(valueIn(c, party.sceneId, pathOf(first))).toBe(va);
    expect(valueIn(c, party.sceneId, pathOf(second))).toBe(vb);
    expect(c.getScenes().some((s) => s.id === offlineScene)).toBe(true);
  });
});
