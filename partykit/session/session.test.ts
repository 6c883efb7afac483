import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../engine/generated';
import { getOrCreateSceneMap, getSceneMap } from '../../engine/sync/docLayout';
import { ROOM_ORIGIN } from '../core/syncRoom';
import { Projector } from './projection';
import { ChangeTracker } from './tracker';

/** The room's pipeline without PartyKit: a client transaction, then repairs and projection as commit() runs them. */
function setup() {
  const full = new Y.Doc();
  const view = new Y.Doc();
  const tracker = new ChangeTracker(full, registry);
  const projector = new Projector(full, view, registry);
  const commit = () => {
    full.transact(() => tracker.runChecks(), ROOM_ORIGIN);
    projector.project(tracker.takeViewChanges(), ROOM_ORIGIN);
  };
  full.transact(() => getOrCreateSceneMap(full, 'scene1', registry, { name: 'One' }), ROOM_ORIGIN);
  commit();
  tracker.takeSaveChanges();
  const client = { id: 'a client connection' };
  const asClient = (fn: () => void) => {
    full.transact(fn, client);
    commit();
  };
  const scene = () => getSceneMap(full, 'scene1')!;
  const group = (key: string) => scene().get(key) as Y.Map<unknown>;
  return { full, view, tracker, asClient, scene, group, commit };
}

const ranged = registry.scenePlugins
  .flatMap((p) => p.props)
  .find(
    (p) => !p.localOnly && p.decl.kind === 'number' && p.decl.min !== undefined && p.decl.max !== undefined,
  )!;
const colour = registry.scenePlugins
  .flatMap((p) => p.props)
  .find((p) => !p.localOnly && p.decl.kind === 'color')!;
const gmText = registry.scenePlugins.flatMap((p) => p.props).find((p) => p.audience === 'gm')!;
const collection = registry.collections.find((c) => c.gmOnlyWhen.size > 0)!;
const [ruleKey, hiddenValues] = [...collection.gmOnlyWhen][0]!;
const ruleProp = collection.props.find((p) => p.key === ruleKey)!;
const memberGmText = collection.props.find((p) => p.audience === 'gm')!;

describe('repairs of client changes', () => {
  it('reverts invalid values to the previous valid one, removes unknown keys, normalises', () => {
    const { asClient, group } = setup();
    const g = () => group(ranged.plugin.key);
    const max = (ranged.decl as { max: number }).max;
    asClient(() => g().set(ranged.yjsKey, max));
    for (const bad of ['text', Number.NaN, max * 1000, null, { x: 1 }]) {
      asClient(() => g().set(ranged.yjsKey, bad));
      expect(g().get(ranged.yjsKey)).toBe(max);
    }
    asClient(() => g().set('noSuchKey', 1));
    expect(g().has('noSuchKey')).toBe(false);
    asClient(() => group(colour.plugin.key).set(colour.yjsKey, '#ABC'));
    expect(group(colour.plugin.key).get(colour.yjsKey)).toBe('#aabbcc');
  });

  it('removes an invalid value with no valid previous value (it reads as the default)', () => {
    const { asClient, group } = setup();
    asClient(() => group(ranged.plugin.key).set(ranged.yjsKey, 'nope'));
    expect(group(ranged.plugin.key).has(ranged.yjsKey)).toBe(false);
  });

  it('repairs a whole scene a client creates: bad members, bad containers, unknown keys', () => {
    const { asClient, full } = setup();
    asClient(() => {
      const scene = new Y.Map<unknown>();
      full.getMap('scenes').set('scene2', scene);
      scene.set('junk', 1);
      scene.set(ranged.plugin.key, 'not a map');
      const members = new Y.Map<unknown>();
      scene.set(collection.key, members);
      members.set('bad id!', new Y.Map());
      const m = new Y.Map<unknown>();
      members.set('goodid', m);
      m.set(ruleProp.yjsKey, 'not an allowed value');
    });
    const scene = getSceneMap(full, 'scene2')!;
    expect(scene.has('junk')).toBe(false);
    expect(scene.get(ranged.plugin.key)).toBeInstanceOf(Y.Map);
    const members = scene.get(collection.key) as Y.Map<Y.Map<unknown>>;
    expect([...members.keys()]).toEqual(['goodid']);
    expect(members.get('goodid')!.has(ruleProp.yjsKey)).toBe(false);
    asClient(() => full.getMap('scenes').set('bad id!', new Y.Map()));
    expect(full.getMap('scenes').has('bad id!')).toBe(false);
  });

  it('marks only client changes for saving', () => {
    const { asClient, group, tracker, full } = setup();
    full.transact(() => group(ranged.plugin.key).set(ranged.yjsKey, ranged.decl.default), ROOM_ORIGIN);
    expect(tracker.takeSaveChanges().touches).toEqual([]);
    asClient(() => group(ranged.plugin.key).set(ranged.yjsKey, ranged.decl.default));
    expect(tracker.takeSaveChanges().touches).toContainEqual({
      sceneId: 'scene1',
      part: 'group',
      key: ranged.plugin.key,
    });
  });
});

describe('player projection', () => {
  it('never holds gm-audience values or gm-only members, even after hiding and deleting', () => {
    const { asClient, group, view } = setup();
    const secrets = ['SCENE-SECRET-1', 'MEMBER-SECRET-2', 'HIDDEN-LABEL-3'];
    const text = collection.props.find((p) => p.audience === 'all' && p.decl.kind === 'string')!;
    asClient(() => {
      group(gmText.plugin.key).set(gmText.yjsKey, secrets[0]);
      const visible = new Y.Map<unknown>();
      group(collection.key).set('visible1', visible);
      visible.set(memberGmText.yjsKey, secrets[1]);
      visible.set(text.yjsKey, 'shown');
      const hidden = new Y.Map<unknown>();
      group(collection.key).set('hidden1', hidden);
      hidden.set(ruleProp.yjsKey, hiddenValues[0]);
      hidden.set(text.yjsKey, secrets[2]);
    });
    const viewMembers = () => getSceneMap(view, 'scene1')!.get(collection.key) as Y.Map<Y.Map<unknown>>;
    expect([...viewMembers().keys()]).toEqual(['visible1']);
    expect(viewMembers().get('visible1')!.get(text.yjsKey)).toBe('shown');
    expect(viewMembers().get('visible1')!.has(memberGmText.yjsKey)).toBe(false);

    asClient(() =>
      (group(collection.key).get('visible1') as Y.Map<unknown>).set(ruleProp.yjsKey, hiddenValues[0]),
    );
    expect(viewMembers().size).toBe(0);
    asClient(() =>
      (group(collection.key).get('visible1') as Y.Map<unknown>).set(ruleProp.yjsKey, ruleProp.decl.default),
    );
    expect([...viewMembers().keys()]).toEqual(['visible1']);
    asClient(() => group(collection.key).delete('visible1'));
    expect(viewMembers().size).toBe(0);

    const bytes = Buffer.from(Y.encodeStateAsUpdate(view));
    for (const s of secrets) expect(bytes.includes(Buffer.from(s))).toBe(false);
  });

  it('follows scene order, names and deletions', () => {
    const { asClient, full, view, scene } = setup();
    asClient(() => {
      (scene().get('meta') as Y.Map<unknown>).set('name', 'Renamed');
      full.getArray('scenesList').push(['scene1']);
    });
    expect((getSceneMap(view, 'scene1')!.get('meta') as Y.Map<unknown>).get('name')).toBe('Renamed');
    expect(view.getArray('scenesList').toArray()).toEqual(['scene1']);
    asClient(() => full.getMap('scenes').delete('scene1'));
    expect(getSceneMap(view, 'scene1')).toBeUndefined();
  });
});
