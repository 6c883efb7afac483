/**
 * The shape of a presence (Y.js awareness) state, declared once and shared by
 * the room (which rebuilds every incoming state from it) and the client
 * (which reads other users' states through the same readers).
 *
 * Awareness states are arbitrary JSON a client sets for itself and the room
 * relays to everyone, so an unchecked field reaches every other browser: a
 * player once put CSS into `user.color` and covered the GM's map. Here each
 * field has a reader that returns the validated value or `undefined` (drop
 * it); a state is rebuilt field by field from a {@link PresenceSchema} and
 * anything the schema does not declare is left out. The room then stamps the
 * facts only it knows (the user's id and role) over `user`.
 *
 * The schema is a registry so later features (rulers, pings) can add their
 * own validated fields with {@link PresenceSchema.with}, without touching the
 * room or the core fields.
 */
import { isEntityId } from '../schema';
import { MAX_PREVIEW_CHARS, MAX_PREVIEWS, PREVIEW_FIELD, readPreviews, type PreviewWire } from './previews';

/** One declared presence field: its key in the state and how to read it safely. */
export interface PresenceField<T = unknown> {
  readonly key: string;
  /**
   * The validated (possibly normalised) value, or undefined to drop the field.
   * `sender` is the room's stamp of who sent it (`id`, `role`) when known.
   */
  readonly read: (value: unknown, sender?: Readonly<Record<string, string>>) => T | undefined;
  /**
   * Distinct non-null values one connection may send per second (average,
   * burst); the room enforces it (partykit/core/awarenessGate.ts). Absent: only
   * the connection's overall presence budget applies.
   */
  readonly rate?: { readonly perSecond: number; readonly burst: number };
}

/**
 * Decides, for one field of one incoming state, what is relayed: the value,
 * a replacement (the last accepted one) or undefined (drop the field).
 */
export type PresenceGuard = (field: PresenceField, value: unknown) => unknown;

/** Longest display name, in characters; longer names are cut. */
export const MAX_NAME_CHARS = 40;
/** Colours are `#rrggbb`: nothing else can reach a style. */
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
/** Cursor coordinates beyond this are not on any map. */
const MAX_COORD = 1e7;
/** Longest id part (scene id, path key) accepted inside a preview. */
const MAX_ID_CHARS = 64;
// Control characters and bidi overrides: a name is plain text shown in one line.
const UNPRINTABLE_CLASS = '\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const UNPRINTABLE = new RegExp(`[${UNPRINTABLE_CLASS}]`, 'g');
/** A name that needs no rebuilding (up to MAX_NAME_CHARS code points, all printable): rooms read one per cursor move. */
const PLAIN_NAME = new RegExp(`^[^${UNPRINTABLE_CLASS}]{1,${MAX_NAME_CHARS}}$`, 'u');

/** The user part as clients send it: a display name and a cursor colour. */
export interface PresenceUser {
  readonly name?: string;
  readonly color?: string;
}

/** A cursor: scene coordinates and, optionally, the scene it is over; null when hidden. */
export interface PresenceCursor {
  readonly x: number;
  readonly y: number;
  readonly s?: string;
}

/** A display name as plain one-line text of at most {@link MAX_NAME_CHARS}; undefined when empty. */
export function readName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (PLAIN_NAME.test(value)) return value.trim() || undefined;
  const clean = [...value.slice(0, MAX_NAME_CHARS * 4).replace(UNPRINTABLE, '')]
    .slice(0, MAX_NAME_CHARS)
    .join('')
    .trim();
  return clean === '' ? undefined : clean;
}

/** A `#rrggbb` colour (lower-cased), or undefined. */
export function readColor(value: unknown): string | undefined {
  return typeof value === 'string' && HEX_COLOR.test(value) ? value.toLowerCase() : undefined;
}

function readUser(value: unknown): PresenceUser | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const raw = value as Record<string, unknown>;
  const name = readName(raw.name);
  const color = readColor(raw.color);
  return { ...(name !== undefined ? { name } : {}), ...(color !== undefined ? { color } : {}) };
}

const coord = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_COORD;

/** A cursor (null hides it); undefined when malformed. */
export function readCursor(value: unknown): PresenceCursor | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { x, y, s } = value as Record<string, unknown>;
  if (!coord(x) || !coord(y)) return undefined;
  return isEntityId(s) ? { x, y, s } : { x, y };
}

function readPreviewList(value: unknown): PreviewWire[] | undefined {
  const kept = readPreviews({ [PREVIEW_FIELD]: value })
    .slice(0, MAX_PREVIEWS)
    .filter(
      (p) =>
        p.s.length <= MAX_ID_CHARS &&
        p.k.every((part) => part.length <= MAX_ID_CHARS) &&
        (JSON.stringify(p.v)?.length ?? Infinity) <= MAX_PREVIEW_CHARS,
    )
    .map((p) => ({ s: p.s, k: [...p.k], v: p.v }));
  return kept.length ? kept : undefined;
}

/** The user field: `id` and `role` are stamped by the room, never taken from the client. */
export const USER_FIELD: PresenceField<PresenceUser> = { key: 'user', read: readUser };
export const CURSOR_FIELD: PresenceField<PresenceCursor | null> = { key: 'cursor', read: readCursor };
export const PREVIEWS_FIELD: PresenceField<PreviewWire[]> = { key: PREVIEW_FIELD, read: readPreviewList };

/** A set of declared presence fields. Immutable: {@link with} returns a new schema. */
export class PresenceSchema {
  readonly #fields: ReadonlyMap<string, PresenceField>;

  constructor(fields: readonly PresenceField[]) {
    const map = new Map<string, PresenceField>();
    for (const f of fields) {
      if (map.has(f.key)) throw new Error(`presence field "${f.key}" is declared twice`);
      map.set(f.key, f);
    }
    this.#fields = map;
  }

  /** This schema plus `fields` (a feature declaring its own presence). */
  with(...fields: readonly PresenceField[]): PresenceSchema {
    return new PresenceSchema([...this.#fields.values(), ...fields]);
  }

  /** The declared field under `key`, if any. */
  field(key: string): PresenceField | undefined {
    return this.#fields.get(key);
  }

  get keys(): readonly string[] {
    return [...this.#fields.keys()];
  }

  /**
   * Rebuilds `state` from the declared fields only, each through its reader,
   * and stamps `identity` (the room's facts) over `user`. Undefined when the
   * state is not a JSON object.
   */
  sanitize(
    state: unknown,
    identity: Readonly<Record<string, string>> = {},
    guard?: PresenceGuard,
  ): Record<string, unknown> | undefined {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) return undefined;
    const raw = state as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, field] of this.#fields) {
      if (!Object.hasOwn(raw, key)) continue;
      const read = field.read(raw[key], identity);
      const value = read !== undefined && guard ? guard(field, read) : read;
      if (value !== undefined) out[key] = value;
    }
    if (Object.keys(identity).length)
      out[USER_FIELD.key] = { ...((out[USER_FIELD.key] as object | undefined) ?? {}), ...identity };
    return out;
  }
}

/** What every room accepts today: user (name, colour), cursor and gesture previews. */
export const CORE_PRESENCE = new PresenceSchema([USER_FIELD, CURSOR_FIELD, PREVIEWS_FIELD]);
