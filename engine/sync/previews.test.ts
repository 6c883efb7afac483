/**
 * Gesture previews without a server: two PartyDataManagers whose docs and
 * awareness are relayed directly (as the room would), under fake timers.
 * Inside a beginEdit/endEdit gesture edits travel as awareness previews,
 * throttled with the cursor; the document gets the final value only.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import { THROTTLE_MS, type PropInfo } from '../schema';
import { registry } from '../generated/schemas';
import { PartyDataManager, type PartyDataManagerOptions } from './PartyDataManager';
import { getPath, getSceneMap } from './docLayout';
import { PREVIEW_FIELD, readPreviews } from './previews';

const REMOTE = Symbol('relay');
const FRAME = 1000 / 60;

function manager(userId: string, options: PartyDataManagerOptions = {}): PartyDataManager {
  return new PartyDataManager('party-1', userId, 'session-1', 'localhost:1', async () => 'no-ticket', {
    connect: false,
    storage: null,
    ...options,
  });
}

function linkDocs(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a), REMOTE);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b), REMOTE);
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(b, u, REMOTE));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(a, u, REMOTE));
}

/** Relays `from`'s own awareness changes to `to`; returns the times (and states) of what was sent. */
function relayAwareness(from: Awareness, to: Awareness): { at: number; state: Record<string, unknown> }[] {
  const sent: { at: number; state: Record<string, unknown> }[] = [];
  from.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
    if (origin !== 'local') return;
    sent.push({ at: Date.now(), state: { ...(from.getLocalState() ?? {}) } });
    applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added!, ...updated!, ...removed!]), REMOTE);
  });
  return sent;
}

const valueAt = (props: unknown, path: readonly string[]) =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], props);

const slider = registry.props.find(
  (p) =>
    p.plugin.attachTo === 'scene' &&
    !p.localOnly &&
    p.audience === 'all' &&
    p.decl.kind === 'number' &&
    p.decl.min !== undefined &&
    p.decl.max !== undefined &&
    // Both bounds must differ from the default, so writing either one is a change (and an undo step).
    p.decl.min < p.decl.default &&
    p.decl.default < p.decl.max,
)!;
const sliderPath = [slider.plugin.key, slider.key];
const collection = registry.collections[0]!;
const pointProp = collection.props.find((p) => p.audience === 'all' && p.decl.kind === 'point')!;
const gmProp = registry.props.find((p) => p.plugin.attachTo === 'scene' && p.audience === 'gm')!;
const { min, max } = slider.decl as { min: number; max: number };
const sliderAt = (t: number) => min + ((max - min) * (1 + Math.sin(t / 300))) / 2;
/** A string value valid for a text-like property. */
const textFor = (p: PropInfo) => (p.decl.kind === 'string' ? 'secret' : undefined);

let managers: PartyDataManager[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
  managers = [];
});
afterEach(() => {
  for (const m of managers) m.destroy();
  vi.useRealTimers();
});

function pair(bOptions: PartyDataManagerOptions = {}) {
  const a = manager('alice');
  const b = manager('bob', bOptions);
  managers.push(a, b);
  linkDocs(a.doc, b.doc);
  const sentByA = relayAwareness(a.awareness, b.awareness);
  relayAwareness(b.awareness, a.awareness);
  const sceneId = a.addScene('Cave');
  a.setCurrentScene(sceneId);
  b.setCurrentScene(sceneId);
  return { a, b, sceneId, sentByA };
}

function docWrites(m: PartyDataManager): { count: number } {
  const counter = { count: 0 };
  m.doc.on('update', (_u: Uint8Array, origin: unknown) => {
    if (origin === m.origin) counter.count++;
  });
  return counter;
}

describe('gesture previews', () => {
  it('a 60 Hz scrub inside a gesture writes nothing until endEdit, then exactly the last value, as one undo step', () => {
    const { a, b, sceneId } = pair();
    const before = valueAt(a.getSceneData(sceneId), sliderPath);
    const writes = docWrites(a);
    a.beginEdit(sliderPath);
    let last: unknown;
    for (let t = 0; t < 3000; t += FRAME) {
      const r = a.queuePropertyUpdate(sliderPath, sliderAt(t));
      expect(r.ok).toBe(true);
      last = r.ok ? r.value : undefined;
      // Shown at once to the user doing it.
      expect(valueAt(a.getSceneData(sceneId), sliderPath)).toBe(last);
      vi.advanceTimersByTime(FRAME);
    }
    vi.advanceTimersByTime(1000);
    expect(writes.count).toBe(0);
    expect(getPath(getSceneMap(b.doc, sceneId)!, sliderPath, registry)).toBe(before);
    a.endEdit(sliderPath);
    vi.advanceTimersByTime(1000);
    expect(writes.count).toBe(1);
    expect(getPath(getSceneMap(b.doc, sceneId)!, sliderPath, registry)).toBe(last);
    expect(valueAt(b.getSceneData(sceneId), sliderPath)).toBe(last);
    // The preview is withdrawn once the value is in the doc.
    expect(readPreviews(a.awareness.getLocalState())).toEqual([]);
    expect(a.undo()).toBe(true);
    expect(valueAt(a.getSceneData(sceneId), sliderPath)).toBe(before);
  });

  it('two gestures in quick succession are two undo steps', () => {
    const { a, sceneId } = pair();
    const before = valueAt(a.getSceneData(sceneId), sliderPath);
    a.beginEdit(sliderPath);
    a.queuePropertyUpdate(sliderPath, min);
    a.endEdit(sliderPath);
    a.beginEdit(sliderPath);
    a.queuePropertyUpdate(sliderPath, max);
    a.endEdit(sliderPath);
    a.undo();
    expect(valueAt(a.getSceneData(sceneId), sliderPath)).toBe(min);
    a.undo();
    expect(valueAt(a.getSceneData(sceneId), sliderPath)).toBe(before);
  });

  it('a gesture that ends where it started writes nothing', () => {
    const { a, sceneId } = pair();
    const start = valueAt(a.getSceneData(sceneId), sliderPath);
    const writes = docWrites(a);
    a.beginEdit(sliderPath);
    a.queuePropertyUpdate(sliderPath, max === start ? min : max);
    a.queuePropertyUpdate(sliderPath, start); // a cancelled drag puts the start value back
    a.endEdit(sliderPath);
    a.beginEdit(sliderPath); // a click without a move
    a.endEdit(sliderPath);
    vi.advanceTimersByTime(1000);
    expect(writes.count).toBe(0);
  });

  it('sends previews and the cursor together, one awareness update per cursor window', () => {
    const { a, b, sentByA } = pair();
    vi.advanceTimersByTime(1000);
    sentByA.length = 0;
    a.beginEdit(sliderPath);
    let lastValue: unknown;
    for (let t = 0; t < 2000; t += FRAME) {
      a.updateCursor({ x: t / 10, y: 1 });
      const r = a.queuePropertyUpdate(sliderPath, sliderAt(t));
      if (r.ok) lastValue = r.value;
      vi.advanceTimersByTime(FRAME);
    }
    a.endEdit(sliderPath);
    vi.advanceTimersByTime(1000);
    for (let i = 1; i < sentByA.length; i++)
      expect(sentByA[i]!.at - sentByA[i - 1]!.at).toBeGreaterThanOrEqual(THROTTLE_MS.cursor);
    // 120 inputs of each kind, merged into at most one update per window (+ the withdrawal).
    expect(sentByA.length).toBeLessThanOrEqual(Math.ceil(2000 / THROTTLE_MS.cursor) + 2);
    const during = sentByA.slice(0, -1);
    // The first move after a pause goes out at once, alone; from then on each update carries both.
    expect(during.slice(1).every((s) => s.state.cursor && Array.isArray(s.state[PREVIEW_FIELD]))).toBe(true);
    // The withdrawal may overtake the last preview; the doc has the last value.
    expect(valueAt(b.getSceneData(a.currentSceneId!), sliderPath)).toBe(lastValue);
    expect(sentByA.at(-1)!.state[PREVIEW_FIELD]).toBeUndefined();
  });

  it('never sends cursor updates closer than the window, ending on the last position', () => {
    const { a, b, sentByA } = pair();
    vi.advanceTimersByTime(1000);
    sentByA.length = 0;
    let lastX = 0;
    for (let t = 0; t < 60_000 / 4; t += FRAME) {
      lastX = Math.round(t);
      a.updateCursor({ x: lastX, y: 2 });
      vi.advanceTimersByTime(FRAME);
    }
    vi.advanceTimersByTime(100);
    for (let i = 1; i < sentByA.length; i++)
      expect(sentByA[i]!.at - sentByA[i - 1]!.at).toBeGreaterThanOrEqual(THROTTLE_MS.cursor);
    // At most 30 a second: half of the 60 Hz input or fewer.
    expect(sentByA.length).toBeLessThanOrEqual(15 * 30 + 1);
    expect(b.getCursors()[0]).toMatchObject({ x: lastX, y: 2 });
  });

  it('shows another user’s drag preview before the doc changes, sharing unchanged parts', () => {
    const { a, b, sceneId } = pair();
    const id = a.addMember(collection.key);
    const other = a.addMember(collection.key);
    const path = [collection.key, id, pointProp.key];
    const before = b.getSceneData(sceneId)!;
    let notified = 0;
    b.subscribe((e) => e.type === 'scene' && notified++);
    a.beginEdit(path);
    a.queuePropertyUpdate(path, { x: 40, y: 50 });
    vi.advanceTimersByTime(THROTTLE_MS.cursor);
    const during = b.getSceneData(sceneId)!;
    expect(notified).toBeGreaterThan(0);
    expect(valueAt(during, path)).toEqual({ x: 40, y: 50 });
    expect(getPath(getSceneMap(b.doc, sceneId)!, path, registry)).toEqual(pointProp.decl.default);
    const members = (s: unknown) => (s as Record<string, Record<string, unknown>>)[collection.key]!;
    expect(members(during)[other]).toBe(members(before)[other]);
    const group = (s: unknown) => (s as Record<string, unknown>)[slider.plugin.key];
    expect(group(during)).toBe(group(before));
    // A path bob is editing himself stays as he has it (focus protection).
    b.beginEdit(path);
    b.queuePropertyUpdate(path, { x: 1, y: 1 });
    a.queuePropertyUpdate(path, { x: 60, y: 70 });
    vi.advanceTimersByTime(THROTTLE_MS.cursor);
    expect(valueAt(b.getSceneData(sceneId), path)).toEqual({ x: 1, y: 1 });
  });

  it('drops a user’s previews when they disconnect', () => {
    const { a, b, sceneId } = pair();
    a.beginEdit(sliderPath);
    a.queuePropertyUpdate(sliderPath, max);
    vi.advanceTimersByTime(THROTTLE_MS.cursor);
    expect(valueAt(b.getSceneData(sceneId), sliderPath)).toBe(max);
    let notified = 0;
    b.subscribe((e) => e.type === 'scene' && notified++);
    // What the provider does when the room reports the user gone.
    removeAwarenessStates(b.awareness, [a.awareness.clientID], REMOTE);
    expect(notified).toBeGreaterThan(0);
    expect(valueAt(b.getSceneData(sceneId), sliderPath)).toBe(slider.decl.default);
  });

  it('never renders invalid previews, nor previews of unknown scenes, paths or members', () => {
    const b = manager('bob');
    managers.push(b);
    const sceneId = b.addScene('Cave');
    const memberId = b.addMember(collection.key, {}, sceneId);
    const before = b.getSceneData(sceneId);
    const peer = new Awareness(new Y.Doc());
    relayAwareness(peer, b.awareness);
    peer.setLocalState({
      [PREVIEW_FIELD]: [
        { s: sceneId, k: sliderPath, v: 'not a number' },
        { s: sceneId, k: sliderPath, v: max + 1e9 },
        { s: 'no-such-scene', k: sliderPath, v: min },
        { s: sceneId, k: [slider.plugin.key, 'noSuchKey'], v: 1 },
        { s: sceneId, k: [collection.key, 'no-such-member', pointProp.key], v: { x: 1, y: 1 } },
        { s: sceneId, k: [collection.key, memberId, pointProp.key], v: { x: 'a', y: 1 } },
        { s: sceneId, k: sliderPath },
        'junk',
      ],
    });
    expect(b.getSceneData(sceneId)).toBe(before);
    peer.destroy();
  });

  it('a player view ignores previews of gm-audience properties', () => {
    const gmValue = textFor(gmProp);
    if (gmValue === undefined) return; // registry without a text gm property
    const player = manager('player', { view: 'player' });
    managers.push(player);
    const gm = manager('gm');
    managers.push(gm);
    linkDocs(gm.doc, player.doc);
    relayAwareness(gm.awareness, player.awareness);
    const sceneId = gm.addScene('Cave');
    const path = [gmProp.plugin.key, gmProp.key];
    gm.beginEdit(path, sceneId);
    gm.queuePropertyUpdate(path, gmValue, sceneId);
    gm.beginEdit(sliderPath, sceneId);
    gm.queuePropertyUpdate(sliderPath, max, sceneId);
    vi.advanceTimersByTime(THROTTLE_MS.cursor);
    expect(readPreviews(player.awareness.getStates().get(gm.awareness.clientID))).toHaveLength(2);
    expect(valueAt(player.getSceneData(sceneId), path)).toEqual(gmProp.decl.default);
    expect(valueAt(player.getSceneData(sceneId), sliderPath)).toBe(max);
  });

  it('writes the last value of a gesture that ends while offline, and of one open at destroy', () => {
    const { a, b, sceneId } = pair();
    a.disconnect();
    a.beginEdit(sliderPath);
    a.queuePropertyUpdate(sliderPath, max);
    a.endEdit(sliderPath);
    expect(getPath(getSceneMap(a.doc, sceneId)!, sliderPath, registry)).toBe(max);
    a.beginEdit(sliderPath);
    a.queuePropertyUpdate(sliderPath, min);
    a.destroy();
    expect(getPath(getSceneMap(b.doc, sceneId)!, sliderPath, registry)).toBe(min);
  });
});
