/**
 * Registry-driven edit traces: which properties a benchmark edits and with
 * which values, chosen with a seeded PRNG from every synced property the
 * registry declares (no property is named here), with values drawn from the
 * same arbitraries the property-based tests use.
 */
import fc from 'fast-check';
import type { PropInfo, Registry } from '../../engine/schema';
import { defaultStageProps, type StageProps } from '../../engine/generated';
import { sameValue } from '../../engine/sync';
import { validValue } from '../../tests/support/arbitraries';
import { pick, seededRandom } from './stats';

/** A property edit: a StageProps path and a valid, normalised value. */
export interface Edit {
  readonly path: readonly string[];
  readonly value: unknown;
  readonly prop: PropInfo;
}

/** Synced (not local-only) properties of scene plugins. */
export function sceneProps(registry: Registry): PropInfo[] {
  return registry.scenePlugins.flatMap((p) => p.props.filter((prop) => !prop.localOnly));
}

/** Synced properties of collections. */
export function memberProps(registry: Registry): PropInfo[] {
  return registry.collections.flatMap((p) => p.props.filter((prop) => !prop.localOnly));
}

/** Member ids the registry accepts, stable across runs. */
export const memberIdOf = (i: number) => `m${String(i).padStart(5, '0')}`;

/** Default StageProps with `members` default members in every collection. */
export function sceneWithMembers(registry: Registry, members: number): StageProps {
  const props = defaultStageProps() as unknown as Record<string, Record<string, unknown>>;
  for (const collection of registry.collections) {
    const group: Record<string, unknown> = {};
    for (let i = 0; i < members; i++)
      group[memberIdOf(i)] = Object.fromEntries(
        collection.props.map((p) => [p.key, structuredClone(p.decl.default)]),
      );
    props[collection.key] = group;
  }
  return props as unknown as StageProps;
}

/** Reads the value at `path` from a StageProps-shaped tree. */
export function valueAt(tree: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], tree);
}

/** Sets the value at `path` in a StageProps-shaped tree (mutates it). */
export function setValueAt(tree: unknown, path: readonly string[], value: unknown): void {
  let node = tree as Record<string, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[path[path.length - 1]!] = structuredClone(value);
}

/**
 * A seeded trace of `count` edits over a scene with `members` members per
 * collection: each picks a synced property (scene or member) uniformly and a
 * valid value different from the current one, so every edit changes something.
 */
export function editTrace(registry: Registry, seed: number, count: number, members: number): Edit[] {
  const random = seededRandom(seed);
  const targets = [...sceneProps(registry), ...memberProps(registry)];
  // A pool of valid values per property, sampled once with a fixed seed.
  const pools = new Map(
    targets.map((prop, i) => [prop, fc.sample(validValue(prop.decl), { seed: seed + i, numRuns: 64 })]),
  );
  const current = sceneWithMembers(registry, members);
  const out: Edit[] = [];
  while (out.length < count) {
    const prop = pick(random, targets);
    const path =
      prop.plugin.attachTo === 'scene'
        ? [prop.plugin.key, prop.key]
        : [prop.plugin.key, memberIdOf(Math.floor(random() * members)), prop.key];
    const checked = registry.validate(path, pick(random, pools.get(prop)!));
    if (!checked.ok || sameValue(checked.value, valueAt(current, path))) continue;
    setValueAt(current, path, checked.value);
    out.push({ path, value: checked.value, prop });
  }
  return out;
}
