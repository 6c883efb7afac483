import { describe, expect, it } from 'vitest';
import { defineRoomPlugin, type RoomPlugin } from '../../engine/plugin';
import { PreviewFilter } from './previewFilter';
import { RoomHooks } from './roomHooks';
import { pipeline, testRegistry } from './testing/pipeline';

const ink = (...rest: number[]) => Uint8Array.from([7, ...rest]);

describe('binary channels: repairs of client changes', () => {
  it('refuses an undeclared prefix, an oversize value and content that fails validate; keeps valid ones', () => {
    const { asClient, part, full, view, logs } = pipeline();
    asClient(() => {
      const b = part(full, 'blobs');
      b.set('ink/1', ink(1));
      b.set('nope/1', ink(1));
      b.set('ink/2', ink(...new Array(20).fill(0)));
      b.set('ink/3', Uint8Array.from([1, 2]));
      b.set('ink/x', ink());
    });
    expect([...part(full, 'blobs').keys()]).toEqual(['ink/1']);
    expect([...part(view, 'blobs').keys()]).toEqual(['ink/1']);
    expect(logs.join('\n')).toMatch(/"nope\/1" belongs to no declared binary channel/);
    expect(logs.join('\n')).toMatch(/token\.ink: "ink\/2" is 21 bytes, more than the 16 allowed/);
    expect(logs.join('\n')).toMatch(/"ink\/3": an ink stroke starts with byte 7/);
    expect(logs.join('\n')).toMatch(/"ink\/x" is not a valid key of this channel/);
  });

  it('reverts a bad value to the previous valid one', () => {
    const { asClient, part, full } = pipeline();
    asClient(() => part(full, 'blobs').set('ink/1', ink(1)));
    asClient(() => part(full, 'blobs').set('ink/1', Uint8Array.from([0])));
    expect([...(part(full, 'blobs').get('ink/1') as Uint8Array)]).toEqual([7, 1]);
  });

  it('keeps a channel within maxKeys, dropping the keys the change added', () => {
    const { asClient, part, full, logs } = pipeline();
    asClient(() => ['1', '2'].forEach((k) => part(full, 'blobs').set(`ink/${k}`, ink())));
    asClient(() => ['3', '4', '5'].forEach((k) => part(full, 'blobs').set(`ink/${k}`, ink())));
    const keys = [...part(full, 'blobs').keys()].sort();
    expect(keys).toHaveLength(3);
    expect(keys).toEqual(expect.arrayContaining(['ink/1', 'ink/2']));
    expect(logs.join('\n')).toMatch(/at most 3 are allowed/);
  });

  it('never sends an audience "gm" channel to players', () => {
    const { asClient, part, full, view } = pipeline();
    asClient(() => {
      part(full, 'blobs').set('secret/1', ink());
      part(full, 'blobs').set('ink/1', ink());
    });
    expect(part(full, 'blobs').has('secret/1')).toBe(true);
    expect([...part(view, 'blobs').keys()]).toEqual(['ink/1']);
  });
});

describe('gmOnlyWhen with a boolean', () => {
  it('a member with hidden: true never reaches the player projection, and appears once shown', () => {
    const { addMember, member, asClient, full, view } = pipeline();
    addMember('t1', { hp: 5, hidden: true });
    addMember('t2', { hp: 6 });
    expect(member(full, 't1')).toBeDefined();
    expect(member(view, 't1')).toBeUndefined();
    expect(member(view, 't2')?.get('hp')).toBe(6);
    asClient(() => member(full, 't1')!.set('hidden', false));
    expect(member(view, 't1')?.get('hp')).toBe(5);
    asClient(() => member(full, 't1')!.set('hidden', true));
    expect(member(view, 't1')).toBeUndefined();
  });
});

describe('room plugins: onChange', () => {
  const clampHp = defineRoomPlugin({
    name: 'token',
    onChange: (change) => {
      if (change.kind !== 'member') return undefined;
      const hp = change.values.hp as number;
      if (change.created && change.values.note === 'forbidden')
        return { ok: false, reason: 'no such tokens' };
      if (hp > 100) return { ok: true, set: { hp: 100 } };
      if (change.values.note === 'locked' && change.changed.includes('hp'))
        return { ok: false, reason: 'locked tokens keep their hp' };
      return undefined;
    },
  });

  it('repairs a value (clamp), refuses a change (revert) and refuses a new member (removed)', () => {
    const { addMember, member, asClient, full, view, logs } = pipeline([clampHp]);
    addMember('t1', { hp: 500 });
    expect(member(full, 't1')!.get('hp')).toBe(100);
    expect(member(view, 't1')!.get('hp')).toBe(100);
    asClient(() => member(full, 't1')!.set('hp', 250));
    expect(member(full, 't1')!.get('hp')).toBe(100);

    asClient(() => member(full, 't1')!.set('note', 'locked'));
    asClient(() => member(full, 't1')!.set('hp', 30));
    expect(member(full, 't1')!.get('hp')).toBe(100);
    expect(member(view, 't1')!.get('hp')).toBe(100);
    expect(logs.join('\n')).toMatch(/room plugin "token" refused a change in scene scene1: locked tokens/);

    addMember('t2', { note: 'forbidden' });
    expect(member(full, 't2')).toBeUndefined();
    expect(member(view, 't2')).toBeUndefined();
  });

  it("sees only its own plugin's data and runs in priority order, later plugins seeing repairs", () => {
    const seen: string[] = [];
    const low = defineRoomPlugin({
      name: 'token',
      priority: 1,
      onChange: (c) => {
        seen.push(`low:${c.kind}:${c.kind === 'member' ? String(c.values.hp) : ''}`);
        return undefined;
      },
    });
    const high = defineRoomPlugin({
      name: 'token',
      priority: 50,
      onChange: (c) => {
        seen.push(`high:${c.kind}`);
        return c.kind === 'member' ? { ok: true, set: { hp: 1 } } : undefined;
      },
    });
    const other = defineRoomPlugin({
      name: 'weather',
      onChange: (c) => {
        seen.push(`weather:${c.kind}`);
        return undefined;
      },
    });
    const { addMember, asClient, part, full } = pipeline([low, other, high]);
    addMember('t1', { hp: 9 });
    asClient(() => part(full, 'blobs').set('ink/1', ink()));
    expect(seen).toEqual(['high:member', 'low:member:1', 'high:blob', 'low:blob:']);
  });

  it('a refused blob is removed; a throwing hook is logged by name and the room carries on', () => {
    const refuseInk = defineRoomPlugin({
      name: 'token',
      onChange: (c) =>
        c.kind === 'blob' && c.bytes.length > 2 ? { ok: false, reason: 'strokes are short' } : undefined,
    });
    const broken: RoomPlugin = {
      name: 'weather',
      onChange: () => {
        throw new Error('boom');
      },
    };
    const { asClient, part, full, view, logs } = pipeline([refuseInk, broken]);
    asClient(() => {
      part(full, 'blobs').set('ink/1', ink(1, 2));
      part(full, 'blobs').set('ink/2', ink(1));
      part(full, 'weather').set('wind', 40);
    });
    expect([...part(full, 'blobs').keys()]).toEqual(['ink/2']);
    expect(part(full, 'weather').get('wind')).toBe(40);
    expect(part(view, 'weather').get('wind')).toBe(40);
    expect(logs.join('\n')).toMatch(/room plugin "weather": onChange threw/);
    expect(logs.join('\n')).toMatch(/refused blob "ink\/1" in scene scene1: strokes are short/);
  });
});

describe('room plugins: projectForPlayer', () => {
  it('hides members, hides values and hides blobs from players only; a throwing verdict hides', () => {
    const project = defineRoomPlugin({
      name: 'token',
      projectForPlayer: (item) => {
        if (item.kind === 'member' && item.values.hp === 0) return 'hide';
        if (item.kind === 'member') return { hideValues: ['note'] };
        if (item.kind === 'blob' && item.key === 'ink/9') throw new Error('bug');
        return undefined;
      },
    });
    const { addMember, member, asClient, part, full, view, logs } = pipeline([project]);
    addMember('dead', { hp: 0 });
    addMember('alive', { hp: 3, note: 'weak to fire' });
    expect(member(full, 'dead')).toBeDefined();
    expect(member(view, 'dead')).toBeUndefined();
    expect(member(view, 'alive')!.get('hp')).toBe(3);
    expect(member(view, 'alive')!.has('note')).toBe(false);
    asClient(() => member(full, 'dead')!.set('hp', 1));
    expect(member(view, 'dead')!.get('hp')).toBe(1);
    asClient(() => {
      part(full, 'blobs').set('ink/9', ink());
      part(full, 'blobs').set('ink/1', ink());
    });
    expect([...part(view, 'blobs').keys()]).toEqual(['ink/1']);
    expect(logs.join('\n')).toMatch(/room plugin "token": projectForPlayer threw/);
  });
});

describe('room plugins: gesture previews', () => {
  it('players get no preview of a value or member a plugin hides, nor one that would hide it', () => {
    const project = defineRoomPlugin({
      name: 'token',
      projectForPlayer: (item) =>
        item.kind === 'member' && item.values.hp === 0 ? 'hide' : { hideValues: ['note'] },
    });
    const { addMember, full, view, registry, hooks } = pipeline([project]);
    addMember('t1', { hp: 5 });
    const filter = new PreviewFilter(registry, full, view, hooks);
    const preview = (key: string, v: unknown) =>
      filter.visibleToPlayers({ s: 'scene1', k: ['tokens', 't1', key], v });
    expect(preview('hp', 6)).toBe(true);
    expect(preview('note', 'secret plan')).toBe(false);
    expect(preview('hp', 0)).toBe(false);
  });
});

describe('room plugins: beforeSave', () => {
  const registry = testRegistry();
  const draft = {
    gameSessionId: 'session1',
    name: 'One',
    scene: { weatherWind: 40, weatherForecast: 'rain' },
    collections: {
      tokens: [
        { id: 't1', hp: 3 },
        { id: 't2', hp: 0 },
      ],
    },
    blobs: { 'ink/1': Buffer.from(ink(1)).toString('base64'), 'secret/1': null },
  };

  it("a veto leaves only the plugin's own part out; the rest of the save is intact", () => {
    const veto = defineRoomPlugin({
      name: 'token',
      beforeSave: (part) => (part.members ? { ok: false, reason: 'not now' } : undefined),
    });
    const logs: string[] = [];
    const out = new RoomHooks(registry, [veto], (m) => logs.push(m)).beforeSave('scene1', draft);
    expect(out.collections).toEqual({});
    expect(out.blobs).toEqual({});
    expect(out.scene).toEqual(draft.scene);
    expect(out.name).toBe('One');
    expect(logs).toEqual(['room plugin "token" kept its part out of the save of scene scene1: not now']);
  });

  it("adjusts its part: drops members, and cannot write another plugin's columns or an invalid blob", () => {
    const seen: unknown[] = [];
    const adjust = defineRoomPlugin({
      name: 'token',
      beforeSave: (part) => {
        seen.push(part);
        return {
          ok: true,
          members: part.members?.filter((m) => m.hp !== 0),
          blobs: { ...part.blobs, 'ink/2': Uint8Array.from([1]), 'ink/3': ink(3) },
          columns: { weatherWind: 99 },
        };
      },
    });
    const out = new RoomHooks(registry, [adjust]).beforeSave('scene1', draft);
    expect(seen).toEqual([
      {
        sceneId: 'scene1',
        members: draft.collections.tokens,
        blobs: { 'ink/1': ink(1), 'secret/1': null },
      },
    ]);
    expect(out.collections).toEqual({ tokens: [{ id: 't1', hp: 3 }] });
    expect(out.scene).toEqual(draft.scene);
    expect(out.blobs).toEqual({
      'ink/1': draft.blobs['ink/1'],
      'secret/1': null,
      'ink/3': Buffer.from(ink(3)).toString('base64'),
    });
  });

  it('a plugin with nothing in the save is not asked', () => {
    const beforeSave = (): undefined => {
      throw new Error('must not be called');
    };
    const out = new RoomHooks(registry, [{ name: 'token', beforeSave }]).beforeSave('scene1', {
      gameSessionId: 'session1',
      name: 'Two',
    });
    expect(out).toEqual({ gameSessionId: 'session1', name: 'Two' });
  });
});

describe('a room plugin list', () => {
  it('says so when a plugin names no schema plugin (its hooks could never run)', () => {
    const logs: string[] = [];
    new RoomHooks(testRegistry(), [{ name: 'ghost' }, { name: 'token' }], (m) => logs.push(m));
    expect(logs).toEqual(['room plugin "ghost" names no schema plugin: its hooks never run']);
  });
});

describe('defineRoomPlugin', () => {
  it('refuses a name that is not a plugin name and a priority that is not a number', () => {
    expect(() => defineRoomPlugin({ name: 'Bad Name' })).toThrow(/camelCase plugin name/);
    expect(() => defineRoomPlugin({ name: 'token', priority: Number.NaN })).toThrow(/priority/);
  });
});
