import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRegistry, definePlugin, p, type MigrationStep } from '../schema';
import { getSessionMeta } from './docLayout';
import { recordVersions, storedVersions, upgradeDoc } from './upgradeDoc';

// Made-up plugins (test data): a scene group and a collection, before and after a schema change.
function registry(version: 0 | 1) {
  const gizmoSteps: MigrationStep[] = [
    {
      version: 1,
      rename: { lineWidth: 'thickness' },
      up: (v) => ({ ...v, ...(v.on === 1 ? { on: true } : {}) }),
    },
  ];
  const pinSteps: MigrationStep[] = [
    {
      version: 1,
      drop: ['size'],
      up: (v) => (typeof v.size === 'number' ? { ...v, width: v.size, height: v.size } : v),
    },
  ];
  const gizmo = definePlugin({
    name: 'gizmo',
    attachTo: 'scene',
    label: 'Gizmo',
    throttle: 'control',
    props:
      version === 0
        ? { lineWidth: p.number(1), on: p.integer(0) }
        : { thickness: p.number(1), on: p.boolean(false) },
    ...(version === 1 ? { migrations: gizmoSteps } : {}),
  });
  const pin = definePlugin({
    name: 'pin',
    attachTo: 'collection',
    label: 'Pin',
    throttle: 'member',
    props: version === 0 ? { size: p.number(4) } : { width: p.number(4), height: p.number(4) },
    ...(version === 1 ? { migrations: pinSteps } : {}),
  });
  return createRegistry([
    { file: 'gizmo.schema.ts', plugin: gizmo },
    { file: 'pin.schema.ts', plugin: pin },
  ]);
}

/** A stored document as a room keeps it (V2 update), written with the old schema. */
function storedDoc(withRecord: boolean): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const scene = new Y.Map<unknown>();
    doc.getMap('scenes').set('s1', scene);
    const group = new Y.Map<unknown>();
    scene.set('gizmo', group);
    group.set('lineWidth', 3);
    group.set('on', 1);
    const pins = new Y.Map<unknown>();
    scene.set('pins', pins);
    const full = new Y.Map<unknown>();
    pins.set('a', full);
    full.set('size', 9);
    // A member a client created with only some keys: absent keys are defaults and stay absent.
    pins.set('b', new Y.Map<unknown>());
    if (withRecord) recordVersions(doc, registry(0));
  });
  return Y.encodeStateAsUpdateV2(doc);
}

function load(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, update);
  return doc;
}

describe('upgrading a stored document', () => {
  for (const withRecord of [true, false])
    it(`renames keys and transforms values in groups and members (${withRecord ? 'versions recorded' : 'before versions were recorded'})`, () => {
      const doc = load(storedDoc(withRecord));
      const next = registry(1);
      expect(upgradeDoc(doc, next, storedVersions(doc, next))).toEqual(['gizmo', 'pin']);
      const scene = doc.getMap('scenes').get('s1') as Y.Map<Y.Map<unknown>>;
      expect(scene.get('gizmo')!.toJSON()).toEqual({ thickness: 3, on: true });
      const pins = scene.get('pins')!.toJSON() as Record<string, unknown>;
      expect(pins).toEqual({ a: { width: 9, height: 9 }, b: {} });
      expect(getSessionMeta(doc).get('schemaVersions')).toEqual({ gizmo: 1, pin: 1 });
      // Upgrading again changes nothing: each step runs once.
      const before = Y.encodeStateVector(doc);
      expect(upgradeDoc(doc, next, storedVersions(doc, next))).toEqual([]);
      expect(Y.encodeStateVector(doc)).toEqual(before);
    });

  it('leaves an empty document alone (its versions are recorded when it is filled)', () => {
    const doc = new Y.Doc();
    const next = registry(1);
    expect(upgradeDoc(doc, next, storedVersions(doc, next))).toEqual([]);
    expect(getSessionMeta(doc).has('schemaVersions')).toBe(false);
  });
});
