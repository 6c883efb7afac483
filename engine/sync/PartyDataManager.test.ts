/**
 * PartyDataManager without a server: two managers' docs are linked directly
 * (each update applied to the other, as the room would relay it), so these
 * tests cover the client logic; tests/integration/sync covers the real room.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { THROTTLE_MS, type PropInfo } from '../schema';
import { registry } from '../generated/schemas';
import { PartyDataManager, type PartyDataManagerOptions } from './PartyDataManager';
import { getSessionMeta } from './docLayout';
import type { KeyValueStorage } from './localState';

const REMOTE = Symbol('relay');

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

function manager(userId: string, options: PartyDataManagerOptions = {}): PartyDataManager {
  return new PartyDataManager('party-1', userId, 'session-1', 'localhost:1', async () => 'no-ticket', {
    connect: false,
    storage: null,
    ...options,
  });
}

/** Relays every update between the two docs, like the room does. */
function link(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), REMOTE);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b), REMOTE);
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(b, u, REMOTE));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(a, u, REMOTE));
}

type Tree = Record<string, Record<string, unknown>>;
const valueAt = (props: unknown, path: readonly string[]) =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], props);

/** Two distinct valid values for a property, chosen from its declaration. */
function twoValues(prop: PropInfo): [unknown, unknown] {
  const d = prop.decl;
  switch (d.kind) {
    case 'number':
    case 'integer':
      return [d.min ?? 1, d.max ?? 2];
    case 'boolean':
      return [!d.default, d.default];
    case 'enum':
      return [d.values[1] ?? d.values[0], d.values[0]];
    case 'color':
      return ['#123456', '#abcdef'];
    case 'asset':
      return ['/uploads/one.png', '/uploads/two.png'];
    case 'point':
      return [
        { x: 1, y: 2 },
        { x: 3, y: 4 },
      ];
    default:
      return ['one', 'two'];
  }
}

const synced = registry.props.filter(
  (p) => p.plugin.attachTo === 'scene' && !p.localOnly && p.audience === 'all',
);
const [controlProp, otherProp] = [
  synced.find((p) => p.throttle === 'control' && p.decl.kind === 'number')!,
  synced.find((p) => p.throttle === 'scene')!,
];
const pathOf = (p: PropInfo) => [p.plugin.key, p.key];
const localProp = registry.props.find((p) => p.localOnly && p.decl.kind === 'number')!;
const collection = registry.collections[0]!;

let managers: PartyDataManager[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  managers = [];
});
afterEach(() => {
  for (const m of managers) m.destroy();
  vi.useRealTimers();
});

function pair() {
  const a = manager('alice');
  const b = manager('bob');
  managers.push(a, b);
  link(a.doc, b.doc);
  const sceneId = a.addScene('Cave');
  a.setCurrentScene(sceneId);
  b.setCurrentScene(sceneId);
  return { a, b, sceneId };
}

describe('PartyDataManager (no server)', () => {
  it('refuses bad input with a clear error and changes nothing', () => {
    const { a, sceneId } = pair();
    const before = a.getSceneData(sceneId);
    let updates = 0;
    a.doc.on('update', () => updates++);
    const result = a.queuePropertyUpdate(pathOf(controlProp), { bad: true });
    expect(result).toMatchObject({ ok: false, code: 'type' });
    expect(!result.ok && result.reason).toContain(controlProp.key);
    expect(a.queuePropertyUpdate(['nope', 'x'], 1)).toMatchObject({ ok: false, code: 'unknown-path' });
    vi.advanceTimersByTime(1000);
    expect(updates).toBe(0);
    expect(a.getSceneData(sceneId)).toBe(before);
  });

  it('shows an edit at once, sends it at its deadline in one transaction, and the other side converges', () => {
    const { a, b, sceneId } = pair();
    const [v1] = twoValues(controlProp);
    const [w1] = twoValues(otherProp);
    let updates = 0;
    a.doc.on('update', () => updates++);
    expect(a.queuePropertyUpdate(pathOf(controlProp), v1)).toMatchObject({ ok: true, localOnly: false });
    a.queuePropertyUpdate(pathOf(otherProp), w1);
    expect(valueAt(a.getSceneData(sceneId), pathOf(controlProp))).toEqual(v1);
    expect(updates).toBe(0);
    vi.advanceTimersByTime(THROTTLE_MS[controlProp.throttle]);
    expect(updates).toBe(1); // both paths, one transaction, one message
    expect(valueAt(b.getSceneData(sceneId), pathOf(controlProp))).toEqual(v1);
    expect(valueAt(b.getSceneData(sceneId), pathOf(otherProp))).toEqual(w1);
  });

  it('keeps local-only values per user, out of the document, in storage', () => {
    const storage = memoryStorage();
    const a = manager('alice', { storage });
    managers.push(a);
    const sceneId = a.addScene('Cave');
    let updates = 0;
    a.doc.on('update', () => updates++);
    const value = localProp.decl.kind === 'number' ? (localProp.decl.max ?? 5) : 5;
    expect(a.queuePropertyUpdate(pathOf(localProp), value, sceneId)).toMatchObject({
      ok: true,
      localOnly: true,
    });
    vi.advanceTimersByTime(1000);
    expect(updates).toBe(0);
    expect(valueAt(a.getSceneData(sceneId), pathOf(localProp))).toBe(value);
    // A later visit by the same user on this browser restores it.
    const again = manager('alice', { storage });
    managers.push(again);
    Y.applyUpdate(again.doc, Y.encodeStateAsUpdate(a.doc));
    expect(valueAt(again.getSceneData(sceneId), pathOf(localProp))).toBe(value);
  });

  it('shares structure: unchanged groups and members keep their identity', () => {
    const { a, b, sceneId } = pair();
    a.addMember(collection.key, {}, sceneId);
    a.addMember(collection.key, {}, sceneId);
    const s1 = b.getSceneData(sceneId)!;
    expect(b.getSceneData(sceneId)).toBe(s1);
    a.queuePropertyUpdate(pathOf(controlProp), twoValues(controlProp)[0]);
    a.flush();
    const s2 = b.getSceneData(sceneId)!;
    expect(s2).not.toBe(s1);
    const t1 = s1 as unknown as Tree;
    const t2 = s2 as unknown as Tree;
    for (const plugin of registry.plugins)
      if (plugin !== controlProp.plugin) expect(t2[plugin.key]).toBe(t1[plugin.key]);
    expect(t2[controlProp.plugin.key]).not.toBe(t1[controlProp.plugin.key]);
    expect(Object.isFrozen(s2)).toBe(true);
    // One member moves: the other keeps its object.
    const [m1, m2] = Object.keys(t2[collection.key]!);
    const memberProp = collection.props.find((p) => p.audience === 'all' && p.decl.kind === 'point')!;
    a.queuePropertyUpdate([collection.key, m1!, memberProp.key], { x: 10, y: 20 });
    a.flush();
    const t3 = b.getSceneData(sceneId) as unknown as Tree;
    const members2 = t2[collection.key] as Tree;
    const members3 = t3[collection.key] as Tree;
    expect(members3[m2!]).toBe(members2[m2!]);
    expect(members3[m1!]![memberProp.key]).toEqual({ x: 10, y: 20 });
    expect(t3[controlProp.plugin.key]).toBe(t2[controlProp.plugin.key]);
  });

  it('protects a focused control from remote updates until the edit ends', () => {
    const { a, b, sceneId } = pair();
    const [mine, theirs] = twoValues(controlProp);
    a.beginEdit(pathOf(controlProp));
    b.queuePropertyUpdate(pathOf(controlProp), theirs);
    b.flush();
    // The remote write does not move the control under the user's hand…
    expect(valueAt(a.getSceneData(sceneId), pathOf(controlProp))).toEqual(
      registry.byPath(pathOf(controlProp))!.decl.default,
    );
    a.queuePropertyUpdate(pathOf(controlProp), mine);
    a.flush();
    expect(valueAt(a.getSceneData(sceneId), pathOf(controlProp))).toEqual(mine);
    // …and the gesture's value is written when it ends, so it is the last write.
    a.endEdit(pathOf(controlProp));
    expect(valueAt(a.getSceneData(sceneId), pathOf(controlProp))).toEqual(mine);
    expect(valueAt(b.getSceneData(sceneId), pathOf(controlProp))).toEqual(mine);
  });

  it('shows the doc value after an edit without a value ends, even if another user changed it', () => {
    const { a, b, sceneId } = pair();
    const [, theirs] = twoValues(controlProp);
    a.beginEdit(pathOf(controlProp));
    b.queuePropertyUpdate(pathOf(controlProp), theirs);
    b.flush();
    a.endEdit(pathOf(controlProp));
    expect(valueAt(a.getSceneData(sceneId), pathOf(controlProp))).toEqual(theirs);
  });

  it("undo reverts only this user's changes", () => {
    const { a, b, sceneId } = pair();
    const [va] = twoValues(controlProp);
    const [vb] = twoValues(otherProp);
    a.queuePropertyUpdate(pathOf(controlProp), va);
    a.flush();
    b.queuePropertyUpdate(pathOf(otherProp), vb);
    b.flush();
    expect(a.undo()).toBe(true);
    for (const m of [a, b]) {
      expect(valueAt(m.getSceneData(sceneId), pathOf(controlProp))).toEqual(controlProp.decl.default);
      expect(valueAt(m.getSceneData(sceneId), pathOf(otherProp))).toEqual(vb);
    }
    expect(a.redo()).toBe(true);
    expect(valueAt(b.getSceneData(sceneId), pathOf(controlProp))).toEqual(va);
  });

  it('drops edits to a member another user deleted instead of bringing it back', () => {
    const { a, b, sceneId } = pair();
    const id = a.addMember(collection.key, {}, sceneId);
    const memberProp = collection.props.find((p) => p.audience === 'all' && p.decl.kind === 'point')!;
    b.queuePropertyUpdate([collection.key, id, memberProp.key], { x: 5, y: 5 });
    a.removeMember(collection.key, id, sceneId);
    vi.advanceTimersByTime(1000);
    for (const m of [a, b]) expect((m.getSceneData(sceneId) as unknown as Tree)[collection.key]).toEqual({});
    expect(b.queuePropertyUpdate([collection.key, id, memberProp.key], { x: 1, y: 1 })).toMatchObject({
      ok: false,
      code: 'deleted',
    });
  });

  it('manages the scene list in the document', () => {
    const { a, b, sceneId } = pair();
    const second = a.addScene('Tavern');
    a.renameScene(sceneId, 'Deep cave');
    a.queuePropertyUpdate(pathOf(controlProp), twoValues(controlProp)[0]);
    const copy = a.duplicateScene(sceneId);
    expect(b.getScenes()).toEqual([
      { id: sceneId, name: 'Deep cave' },
      { id: copy, name: 'Deep cave (copy)' },
      { id: second, name: 'Tavern' },
    ]);
    expect(valueAt(b.getSceneData(copy), pathOf(controlProp))).toEqual(twoValues(controlProp)[0]);
    b.moveScene(second, 0);
    expect(a.getScenes().map((s) => s.id)).toEqual([second, sceneId, copy]);
    expect(a.deleteScene(copy)).toBe(true);
    expect(b.getScenes().map((s) => s.id)).toEqual([second, sceneId]);
    expect(b.getSceneData(copy)).toBeUndefined();
    expect(() => a.renameScene(sceneId, '  ')).toThrow(/empty/);
  });

  it('a player view refuses synced edits but keeps local-only ones', () => {
    const gm = manager('gm');
    const player = manager('p', { view: 'player' });
    managers.push(gm, player);
    link(gm.doc, player.doc);
    const sceneId = gm.addScene('Cave');
    expect(player.queuePropertyUpdate(pathOf(controlProp), twoValues(controlProp)[0], sceneId)).toMatchObject(
      {
        ok: false,
        code: 'read-only',
      },
    );
    expect(player.queuePropertyUpdate(pathOf(localProp), localProp.decl.default, sceneId)).toMatchObject({
      ok: true,
    });
    let updates = 0;
    player.doc.on('update', () => updates++);
    player.partyDoc.on('update', () => updates++);
    expect(() => player.addScene('Mine')).toThrow(/read-only/);
    expect(() => player.setActiveScene(sceneId)).toThrow(/read-only/);
    expect(() => player.setPaused(true)).toThrow(/read-only/);
    expect(() => player.addMember(collection.key, {}, sceneId)).toThrow(/read-only/);
    expect(() => player.deleteScene(sceneId)).toThrow(/read-only/);
    expect(updates).toBe(0);
  });

  it('reports party state and drift', async () => {
    const { a, b, sceneId } = pair();
    link(a.partyDoc, b.partyDoc);
    a.setActiveScene(sceneId);
    a.setPaused(true);
    expect(b.getPartyState()).toEqual({
      activeGameSessionId: 'session-1',
      activeSceneId: sceneId,
      paused: true,
    });
    const lastUpdated = new Y.Map<number>();
    getSessionMeta(a.doc).set('lastUpdated', lastUpdated);
    lastUpdated.set(sceneId, 1000);
    expect(b.checkSceneDrift(sceneId, 1000)).toBe(false);
    expect(b.checkSceneDrift(sceneId, 1001)).toBe(true);
    expect(await b.detectDrift(async () => ({ [sceneId]: 2000, unknown: 5 }))).toEqual([sceneId]);
    await expect(b.reloadScene(sceneId)).rejects.toThrow(/no reload function/);
    const reload = vi.fn(async () => {});
    const c = manager('carol', { reloadScene: reload });
    managers.push(c);
    await c.reloadScene(sceneId);
    expect(reload).toHaveBeenCalledWith(sceneId);
  });

  it('notifies subscribers and stops after unsubscribe', () => {
    const { a, b } = pair();
    const events: string[] = [];
    const off = b.subscribe((e) => events.push(e.type));
    a.addScene('More');
    expect(events).toContain('sceneList');
    off();
    events.length = 0;
    a.addScene('Even more');
    expect(events).toEqual([]);
    expect(b.getConnectionStatus()).toEqual({
      gameSession: 'disconnected',
      party: 'disconnected',
      overall: 'disconnected',
    });
  });
});
