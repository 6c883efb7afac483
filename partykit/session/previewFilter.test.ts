import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { registry } from '../../engine/generated';
import { getOrCreateSceneMap, setPath } from '../../engine/sync/docLayout';
import { PREVIEW_FIELD, readPreviews, type PreviewWire } from '../../engine/sync/previews';
import { decodeClientMessage, encodeAwarenessMessage, encodeSyncUpdate } from '../core/messages';
import { ROOM_ORIGIN } from '../core/syncRoom';
import { PreviewFilter } from './previewFilter';
import { Projector } from './projection';

const collection = registry.collections.find((c) => c.gmOnlyWhen.size > 0)!;
const [hideKey, hideValues] = [...collection.gmOnlyWhen][0]!;
const hideProp = collection.props.find((p) => p.key === hideKey)!;
const showValue = (hideProp.decl as { values: readonly string[] }).values.find(
  (v) => !hideValues.includes(v),
)!;
const point = collection.props.find((p) => p.audience === 'all' && p.decl.kind === 'point')!;
const memberGmProp = collection.props.find((p) => p.audience === 'gm')!;
const sceneAll = registry.scenePlugins
  .flatMap((p) => p.props)
  .find((p) => !p.localOnly && p.audience === 'all' && p.decl.kind === 'number')!;
const sceneGm = registry.scenePlugins.flatMap((p) => p.props).find((p) => p.audience === 'gm')!;

/** A room's two docs: scene `s1` with a visible member `shown` and a gm-only member `hidden`. */
function setup() {
  const full = new Y.Doc();
  const view = new Y.Doc();
  full.transact(() => {
    const scene = getOrCreateSceneMap(full, 's1', registry, { name: 'One' });
    setPath(scene, [collection.key, 'shown', hideKey], showValue, registry);
    setPath(scene, [collection.key, 'hidden', hideKey], hideValues[0], registry);
  }, ROOM_ORIGIN);
  new Projector(full, view, registry).projectAll(ROOM_ORIGIN);
  return new PreviewFilter(registry, full, view);
}

/** The room's awareness message for one client with `state`. */
function message(state: Record<string, unknown>): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 42;
  const awareness = new Awareness(doc);
  awareness.setLocalState(state);
  const update = encodeAwarenessUpdate(awareness, [42]);
  awareness.destroy();
  return encodeAwarenessMessage(update);
}

function stateOf(bytes: Uint8Array): Record<string, unknown> {
  const decoded = decodeClientMessage(bytes);
  if (decoded.type !== 'awareness') throw new Error('not awareness');
  const awareness = new Awareness(new Y.Doc());
  applyAwarenessUpdate(awareness, decoded.update, null);
  return awareness.getStates().get(42) as Record<string, unknown>;
}

const gm = { id: 'gm1', role: 'gm' };
const previews: PreviewWire[] = [
  { s: 's1', k: [sceneAll.plugin.key, sceneAll.key], v: sceneAll.decl.default },
  { s: 's1', k: [sceneGm.plugin.key, sceneGm.key], v: 'secret plan' },
  { s: 's1', k: [collection.key, 'shown', point.key], v: { x: 5, y: 6 } },
  { s: 's1', k: [collection.key, 'hidden', point.key], v: { x: 7, y: 8 } },
  { s: 's1', k: [collection.key, 'shown', memberGmProp.key], v: 'gm note' },
  { s: 's1', k: [collection.key, 'unknown', point.key], v: { x: 1, y: 1 } },
  { s: 'no-scene', k: [sceneAll.plugin.key, sceneAll.key], v: sceneAll.decl.default },
];

describe('PreviewFilter', () => {
  it('lets GMs see every GM preview, the same bytes', () => {
    const filter = setup();
    const bytes = message({ user: gm, cursor: { x: 1, y: 2 }, [PREVIEW_FIELD]: previews });
    expect(filter.outgoing(bytes, 'gm')).toBe(bytes);
  });

  it('gives players only previews of values they could see, keeping the cursor', () => {
    const filter = setup();
    const bytes = message({ user: gm, cursor: { x: 1, y: 2 }, [PREVIEW_FIELD]: previews });
    const out = stateOf(filter.outgoing(bytes, 'player'));
    expect(out.cursor).toEqual({ x: 1, y: 2 });
    expect(out.user).toEqual(gm);
    expect(readPreviews(out)).toEqual([previews[0], previews[2]]);
    // Computed once per message and audience.
    expect(filter.outgoing(bytes, 'player')).toBe(filter.outgoing(bytes, 'player'));
  });

  it('strips a preview that would hide a visible member (it reveals the GM is hiding it)', () => {
    const filter = setup();
    const hiding: PreviewWire = { s: 's1', k: [collection.key, 'shown', hideKey], v: hideValues[0] };
    const out = stateOf(filter.outgoing(message({ user: gm, [PREVIEW_FIELD]: [hiding] }), 'player'));
    expect(out[PREVIEW_FIELD]).toBeUndefined();
    expect(filter.visibleToPlayers({ ...hiding, v: showValue })).toBe(true);
  });

  it('drops previews from player connections for everyone', () => {
    const filter = setup();
    const bytes = message({ user: { role: 'player' }, [PREVIEW_FIELD]: [previews[0]] });
    for (const audience of ['gm', 'player'] as const)
      expect(stateOf(filter.outgoing(bytes, audience))[PREVIEW_FIELD]).toBeUndefined();
  });

  it('passes other messages and preview-free states through untouched', () => {
    const filter = setup();
    const sync = encodeSyncUpdate(Y.encodeStateAsUpdate(new Y.Doc()));
    expect(filter.outgoing(sync, 'player')).toBe(sync);
    const plain = message({ user: gm, cursor: { x: 1, y: 1 } });
    expect(filter.outgoing(plain, 'player')).toBe(plain);
  });

  it('filters a parsed state (what the per-tick presence deltas are built from) exactly as a message', () => {
    const filter = setup();
    const states: Record<string, unknown>[] = [
      { user: gm, cursor: { x: 1, y: 2 }, [PREVIEW_FIELD]: previews },
      { user: { role: 'player' }, [PREVIEW_FIELD]: [previews[0]] },
      { user: gm, cursor: { x: 1, y: 1 } },
    ];
    for (const state of states)
      for (const audience of ['gm', 'player'] as const)
        expect(filter.stateFor(state, audience)).toEqual(stateOf(filter.outgoing(message(state), audience)));
    // Nothing to hide: the same object, so the room reuses what it already encoded for it.
    expect(filter.stateFor(states[2]!, 'player')).toBe(states[2]);
    expect(filter.stateFor(states[0]!, 'gm')).toBe(states[0]);
  });
});
