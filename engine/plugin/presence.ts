/**
 * Plugin presence: ephemeral state a plugin publishes through awareness (a
 * ruler being dragged, a ping) — live for everyone in the room, never in the
 * document, gone when its sender clears it or leaves.
 *
 * A plugin declares the shape once ({@link definePluginPresence}) and hands
 * the same declaration to both halves: its runtime (`presence`: tools
 * publish through `ToolContext.setPresence`, the renderer receives everyone's
 * values in `RenderSystem.presence`) and its room plugin (`presence`: the
 * room validates every incoming value with it). The core never knows which
 * plugins publish what: the awareness field is the plugin's name, the value
 * travels wrapped as `{ s: sceneId, v: value }`, and the room applies the
 * declared reader, the players' permission and the rate generically.
 */
import { isEntityId } from '../schema';

/** Who sent a presence value, as the room stamped it. */
export interface PresenceSender {
  readonly role: 'gm' | 'player';
}

/** A plugin's declaration of its ephemeral presence value `T`. */
export interface PluginPresence<T = unknown> {
  /**
   * The validated (possibly normalised) value, or undefined to refuse it:
   * check the shape and bound the size. The room and every client read with
   * it, so a value others render is always one this function accepted.
   */
  read(value: unknown): T | undefined;
  /**
   * Whether players may publish it (only ever for the scene they are
   * shown), from the plugin's party settings values (`PluginSchema.party`:
   * a setting the GM turns on for the party). Absent: GMs only.
   */
  readonly players?: (values: Readonly<Record<string, unknown>>) => boolean;
  /**
   * True when players never receive the value: it only tells the room and
   * other GMs something (a hover marker's id in focus, which the room turns
   * into what players see), not something the TV draws.
   */
  readonly gmOnly?: boolean;
  /**
   * Distinct values one connection may publish per second on average, with
   * a burst. A change beyond it is not relayed (the last accepted value
   * stands) and counts against the connection; one that keeps exceeding it
   * is cut off. Clearing (null) is always free.
   */
  readonly rate: { readonly perSecond: number; readonly burst: number };
}

/**
 * Whether players may publish a plugin's presence, given the plugin's
 * settings values: false when it declares no presence or no `players` test.
 */
export function playersMayPublish(
  presence: PluginPresence | undefined,
  values: Readonly<Record<string, unknown>> | undefined,
): boolean {
  return !!presence?.players && !!values && presence.players(values);
}

/** Declares a plugin's presence; the identity function that gives it types and checks the rate. */
export function definePluginPresence<T>(presence: PluginPresence<T>): PluginPresence<T> {
  const { perSecond, burst } = presence.rate;
  if (!(perSecond > 0) || !(burst >= 1))
    throw new Error('definePluginPresence: rate needs perSecond > 0 and burst >= 1');
  return presence;
}

/** One plugin presence value as it travels: the scene it belongs to and the value. */
export interface PresenceWire {
  readonly s: string;
  readonly v: unknown;
}

/** Wraps a value for the awareness field (null clears it). */
export function presenceWire(sceneId: string, value: unknown): PresenceWire | null {
  return value === null || value === undefined ? null : { s: sceneId, v: value };
}

/**
 * Reads a plugin's awareness field: null (cleared), the scene and validated
 * value, or undefined when malformed.
 */
export function readPresenceWire<T>(
  presence: PluginPresence<T>,
  raw: unknown,
): { readonly s: string; readonly v: T } | null | undefined {
  if (raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const { s, v } = raw as Record<string, unknown>;
  if (!isEntityId(s)) return undefined;
  const value = presence.read(v);
  return value === undefined ? undefined : { s, v: value };
}

/** One user's presence value of a plugin, as its renderer receives it. */
export interface PresenceEntry<T = unknown> {
  /** The awareness client id: stable for one tab while it stays connected. */
  readonly clientId: number;
  /** True for this page's own value. */
  readonly local: boolean;
  readonly user: {
    readonly id: string;
    readonly role: 'gm' | 'player' | undefined;
    readonly name: string;
    readonly color: string;
  };
  readonly value: T;
}
