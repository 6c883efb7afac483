/**
 * fast-check arbitraries derived from the registry: any valid value of any
 * property, and whole valid `StageProps`. Shared by the round-trip, sync and
 * convergence tests so they all explore the same space.
 */
import fc from 'fast-check';
import type { PluginInfo, PropDecl, Registry } from '../../engine/schema';
import type { StageProps } from '../../engine/generated/stageProps';

const hex = fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`);

/** Any value the declaration accepts, already in normalised form. */
export function validValue(decl: PropDecl): fc.Arbitrary<unknown> {
  switch (decl.kind) {
    case 'number':
      return fc.double({ min: decl.min ?? -1e6, max: decl.max ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'integer':
      return fc.integer({ min: decl.min ?? -1e6, max: decl.max ?? 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.string({ maxLength: Math.min(decl.maxLength ?? 2000, 64) });
    case 'enum':
      return fc.constantFrom(...decl.values);
    case 'color':
      return hex;
    case 'asset':
      return fc.constantFrom('', '/uploads/map-1.png', 'https://example.com/maps/cave.webp');
    case 'point': {
      const c = fc.double({
        min: decl.min ?? -1e6,
        max: decl.max ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
      return fc.record({ x: c, y: c });
    }
  }
}

/** A value the declaration must refuse. */
export function invalidValue(decl: PropDecl): fc.Arbitrary<unknown> {
  const wrongType = fc.constantFrom<unknown>(null, undefined, [], {}, 'text', 5);
  switch (decl.kind) {
    case 'number':
    case 'integer': {
      const out = [fc.constantFrom<unknown>(NaN, Infinity, -Infinity, '1', null, true)];
      if (decl.max !== undefined) out.push(fc.double({ min: decl.max + 1, max: 1e12, noNaN: true }));
      if (decl.min !== undefined) out.push(fc.double({ min: -1e12, max: decl.min - 1, noNaN: true }));
      if (decl.kind === 'integer') out.push(fc.constant((decl.min ?? 0) + 0.5));
      return fc.oneof(...out);
    }
    case 'boolean':
      return fc.constantFrom<unknown>(0, 1, 'true', null);
    case 'string':
      return fc.oneof(
        fc.constantFrom<unknown>(42, null, {}),
        fc.constant('x'.repeat((decl.maxLength ?? 2000) + 1)),
      );
    case 'enum':
      return fc.string().filter((s) => !decl.values.includes(s));
    case 'color':
      return fc.constantFrom<unknown>('red', '#12', '#gggggg', 'rgb(0,0,0)', 0xffffff);
    case 'asset':
      return fc.constantFrom<unknown>('javascript:alert(1)', 'file:///etc/passwd', '/uploads/../secret', 7);
    case 'point':
      return fc.oneof(
        wrongType,
        fc.constantFrom<unknown>({ x: NaN, y: 0 }, { x: 0 }, { x: 0, y: 0, z: 0 }, { x: '1', y: 2 }),
      );
  }
}

function groupOf(plugin: PluginInfo, withLocal: boolean): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const prop of plugin.props)
    shape[prop.key] =
      prop.localOnly && !withLocal ? fc.constant(structuredClone(prop.decl.default)) : validValue(prop.decl);
  return fc.record(shape);
}

/** Member ids as the registry accepts them (see isEntityId). */
const memberId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/);

/**
 * Any valid `StageProps`. Local-only properties stay at their defaults unless
 * `withLocal` (they never reach the database, so a DB round trip resets them).
 */
export function stageProps(registry: Registry, options: { withLocal?: boolean; maxMembers?: number } = {}) {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const plugin of registry.plugins)
    shape[plugin.key] =
      plugin.attachTo === 'scene'
        ? groupOf(plugin, options.withLocal ?? false)
        : fc.dictionary(memberId, groupOf(plugin, false), { maxKeys: options.maxMembers ?? 6 });
  return fc.record(shape) as unknown as fc.Arbitrary<StageProps>;
}
