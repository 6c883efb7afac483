import { describe, expect, it } from 'vitest';
import { registry } from '../engine/generated/schemas';
import { builtinRenderPlugins } from '.';

describe('built-in render plugins', () => {
  it('each names a registry plugin once and draws on one of the four layers', () => {
    const names = builtinRenderPlugins.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of builtinRenderPlugins) {
      expect(registry.plugin(p.name), p.name).toBeDefined();
      expect(p.layer).toBeGreaterThanOrEqual(0);
      expect(p.layer).toBeLessThanOrEqual(3);
    }
  });

  it('every plugin with values players see has a renderer (GM-only text such as notes needs none)', () => {
    const rendered = new Set(builtinRenderPlugins.map((p) => p.name));
    const visible = registry.plugins.filter((p) => p.props.some((prop) => prop.audience === 'all'));
    expect(visible.map((p) => p.name).filter((n) => !rendered.has(n))).toEqual([]);
  });
});
