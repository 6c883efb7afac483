import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../engine/generated';
import { SCENE_KEYS, getOrCreateSceneMap, getSceneMap } from '../../engine/sync/docLayout';
import { ROOM_ORIGIN } from '../core/syncRoom';
import { memoryStorage } from '../core/testing/memoryStorage';
import { Backstage } from './backstage';
import { ChangeTracker } from './tracker';

// Two plugins of different kinds, found in the registry: one with a channel, one collection.
const channelled = registry.plugins.find((p) => p.channels.length > 0)!;
const channel = channelled.channels[0]!;
const collection = registry.collections.find((c) => c.name !== channelled.name)!;
const blobKey = `${channel.decl.prefix}test`;

function setup(storage = memoryStorage()) {
  const live = new Y.Doc();
  const tracker = new ChangeTracker(live, registry);
  live.transact(() => getOrCreateSceneMap(live, 'scene1', registry, { name: 'One' }), ROOM_ORIGIN);
  tracker.takeViewChanges();
  const backstage = new Backstage(storage, registry, live);
  const scene = (doc: Y.Doc) => getSceneMap(doc, 'scene1')!;
  const sub = (doc: Y.Doc, key: string) => scene(doc).get(key) as Y.Map<unknown>;
  const edit = (fn: () => void, origin: unknown = { client: true }) => {
    live.transact(fn, origin);
    live.transact(() => tracker.runChecks(), ROOM_ORIGIN);
    return backstage.note(tracker.takeViewChanges());
  };
  const addMember = (id: string) =>
    edit(() => {
      const m = new Y.Map<unknown>();
      sub(live, collection.key).set(id, m);
    });
  // Written as the room (no channel-format repair): the bytes mean nothing, only where they travel.
  const setBlob = () =>
    edit(() => sub(live, SCENE_KEYS.blobs).set(blobKey, new Uint8Array([1, 2, 3])), ROOM_ORIGIN);
  return { live, backstage, storage, sub, addMember, setBlob, edit };
}

describe('Backstage', () => {
  it('projects from a copy taken at the hold; live edits stay out of it and are noted per plugin', () => {
    const { live, backstage, sub, addMember, setBlob } = setup();
    expect(backstage.source()).toBe(live);
    backstage.start('GM Ann');
    const held = backstage.source();
    expect(held).not.toBe(live);
    expect(addMember('m1')).toBe(true);
    expect(setBlob()).toBe(true);
    expect(sub(held, collection.key).has('m1')).toBe(false);
    expect(sub(held, SCENE_KEYS.blobs).has(blobKey)).toBe(false);
    expect(backstage.hold).toMatchObject({ by: 'GM Ann', structure: false });
    expect([...backstage.hold!.pending].sort()).toEqual([channelled.name, collection.name].sort());
    // A second edit of a plugin already pending changes nothing GMs need to hear about.
    expect(addMember('m2')).toBe(false);
  });

  it('publishing one plugin copies its data only; publishing all copies everything', () => {
    const { backstage, sub, addMember, setBlob } = setup();
    backstage.start('GM Ann');
    addMember('m1');
    setBlob();
    expect(backstage.publishPlugin(channelled.name)).toBe(true);
    const held = backstage.source();
    expect(sub(held, SCENE_KEYS.blobs).get(blobKey)).toEqual(new Uint8Array([1, 2, 3]));
    expect(sub(held, collection.key).has('m1')).toBe(false);
    expect(backstage.hold!.pending).toEqual([collection.name]);
    expect(backstage.publishPlugin('no such plugin')).toBe(false);
    backstage.publishAll();
    expect(sub(backstage.source(), collection.key).has('m1')).toBe(true);
    expect(backstage.hold!.pending).toEqual([]);
  });

  it('a restarted room finds the hold and the published copy; resume clears them', async () => {
    const first = setup();
    first.backstage.start('GM Ann');
    first.setBlob();
    first.addMember('m1');
    first.backstage.publishPlugin(channelled.name);
    await first.backstage.settled();

    const again = new Backstage(first.storage, registry, first.live);
    const held = await again.restore();
    expect(held).toBeDefined();
    expect(again.hold).toMatchObject({ by: 'GM Ann', pending: [collection.name] });
    expect(first.sub(held!, SCENE_KEYS.blobs).has(blobKey)).toBe(true);
    expect(first.sub(held!, collection.key).has('m1')).toBe(false);

    again.resume();
    await again.settled();
    expect(again.source()).toBe(first.live);
    const keys = [...(await first.storage.list({ prefix: '' })).keys()];
    expect(keys.filter((k) => k.startsWith('held:') || k.startsWith('backstage:'))).toEqual([]);
    expect(await new Backstage(first.storage, registry, first.live).restore()).toBeUndefined();
  });

  it('renames and new scenes count as structure, published with everything', () => {
    const { live, backstage, edit } = setup();
    backstage.start('GM Ann');
    expect(edit(() => getOrCreateSceneMap(live, 'scene2', registry, { name: 'Two' }))).toBe(true);
    expect(backstage.hold!.structure).toBe(true);
    expect(getSceneMap(backstage.source(), 'scene2')).toBeUndefined();
    backstage.publishAll();
    expect(getSceneMap(backstage.source(), 'scene2')).toBeDefined();
    expect(backstage.hold!.structure).toBe(false);
  });
});
