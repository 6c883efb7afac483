/**
 * Value helpers shared by the document layout and the snapshots: equality of
 * the plain JSON values properties hold, defaults, copies, and who may see a
 * value (audience and gm-only collection members).
 */
import type { GmOnlyValue, PluginInfo, PropInfo } from '../schema';

/** Assigns an own property even for ids such as `__proto__`, which plain assignment would not store. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function cloneValue(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/** Structural equality for the plain JSON values properties hold. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A property's default, copied so callers can never share (and mutate) the declaration's object. */
export function defaultOf(prop: PropInfo): unknown {
  return cloneValue(prop.decl.default);
}

/** True when players must not see the value of `prop` (audience `gm`). */
export function isGmOnlyProp(prop: PropInfo): boolean {
  return prop.audience === 'gm';
}

/** True when a collection member is hidden from players (its `gmOnlyWhen` matches). */
export function isGmOnlyMember(collection: PluginInfo, member: Readonly<Record<string, unknown>>): boolean {
  for (const [key, values] of collection.gmOnlyWhen) {
    const prop = collection.props.find((p) => p.key === key);
    const value = key in member ? member[key] : prop?.decl.default;
    if (values.includes(value as GmOnlyValue)) return true;
  }
  return false;
}
