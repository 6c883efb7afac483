import { describe, expect, it } from 'vitest';
import { registry } from '../generated/schemas';
import { defaultStageProps } from '../generated/stageProps';
import { IDENTITY_VIEWPORT } from '../render';
import type { ChannelChanges } from './channels';
import { definePluginRuntime } from './runtime';
import { toolContexts, type ToolHostBackend } from './toolContext';

/** The registry's plugins by role, found rather than named: the scoping rules are generic. */
const collectionPlugin = registry.plugins.find((p) => p.attachTo === 'collection')!;
const channelPlugin = registry.plugins.find((p) => p.channels.length > 0)!;
const channel = channelPlugin.channels[0]!;
const scenePlugin = registry.plugins.find((p) => p.attachTo === 'scene' && p.channels.length === 0)!;
const validKey = `${channel.decl.prefix}default`;

function backend(runtimes: ToolHostBackend['runtimes'] = []) {
  const added: string[] = [];
  const removed: string[] = [];
  const written: ChannelChanges[] = [];
  const queued: string[] = [];
  const b: ToolHostBackend = {
    registry,
    runtimes,
    props: () => defaultStageProps(),
    queuePropertyUpdate: (path) => (queued.push(path.join('.')), { ok: true }),
    beginEdit: (path) => void queued.push(`begin ${path.join('.')}`),
    endEdit: (path) => void queued.push(`end ${path.join('.')}`),
    selection: () => undefined,
    select() {},
    addMember: (collection) => (added.push(collection), 'id-1'),
    removeMember: (collection, id) => (removed.push(`${collection}/${id}`), { ok: true }),
    channelState: (id) => ({ id }),
    blobEntries: () => [],
    writeBlobs: (changes) => (written.push(changes), { ok: true }),
    preview() {},
    viewport: IDENTITY_VIEWPORT,
    setViewport() {},
    content: IDENTITY_VIEWPORT,
    screenSize: () => ({ width: 800, height: 600 }),
    contentBounds: () => undefined,
    displays: () => [],
    pick: () => undefined,
    screenToScene: (p) => p,
    sceneToScreen: (p) => p,
    setPresence: () => {},
  };
  return { contexts: toolContexts(b), added, removed, written, queued };
}

describe('tool context scoping', () => {
  it("writes its own plugin's properties only", () => {
    const { contexts, queued } = backend();
    const ctx = contexts(scenePlugin.name)!;
    const mine = [scenePlugin.key, scenePlugin.props[0]!.key];
    const theirs = [collectionPlugin.key, 'm1', collectionPlugin.props[0]!.key];
    expect(ctx.queuePropertyUpdate(mine, 1)).toEqual({ ok: true });
    const refused = ctx.queuePropertyUpdate(theirs, 1);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.reason).toContain(theirs.join('.'));
    ctx.beginEdit(theirs);
    ctx.endEdit(theirs);
    expect(queued).toEqual([mine.join('.')]);
  });

  it("adds and removes members of its own plugin's collection only", () => {
    const { contexts, added, removed } = backend();
    expect(contexts(collectionPlugin.name)!.addMember({})).toBe('id-1');
    expect(added).toEqual([collectionPlugin.key]);
    // A scene plugin's tool has no collection: nothing reaches the backend.
    expect(contexts(channelPlugin.name)!.addMember({})).toBeUndefined();
    expect(contexts(channelPlugin.name)!.removeMember('id-1').ok).toBe(false);
    expect(added).toEqual([collectionPlugin.key]);
    expect(removed).toEqual([]);
  });

  it("reaches only its own plugin's channels, and writes only keys of that channel", () => {
    const { contexts, written } = backend();
    expect(contexts(collectionPlugin.name)!.channel(channel.name)).toBeUndefined();
    expect(contexts(scenePlugin.name)!.channel(channel.name)).toBeUndefined();
    const own = contexts(channelPlugin.name)!.channel(channel.name)!;
    expect(own.state).toEqual({ id: channel.id });
    // A key outside the channel refuses the whole change, valid keys included.
    const foreign = new Map([
      [validKey, Uint8Array.of(0)],
      ['elsewhere/x', Uint8Array.of(1)],
    ]);
    expect(own.apply(foreign)).toMatchObject({ ok: false });
    expect(written).toEqual([]);
    expect(own.apply(new Map([[validKey, Uint8Array.of(0)]]))).toEqual({ ok: true });
    expect(written).toHaveLength(1);
  });

  it("checks values against the channel's declaration before anything is written", () => {
    const { contexts, written } = backend();
    const own = contexts(channelPlugin.name)!.channel(channel.name)!;
    const oversize = new Uint8Array(channel.decl.maxBytes + 1);
    expect(own.apply(new Map([[`${channel.decl.prefix}0_0`, oversize]]))).toMatchObject({ ok: false });
    expect(own.apply(new Map([[`${channel.decl.prefix}not a key`, Uint8Array.of(0)]]))).toMatchObject({
      ok: false,
    });
    expect(written).toEqual([]);
  });

  it("drags a member with its own plugin's drag, in that plugin's context, and snaps with every provider", () => {
    const seen: string[] = [];
    const runtimes = [
      definePluginRuntime({
        name: collectionPlugin.name,
        memberDrag: (ctx, id) => (seen.push(`${ctx.plugin.name}:${id}`), undefined),
      }),
      definePluginRuntime({ name: scenePlugin.name, snap: (p) => ({ x: Math.round(p.x), y: 0 }) }),
    ];
    const { contexts } = backend(runtimes);
    const ctx = contexts(scenePlugin.name)!;
    const p = { screen: { x: 0, y: 0 }, scene: { x: 0, y: 0 }, button: 0, altKey: false, shiftKey: false };
    ctx.dragMember({ collection: collectionPlugin.key, id: 'm1' }, p);
    expect(seen).toEqual([`${collectionPlugin.name}:m1`]);
    expect(ctx.snap({ x: 2.6, y: 9 })).toEqual({ x: 3, y: 0 });
  });
});
