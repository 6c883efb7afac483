import type { ColumnInfo, PropInfo, Registry } from '../schema';

/** One saved property column of a table, with the property it belongs to. */
export interface PropertyColumn {
  readonly prop: PropInfo;
  readonly column: ColumnInfo;
}

/** Why a value for a column was refused: the field (as named in the request) and a sentence. */
export interface ColumnError {
  readonly field: string;
  readonly reason: string;
}

/**
 * The property columns of `table` (`scene` or a collection's table), keyed by
 * drizzle field name (camelCase), derived from the registry.
 */
export function propertyColumns(registry: Registry, table: string): ReadonlyMap<string, PropertyColumn> {
  const out = new Map<string, PropertyColumn>();
  for (const plugin of registry.plugins) {
    if (plugin.table !== table) continue;
    for (const prop of plugin.props)
      for (const column of prop.columns) out.set(column.field, { prop, column });
  }
  return out;
}

function pathOf(prop: PropInfo, memberId: string | undefined): string[] {
  return prop.plugin.attachTo === 'collection'
    ? [prop.plugin.key, memberId ?? 'x', prop.key]
    : [prop.plugin.key, prop.key];
}

/**
 * Validates one column value with the registry's validator for its property
 * and returns the normalised value. A point's column holds one coordinate, so
 * it is checked as a point with that coordinate in both places.
 */
export function checkColumnValue(
  registry: Registry,
  pc: PropertyColumn,
  value: unknown,
  memberId?: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const path = pathOf(pc.prop, memberId);
  const part = pc.column.part;
  const checked = registry.validate(path, part ? { x: value, y: value } : value);
  if (!checked.ok) return { ok: false, reason: checked.reason };
  return { ok: true, value: part ? (checked.value as Record<'x' | 'y', unknown>)[part] : checked.value };
}

/**
 * Validates a partial set of property columns for `table` (unknown fields are
 * refused) and returns them normalised. `fieldPrefix` names where they came
 * from in the request, so errors say e.g. `scene.gridOpacity`.
 */
export function checkPropertyColumns(
  registry: Registry,
  table: string,
  values: unknown,
  fieldPrefix: string,
  options: { memberId?: string; baseFields?: readonly string[] } = {},
): { ok: true; value: Record<string, unknown> } | ({ ok: false } & ColumnError) {
  if (typeof values !== 'object' || values === null || Array.isArray(values))
    return { ok: false, field: fieldPrefix, reason: `${fieldPrefix} must be an object` };
  const columns = propertyColumns(registry, table);
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    if (options.baseFields?.includes(field)) continue;
    const pc = columns.get(field);
    const at = `${fieldPrefix}.${field}`;
    if (!pc) return { ok: false, field: at, reason: `${at}: ${table} has no property column "${field}"` };
    const checked = checkColumnValue(registry, pc, value, options.memberId);
    if (!checked.ok) return { ok: false, field: at, reason: `${at}: ${checked.reason}` };
    out[field] = checked.value;
  }
  return { ok: true, value: out };
}

/** Every property column of `table` at its declared default: what a fresh row holds. */
export function defaultColumns(registry: Registry, table: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { prop, column } of propertyColumns(registry, table).values()) {
    const d = prop.decl.default as unknown;
    out[column.field] = column.part ? (d as Record<'x' | 'y', unknown>)[column.part] : d;
  }
  return out;
}
