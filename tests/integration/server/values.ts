import type { PropInfo } from '../../../engine/schema';
import { propertyColumns, type PropertyColumn } from '../../../engine/db';
import { registry } from '../../../engine/generated/schemas';

/**
 * A valid value for one column of `pc` that differs from its default, chosen
 * from the declaration alone, so the tests cover whatever properties exist.
 */
export function otherColumnValue(pc: PropertyColumn, salt = 0): unknown {
  const d = pc.prop.decl;
  const def = pc.column.part ? (d.default as unknown as Record<string, unknown>)[pc.column.part] : d.default;
  switch (d.kind) {
    case 'number':
    case 'integer':
    case 'point': {
      const min = d.min ?? -1000;
      const max = d.max ?? 1000;
      let v = d.kind === 'integer' ? Math.floor((min + max) / 2) : (min + max) / 2;
      if (v === def) v = d.kind === 'integer' ? min : min + (max - min) / 4;
      return v;
    }
    case 'boolean':
      return !def;
    case 'enum':
      return d.values.find((x) => x !== def);
    case 'color':
      return def === '#123456' ? '#654321' : '#123456';
    case 'string':
      return `changed ${salt}`;
    case 'asset':
      return `/uploads/changed${salt}.png`;
  }
}

/** An out-of-range or wrong-typed value for the column, with the kind of mistake. */
export function badColumnValues(pc: PropertyColumn): unknown[] {
  const d = pc.prop.decl;
  const out: unknown[] = [{ nested: true }];
  if (d.kind === 'number' || d.kind === 'integer' || d.kind === 'point') {
    out.push('12');
    if (d.max !== undefined) out.push(d.max + 1);
    if (d.min !== undefined) out.push(d.min - 1);
    out.push(Number.NaN);
  }
  if (d.kind === 'integer') out.push(1.5);
  if (d.kind === 'boolean') out.push(1, 'true');
  if (d.kind === 'enum') out.push('not-a-value');
  if (d.kind === 'color') out.push('red', '#12345');
  if (d.kind === 'string') out.push(7, 'x'.repeat((d.maxLength ?? 2000) + 1));
  if (d.kind === 'asset') out.push('javascript:alert(1)', '/uploads/../secrets.json');
  return out;
}

/** Every saved property column of the scene table. */
export const sceneColumns = [...propertyColumns(registry, 'scene').values()];

/** Every saved column of a collection's table. */
export const memberColumns = (key: string) => [
  ...propertyColumns(registry, registry.collection(key)!.table).values(),
];

export const isGmAudience = (p: PropInfo) => p.audience === 'gm';
