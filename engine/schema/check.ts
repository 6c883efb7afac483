import type { ControlKind, PropDecl, PropKind, SqlType } from './kinds';

/** Why a value was refused. `reason` is a sentence a person can act on. */
export interface ValueError {
  readonly ok: false;
  readonly code: 'type' | 'range' | 'enum' | 'format' | 'length' | 'unknown-path' | 'read-only';
  readonly reason: string;
}

export type Checked<V = unknown> = { readonly ok: true; readonly value: V } | ValueError;

const DEFAULT_MAX_STRING = 2000;

const ok = <V>(value: V): Checked<V> => ({ ok: true, value });
const fail = (code: ValueError['code'], reason: string): ValueError => ({ ok: false, code, reason });

function checkNumber(value: unknown, d: { min?: number; max?: number }, integer: boolean): Checked<number> {
  if (typeof value !== 'number') return fail('type', `expected a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) return fail('range', `expected a finite number, got ${value}`);
  if (integer && !Number.isInteger(value)) return fail('type', `expected an integer, got ${value}`);
  if (d.min !== undefined && value < d.min) return fail('range', `${value} is below the minimum ${d.min}`);
  if (d.max !== undefined && value > d.max) return fail('range', `${value} is above the maximum ${d.max}`);
  return ok(value);
}

function checkString(value: unknown, maxLength = DEFAULT_MAX_STRING): Checked<string> {
  if (typeof value !== 'string') return fail('type', `expected a string, got ${describe(value)}`);
  if (value.length > maxLength)
    return fail('length', `text is ${value.length} characters long; the limit is ${maxLength}`);
  return ok(value);
}

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** `#RGB` and `#RRGGBB` in any case become lowercase `#rrggbb`. */
function checkColor(value: unknown): Checked<string> {
  if (typeof value !== 'string') return fail('type', `expected a colour string, got ${describe(value)}`);
  const m = HEX.exec(value.trim());
  if (!m) return fail('format', `"${truncate(value)}" is not a colour of the form #rrggbb`);
  const hex = m[1]!.toLowerCase();
  return ok(hex.length === 3 ? `#${[...hex].map((c) => c + c).join('')}` : `#${hex}`);
}

/** An asset is empty (none), an uploaded file under `/uploads/`, or an http(s) URL. */
function checkAsset(value: unknown): Checked<string> {
  const s = checkString(value, 2048);
  if (!s.ok || s.value === '') return s;
  if (s.value.startsWith('/uploads/') && !s.value.includes('..')) return s;
  try {
    const url = new URL(s.value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return s;
  } catch {
    // fall through to the error below
  }
  return fail('format', `"${truncate(s.value)}" is not an http(s) URL or an uploaded file path`);
}

interface KindInfo<K extends PropKind> {
  /** Validates and normalises a value of this kind. */
  check(value: unknown, decl: Extract<PropDecl, { kind: K }>): Checked;
  /** SQL type of the column(s). */
  sql: SqlType;
  /** The control used when the declaration does not name one. */
  control(decl: Extract<PropDecl, { kind: K }>): ControlKind;
}

/**
 * Everything generic code knows about a property kind. A mapped type over
 * every kind, so adding a kind without its checker fails to compile.
 */
export const KINDS: { [K in PropKind]: KindInfo<K> } = {
  number: {
    check: (v, d) => checkNumber(v, d, false),
    sql: 'real',
    control: (d) => (d.min !== undefined && d.max !== undefined ? 'slider' : 'number'),
  },
  integer: {
    check: (v, d) => checkNumber(v, d, true),
    sql: 'integer',
    control: (d) => (d.min !== undefined && d.max !== undefined ? 'slider' : 'number'),
  },
  boolean: {
    check: (v) =>
      typeof v === 'boolean' ? ok(v) : fail('type', `expected true or false, got ${describe(v)}`),
    sql: 'integer',
    control: () => 'toggle',
  },
  string: {
    check: (v, d) => checkString(v, d.maxLength),
    sql: 'text',
    control: (d) => ((d.maxLength ?? DEFAULT_MAX_STRING) > 200 ? 'textarea' : 'text'),
  },
  enum: {
    check: (v, d) =>
      typeof v === 'string' && d.values.includes(v)
        ? ok(v)
        : fail('enum', `expected one of ${d.values.map((x) => `"${x}"`).join(', ')}, got ${describe(v)}`),
    sql: 'text',
    control: () => 'select',
  },
  color: { check: (v) => checkColor(v), sql: 'text', control: () => 'color' },
  asset: { check: (v) => checkAsset(v), sql: 'text', control: () => 'file' },
  point: {
    check: (v, d) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        return fail('type', `expected a point {x, y}, got ${describe(v)}`);
      const keys = Object.keys(v);
      if (keys.length !== 2 || !('x' in v) || !('y' in v))
        return fail('type', `expected exactly the fields x and y, got {${keys.join(', ')}}`);
      const x = checkNumber(v.x, d, false);
      if (!x.ok) return { ...x, reason: `x: ${x.reason}` };
      const y = checkNumber(v.y, d, false);
      if (!y.ok) return { ...y, reason: `y: ${y.reason}` };
      return ok({ x: x.value, y: y.value });
    },
    sql: 'real',
    control: () => 'point',
  },
};

/** Validates `value` against one declaration; the value comes back normalised. */
export function checkValue(decl: PropDecl, value: unknown): Checked {
  // The cast is safe: KINDS[decl.kind] is the checker for exactly this kind.
  return (KINDS[decl.kind] as KindInfo<PropKind>).check(value, decl as never);
}

export function controlOf(decl: PropDecl): ControlKind {
  return decl.control ?? (KINDS[decl.kind] as KindInfo<PropKind>).control(decl as never);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string "${truncate(value)}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
