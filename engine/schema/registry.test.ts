import { describe, expect, it } from 'vitest';
import { createRegistry, definePlugin, p, SchemaError, type PluginSchema } from '.';

const base = (props: PluginSchema['props'], extra: Partial<PluginSchema> = {}): PluginSchema =>
  definePlugin({ name: 'widget', attachTo: 'scene', label: 'Widget', throttle: 'control', props, ...extra });

function schemaError(sources: Parameters<typeof createRegistry>[0]): SchemaError {
  try {
    createRegistry(sources);
  } catch (e) {
    if (e instanceof SchemaError) return e;
    throw e;
  }
  throw new Error('expected a SchemaError');
}

describe('registry errors name the file and the property', () => {
  it('duplicate column', () => {
    const a = { file: 'schemas/a.schema.ts', plugin: base({ lineWidth: p.number(1) }, { name: 'gridLine' }) };
    const b = {
      file: 'schemas/b.schema.ts',
      plugin: base({ lineWidth: p.number(1, { column: 'grid_line_line_width' }) }, { name: 'other' }),
    };
    const e = schemaError([a, b]);
    expect(e.message).toMatch(/duplicate column "scene\.grid_line_line_width"/);
    expect(e.file).toMatch(/schemas\/(a|b)\.schema\.ts/);
    expect(e.property).toMatch(/\.lineWidth$/);
  });

  it('duplicate path', () => {
    const e = schemaError([
      {
        file: 'schemas/w.schema.ts',
        plugin: base({ size: p.number(1), width: p.number(1, { yjsKey: 'size' }) }),
      },
    ]);
    expect(e.message).toBe(
      'schemas/w.schema.ts: widget.width: duplicate path "widget.size", already used by widget.size',
    );
  });

  it('two plugins with one name', () => {
    const e = schemaError([
      { file: 'schemas/one.schema.ts', plugin: base({ a: p.boolean(true) }) },
      { file: 'schemas/two.schema.ts', plugin: base({ b: p.boolean(true) }) },
    ]);
    expect(e.message).toMatch(/duplicate path "widget"/);
  });

  it('default failing its own validation', () => {
    const e = schemaError([
      { file: 'schemas/w.schema.ts', plugin: base({ opacity: p.number(2, { min: 0, max: 1 }) }) },
    ]);
    expect(e.message).toBe(
      'schemas/w.schema.ts: widget.opacity: default 2 fails its own validation: 2 is above the maximum 1',
    );
  });

  it('default not normalised', () => {
    const e = schemaError([{ file: 'schemas/w.schema.ts', plugin: base({ tint: p.color('#FFF') }) }]);
    expect(e.message).toMatch(/widget\.tint: default "#FFF" is not normalised; write "#ffffff"/);
  });

  it('local-only property with a column', () => {
    const e = schemaError([
      { file: 'schemas/w.schema.ts', plugin: base({ pan: p.number(0, { localOnly: true, column: 'pan' }) }) },
    ]);
    expect(e.message).toBe(
      'schemas/w.schema.ts: widget.pan: local-only property must not declare a column ("pan")',
    );
  });

  it('unknown throttle class, on a property and on a plugin', () => {
    const bad = 'warp' as unknown as 'control';
    expect(
      schemaError([{ file: 'schemas/w.schema.ts', plugin: base({ a: p.number(0, { throttle: bad }) }) }])
        .message,
    ).toBe('schemas/w.schema.ts: widget.a: unknown throttle class "warp"');
    expect(schemaError([{ file: 'schemas/w.schema.ts', plugin: base({}, { throttle: bad }) }]).message).toBe(
      'schemas/w.schema.ts: widget: unknown throttle class "warp"',
    );
  });

  it('a column reserved for the table itself', () => {
    const e = schemaError([
      {
        file: 'schemas/m.schema.ts',
        plugin: base({ sceneId: p.string('') }, { attachTo: 'collection', name: 'token' }),
      },
    ]);
    expect(e.message).toMatch(/token\.sceneId: column "scene_id" is reserved/);
  });

  it('gmOnlyWhen naming an unknown property or value', () => {
    const plugin = base({ seen: p.enum(['yes', 'no'], 'yes') }, { attachTo: 'collection', name: 'token' });
    expect(
      schemaError([{ file: 'f.ts', plugin: { ...plugin, gmOnlyWhen: { hidden: ['x'] } } }]).message,
    ).toMatch(/gmOnlyWhen names unknown property "hidden"/);
    expect(
      schemaError([{ file: 'f.ts', plugin: { ...plugin, gmOnlyWhen: { seen: ['maybe'] } } }]).message,
    ).toMatch(/token\.seen: gmOnlyWhen value "maybe"/);
  });
});

describe('registry lookups', () => {
  const registry = createRegistry([
    {
      file: 'schemas/w.schema.ts',
      plugin: base({ size: p.number(1, { min: 0, max: 10 }), at: p.point({ x: 0, y: 0 }) }),
    },
    {
      file: 'schemas/t.schema.ts',
      plugin: base({ label: p.string('') }, { name: 'token', attachTo: 'collection', throttle: 'member' }),
    },
  ]);

  it('finds scene and collection properties by path', () => {
    expect(registry.byPath(['widget', 'size'])?.id).toBe('widget.size');
    expect(registry.byPath(['tokens', 'abc-1', 'label'])?.id).toBe('token.label');
    expect(registry.byPath(['tokens', '__proto__', 'label'])).toBeUndefined();
    expect(registry.byPath(['widget'])).toBeUndefined();
    expect(registry.byPath(['nope', 'size'])).toBeUndefined();
  });

  it('finds properties by column, points by either coordinate', () => {
    expect(registry.byColumn('scene', 'widget_size')?.id).toBe('widget.size');
    expect(registry.byColumn('scene', 'widget_at_y')?.id).toBe('widget.at');
    expect(registry.byColumn('token', 'label')?.id).toBe('token.label');
    expect(registry.byColumn('token', 'size')).toBeUndefined();
  });

  it('validate normalises or says why, naming the path', () => {
    expect(registry.validate(['widget', 'size'], 4)).toEqual({ ok: true, value: 4 });
    expect(registry.validate(['widget', 'size'], 11)).toEqual({
      ok: false,
      code: 'range',
      reason: 'widget.size: 11 is above the maximum 10',
    });
    expect(registry.validate(['widget', 'colour'], 1)).toMatchObject({ ok: false, code: 'unknown-path' });
  });

  it('collections inherit the plugin throttle; properties may override it', () => {
    expect(registry.byPath(['tokens', 'a', 'label'])?.throttle).toBe('member');
    expect(registry.byPath(['widget', 'size'])?.throttle).toBe('control');
  });
});

describe('party settings', () => {
  const file = 'schemas/widget.schema.ts';
  const plugin = base(
    { color: p.color('#ffffff') },
    { party: { playersMay: p.boolean(false), limit: p.number(3, { min: 1, max: 9 }) } },
  );

  it('are listed by id, validated, and read over their defaults', () => {
    const registry = createRegistry([{ file, plugin }]);
    expect(registry.partySettings.map((s) => s.id)).toEqual(['widget.playersMay', 'widget.limit']);
    expect(registry.validatePartySetting('widget.limit', 12)).toMatchObject({ ok: false });
    expect(registry.validatePartySetting('widget.nope', true)).toMatchObject({ ok: false });
    expect(registry.partyValues('widget', { 'widget.playersMay': true, 'widget.limit': 'x' })).toEqual({
      playersMay: true,
      limit: 3,
    });
    // Party settings are not scene properties: no path, no column.
    expect(registry.byPath(['widget', 'playersMay'])).toBeUndefined();
  });

  it('a step moving a scene property to the party needs the party setting', () => {
    const moving = base(
      { color: p.color('#ffffff') },
      { migrations: [{ version: 1, toParty: ['playersMay'] }] },
    );
    expect(schemaError([{ file, plugin: moving }]).message).toMatch(/no party setting "playersMay"/);
    const ok = { ...moving, party: { playersMay: p.boolean(false) } };
    expect(createRegistry([{ file, plugin: ok }]).plugin('widget')!.version).toBe(1);
  });
});
