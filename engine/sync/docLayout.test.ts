import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { registry } from '../generated/schemas';
import { defaultStageProps, type StageProps } from '../generated/stageProps';
import {
  defaultOf,
  deleteMember,
  getOrCreateSceneMap,
  getPath,
  getSceneName,
  isGmOnlyMember,
  readSceneProps,
  setPath,
  writeSceneProps,
  type YMap,
} from './docLayout';
import { stagePropsArb, valueArb } from './testing/arbitraries';

type Tree = Record<string, Record<string, unknown>>;
const tree = (p: StageProps): Tree => p as unknown as Tree;

function newScene(name = 'Scene'): { doc: Y.Doc; scene: YMap } {
  const doc = new Y.Doc();
  return { doc, scene: getOrCreateSceneMap(doc, 'scene-1', registry, { name }) };
}

/** What a player should see, computed from the declarations (not from docLayout's own helpers). */
function playerProjection(props: StageProps): StageProps {
  const out = structuredClone(tree(props));
  for (const plugin of registry.scenePlugins)
    for (const prop of plugin.props)
      if (prop.audience === 'gm') out[plugin.key]![prop.key] = prop.decl.default;
  for (const collection of registry.collections) {
    const members = out[collection.key] as Record<string, Record<string, unknown>>;
    for (const [id, member] of Object.entries(members)) {
      const hidden = [...collection.gmOnlyWhen].some(([key, values]) =>
        values.includes(member[key] as string),
      );
      if (hidden) delete members[id];
      else
        for (const prop of collection.props) if (prop.audience === 'gm') member[prop.key] = prop.decl.default;
    }
  }
  return out as unknown as StageProps;
}

/** Copies a doc through its encoded state, as a second client would receive it. */
function replicate(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdateV2(copy, Y.encodeStateAsUpdateV2(doc));
  return copy;
}

const gmProp = registry.props.find((p) => p.audience === 'gm' && p.plugin.attachTo === 'scene')!;
const collection = registry.collections[0]!;
const syncedSceneProp = registry.props.find((p) => p.plugin.attachTo === 'scene' && !p.localOnly)!;
const localProp = registry.props.find((p) => p.localOnly)!;

describe('docLayout', () => {
  it('a fresh scene reads as the defaults, with its name', () => {
    const { scene } = newScene('Cave');
    expect(readSceneProps(scene, registry, 'gm')).toEqual(defaultStageProps());
    expect(getSceneName(scene)).toBe('Cave');
  });

  it('any valid StageProps written then read (also on another replica) gives the same props', () => {
    fc.assert(
      fc.property(stagePropsArb(registry), (props) => {
        const { doc, scene } = newScene();
        writeSceneProps(scene, props, registry);
        expect(readSceneProps(scene, registry, 'gm')).toEqual(props);
        const copy = replicate(doc).getMap<YMap>('scenes').get('scene-1')!;
        expect(readSceneProps(copy, registry, 'gm')).toEqual(props);
      }),
      { numRuns: 150 },
    );
  });

  it('rewriting other props replaces them exactly, members included', () => {
    fc.assert(
      fc.property(stagePropsArb(registry), stagePropsArb(registry), (a, b) => {
        const { scene } = newScene();
        writeSceneProps(scene, a, registry);
        writeSceneProps(scene, b, registry);
        expect(readSceneProps(scene, registry, 'gm')).toEqual(b);
      }),
      { numRuns: 60 },
    );
  });

  it('the player view leaves out gm-audience values and gm-only members', () => {
    fc.assert(
      fc.property(stagePropsArb(registry), (props) => {
        const { scene } = newScene();
        writeSceneProps(scene, props, registry);
        const expected = playerProjection(props);
        expect(readSceneProps(scene, registry, 'player')).toEqual(expected);
        // A projection doc written in the player view holds no gm data at all.
        const projection = newScene().scene;
        writeSceneProps(projection, props, registry, { view: 'player' });
        expect(readSceneProps(projection, registry, 'gm')).toEqual(expected);
        // Other plugins may use the same key for values players see, so look in the gm prop's own group.
        const group = projection.toJSON()[gmProp.plugin.key] as Record<string, unknown> | undefined;
        expect(Object.keys(group ?? {})).not.toContain(gmProp.yjsKey);
      }),
      { numRuns: 100 },
    );
  });

  it('local-only values never enter the document', () => {
    fc.assert(
      fc.property(stagePropsArb(registry, { withLocal: true }), (props) => {
        const { scene } = newScene();
        writeSceneProps(scene, props, registry);
        const group = scene.get(localProp.plugin.key);
        expect(group instanceof Y.Map ? group.has(localProp.yjsKey) : false).toBe(false);
        expect(tree(readSceneProps(scene, registry, 'gm'))[localProp.plugin.key]![localProp.key]).toEqual(
          localProp.decl.default,
        );
      }),
      { numRuns: 30 },
    );
  });

  it('rewriting unchanged props produces no update at all', () => {
    const { doc, scene } = newScene();
    const props = fc.sample(stagePropsArb(registry), 1)[0]!;
    writeSceneProps(scene, props, registry);
    let updates = 0;
    doc.on('update', () => updates++);
    writeSceneProps(scene, structuredClone(props), registry);
    expect(updates).toBe(0);
  });

  it('a bad value throws naming the path and writes nothing', () => {
    const { doc, scene } = newScene();
    const props = defaultStageProps();
    tree(props)[syncedSceneProp.plugin.key]![syncedSceneProp.key] = { not: 'valid' };
    const before = Y.encodeStateVector(doc);
    expect(() => writeSceneProps(scene, props, registry)).toThrow(
      `${syncedSceneProp.plugin.key}.${syncedSceneProp.key}`,
    );
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('setPath writes one key, normalises, and creates member maps as needed', () => {
    const { doc, scene } = newScene();
    const value = fc.sample(valueArb(syncedSceneProp.decl), 1)[0];
    setPath(scene, [syncedSceneProp.plugin.key, syncedSceneProp.key], value, registry);
    expect(getPath(scene, [syncedSceneProp.plugin.key, syncedSceneProp.key], registry)).toEqual(value);

    const memberProp = collection.props.find((p) => p.audience === 'all')!;
    const memberValue = fc.sample(valueArb(memberProp.decl), 1)[0];
    setPath(scene, [collection.key, 'm1', memberProp.key], memberValue, registry);
    const members = tree(readSceneProps(scene, registry, 'gm'))[collection.key] as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(members)).toEqual(['m1']);
    expect(members.m1![memberProp.key]).toEqual(memberValue);
    // Other member keys read as defaults.
    for (const p of collection.props) if (p !== memberProp) expect(members.m1![p.key]).toEqual(defaultOf(p));

    expect(deleteMember(scene, collection.key, 'm1')).toBe(true);
    expect(deleteMember(scene, collection.key, 'm1')).toBe(false);
    expect(tree(readSceneProps(scene, registry, 'gm'))[collection.key]).toEqual({});
    expect(doc.getMap('scenes').size).toBe(1);
  });

  it('setPath refuses unknown paths, local-only paths and bad values, writing nothing', () => {
    const { doc, scene } = newScene();
    const before = Y.encodeStateVector(doc);
    expect(() => setPath(scene, ['nope', 'x'], 1, registry)).toThrow(/no such property/);
    expect(() =>
      setPath(scene, [localProp.plugin.key, localProp.key], localProp.decl.default, registry),
    ).toThrow(/local-only/);
    expect(() =>
      setPath(scene, [syncedSceneProp.plugin.key, syncedSceneProp.key], Symbol('x'), registry),
    ).toThrow(syncedSceneProp.key);
    expect(() =>
      setPath(scene, [collection.key, 'bad id!', collection.props[0]!.key], 1, registry),
    ).toThrow();
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('concurrent writes to different keys of one group both survive', () => {
    const { doc: a, scene: sa } = newScene();
    const b = replicate(a);
    const sb = b.getMap<YMap>('scenes').get('scene-1')!;
    const [p1, p2] = registry.props.filter(
      (p) => p.plugin.attachTo === 'scene' && !p.localOnly && p.plugin === syncedSceneProp.plugin,
    );
    const v1 = fc.sample(valueArb(p1!.decl), 1)[0];
    const v2 = fc.sample(valueArb(p2!.decl), 1)[0];
    setPath(sa, [p1!.plugin.key, p1!.key], v1, registry);
    setPath(sb, [p2!.plugin.key, p2!.key], v2, registry);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    for (const scene of [sa, sb]) {
      expect(getPath(scene, [p1!.plugin.key, p1!.key], registry)).toEqual(v1);
      expect(getPath(scene, [p2!.plugin.key, p2!.key], registry)).toEqual(v2);
    }
  });

  it('a malformed value in the document reads as the default', () => {
    const { scene } = newScene();
    (scene.get(syncedSceneProp.plugin.key) as YMap).set(syncedSceneProp.yjsKey, { garbage: true });
    expect(getPath(scene, [syncedSceneProp.plugin.key, syncedSceneProp.key], registry)).toEqual(
      syncedSceneProp.decl.default,
    );
  });

  it('gm-only membership follows gmOnlyWhen, with absent keys read as defaults', () => {
    for (const [key, values] of collection.gmOnlyWhen) {
      expect(isGmOnlyMember(collection, { [key]: values[0] })).toBe(true);
      const other = collection.props.find((p) => p.key === key)!;
      if (!values.includes(other.decl.default as string)) expect(isGmOnlyMember(collection, {})).toBe(false);
    }
  });
});
