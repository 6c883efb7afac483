import { describe, expect, it } from 'vitest';
import { registry } from '../engine/generated/schemas';
import { editorPlugins } from '../editor/generated/plugins';

/** The built-in plugins' runtimes, discovered by codegen, checked for what each must have. */
describe('built-in plugin runtimes', () => {
  const byName = new Map(editorPlugins.map((r) => [r.name, r]));

  it('every schema plugin has exactly one runtime, listed in registry order', () => {
    expect(editorPlugins.map((r) => r.name)).toEqual(registry.plugins.map((p) => p.name));
  });

  it('every plugin with values players see draws them (GM-only text such as notes needs no renderer)', () => {
    const visible = registry.plugins.filter((p) => p.props.some((prop) => prop.audience === 'all'));
    expect(visible.map((p) => p.name).filter((n) => !byName.get(n)?.render)).toEqual([]);
  });

  it('stacks map, grid, markers, fog and the display outline in that order', () => {
    const order = (name: string) => byName.get(name)!.drawOrder ?? 0;
    const stack = ['map', 'grid', 'marker', 'fogOfWar', 'display'].map(order);
    expect([...stack].sort((a, b) => a - b)).toEqual(stack);
    expect(new Set(stack).size).toBe(stack.length);
  });

  it('every declared channel has a model in its plugin, and every model a declared channel', () => {
    for (const c of registry.channels) expect(byName.get(c.plugin)?.channels?.[c.name], c.id).toBeDefined();
    for (const r of editorPlugins)
      for (const name of Object.keys(r.channels ?? {}))
        expect(
          registry.plugin(r.name)?.channels.some((c) => c.name === name),
          `${r.name}.${name}`,
        ).toBe(true);
  });

  it('tool ids and keys are unique, and exactly one plugin holds the per-user view with its tool property', () => {
    const tools = editorPlugins.flatMap((r) => r.tools ?? []);
    expect(new Set(tools.map((t) => t.id)).size).toBe(tools.length);
    const keys = tools.map((t) => t.key).filter(Boolean);
    expect(new Set(keys).size).toBe(keys.length);
    const views = editorPlugins.filter((r) => r.userView);
    expect(views).toHaveLength(1);
    const plugin = registry.plugin(views[0]!.name)!;
    const tool = registry.byPath([plugin.key, views[0]!.userView!.tool]);
    expect(tool?.localOnly).toBe(true);
  });

  it('drop targets name asset properties of their own plugin', () => {
    for (const r of editorPlugins)
      for (const d of r.drop ?? [])
        expect(registry.plugin(r.name)?.props.find((p) => p.key === d.prop)?.decl.kind, d.prop).toBe('asset');
  });
});
