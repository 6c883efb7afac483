/**
 * fast-check arbitraries for StageProps, derived from the registry so that a
 * new property is covered by the property-based tests without editing them.
 * Test-only (imports fast-check, a dev dependency).
 */
import fc from 'fast-check';
import type { PluginInfo, PropDecl, Registry } from '../../schema';
import type { StageProps } from '../../generated/stageProps';

function numberArb(decl: { min?: number; max?: number }, integer: boolean): fc.Arbitrary<number> {
  const min = decl.min ?? -1e6;
  const max = decl.max ?? 1e6;
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  // -0 does not survive Y.js encoding as -0; it is the same value to every user anyway.
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v));
}

/** Valid (already normalised) values for one declaration. */
export function valueArb(decl: PropDecl): fc.Arbitrary<unknown> {
  switch (decl.kind) {
    case 'number':
      return numberArb(decl, false);
    case 'integer':
      return numberArb(decl, true);
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.string({ maxLength: Math.min(decl.maxLength ?? 2000, 40) });
    case 'enum':
      return fc.constantFrom(...decl.values);
    case 'color':
      return fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`);
    case 'asset':
      return fc.constantFrom('', '/uploads/map.png', 'https://example.com/a.webp');
    case 'point':
      return fc.record({ x: numberArb(decl, false), y: numberArb(decl, false) });
  }
}

function groupArb(plugin: PluginInfo, withLocal: boolean): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const prop of plugin.props)
    shape[prop.key] =
      prop.localOnly && !withLocal ? fc.constant(structuredClone(prop.decl.default)) : valueArb(prop.decl);
  return fc.record(shape);
}

const memberId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,11}$/);

/**
 * Any valid StageProps. Local-only properties stay at their defaults unless
 * `withLocal` (they never enter the document, so a round trip resets them).
 */
export function stagePropsArb(
  registry: Registry,
  options: { withLocal?: boolean; maxMembers?: number } = {},
): fc.Arbitrary<StageProps> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const plugin of registry.scenePlugins)
    shape[plugin.key] = groupArb(plugin, options.withLocal ?? false);
  for (const collection of registry.collections)
    shape[collection.key] = fc.dictionary(memberId, groupArb(collection, false), {
      maxKeys: options.maxMembers ?? 5,
      noNullPrototype: true,
    });
  return fc.record(shape) as unknown as fc.Arbitrary<StageProps>;
}
