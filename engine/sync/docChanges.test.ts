import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { registry } from '../generated/schemas';
import { changesOf, type DocChange } from './docChanges';
import {
  deleteMember,
  getBlobs,
  getOrCreateSceneMap,
  getScenesList,
  setPath,
  setSceneName,
  writeSceneProps,
  type YMap,
} from './docLayout';
import { stagePropsArb, valueArb } from './testing/arbitraries';

/** Runs `fn` and returns the changes of every transaction it made. */
function record(doc: Y.Doc, fn: () => void): DocChange[] {
  const out: DocChange[] = [];
  const handler = (tr: Y.Transaction) => out.push(...changesOf(tr, registry));
  doc.on('afterTransaction', handler);
  fn();
  doc.off('afterTransaction', handler);
  return out;
}

const propPaths = (changes: DocChange[]) =>
  changes.flatMap((c) => (c.kind === 'prop' ? [c.path.join('.')] : [])).sort();

const sceneProp = registry.props.find((p) => p.plugin.attachTo === 'scene' && !p.localOnly)!;
const localProp = registry.props.find((p) => p.localOnly)!;
const collection = registry.collections[0]!;

function setup(): { doc: Y.Doc; scene: YMap } {
  const doc = new Y.Doc();
  return { doc, scene: getOrCreateSceneMap(doc, 's1', registry, { name: 'One' }) };
}

describe('changesOf', () => {
  it('maps one property write to its StageProps path', () => {
    const { doc, scene } = setup();
    const value = fc.sample(valueArb(sceneProp.decl), 1)[0];
    const changes = record(doc, () => setPath(scene, [sceneProp.plugin.key, sceneProp.key], value, registry));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      kind: 'prop',
      sceneId: 's1',
      path: [sceneProp.plugin.key, sceneProp.key],
      prop: sceneProp,
      value,
      deleted: false,
    });
  });

  it('expands a scene created and filled in one transaction into every written path', () => {
    const doc = new Y.Doc();
    const props = fc.sample(stagePropsArb(registry), 1)[0]!;
    const changes = record(doc, () =>
      doc.transact(() => writeSceneProps(getOrCreateSceneMap(doc, 's2', registry), props, registry)),
    );
    expect(changes.filter((c) => c.kind === 'scene')).toEqual([
      { kind: 'scene', sceneId: 's2', deleted: false },
    ]);
    const expected: string[] = [];
    for (const plugin of registry.scenePlugins)
      for (const p of plugin.props) if (!p.localOnly) expected.push(`${plugin.key}.${p.key}`);
    for (const c of registry.collections)
      for (const id of Object.keys((props as unknown as Record<string, object>)[c.key]!))
        for (const p of c.props) expected.push(`${c.key}.${id}.${p.key}`);
    expect(propPaths(changes)).toEqual(expected.sort());
    expect(changes.some((c) => c.kind === 'invalid')).toBe(false);
  });

  it('reports a new member with its keys, and a deleted member', () => {
    const { doc, scene } = setup();
    const prop = collection.props[0]!;
    const value = fc.sample(valueArb(prop.decl), 1)[0];
    const added = record(doc, () => setPath(scene, [collection.key, 'm1', prop.key], value, registry));
    expect(added.map((c) => c.kind)).toEqual(['member', 'prop']);
    expect(propPaths(added)).toEqual([`${collection.key}.m1.${prop.key}`]);
    const removed = record(doc, () => deleteMember(scene, collection.key, 'm1'));
    expect(removed).toMatchObject([{ kind: 'member', memberId: 'm1', deleted: true }]);
  });

  it('reports names, blobs, order and scene deletion', () => {
    const { doc, scene } = setup();
    const changes = record(doc, () => {
      setSceneName(scene, 'Renamed');
      getBlobs(scene, true)!.set('fog/0_0', new Uint8Array([1, 2]));
      getScenesList(doc).push(['s1']);
      doc.getMap('scenes').delete('s1');
    });
    expect(changes.map((c) => c.kind).sort()).toEqual(['blob', 'meta', 'order', 'scene']);
    expect(changes.find((c) => c.kind === 'scene')).toMatchObject({ sceneId: 's1', deleted: true });
  });

  it('flags what the layout does not allow, with the map and key to undo it', () => {
    const { doc, scene } = setup();
    const group = scene.get(sceneProp.plugin.key) as YMap;
    const localGroup = (scene.get(localProp.plugin.key) as YMap | undefined) ?? group;
    const changes = record(doc, () => {
      group.set('notAProperty', 1);
      localGroup.set(localProp.yjsKey, localProp.decl.default);
      (scene.get(collection.key) as YMap).set('m1', 'not a map');
      scene.set('stranger', new Y.Map());
      getBlobs(scene)!.set('fog/x', 'text' as unknown as Uint8Array);
    });
    const invalid = changes.filter((c) => c.kind === 'invalid');
    expect(invalid).toHaveLength(changes.length);
    expect(invalid.map((c) => c.key).sort()).toEqual(
      ['notAProperty', localProp.yjsKey, 'm1', 'stranger', 'fog/x'].sort(),
    );
    for (const c of invalid) if (c.kind === 'invalid' && c.map && c.key) c.map.delete(c.key);
    expect(group.has('notAProperty')).toBe(false);
  });

  it('ignores the party doc and other roots', () => {
    const doc = new Y.Doc();
    const changes = record(doc, () => doc.getMap('partyState').set('paused', true));
    expect(changes).toEqual([]);
  });
});
