/**
 * The room half of a plugin: typed hooks the game-session room runs for the
 * plugin's own data, in priority order (Hocuspocus extensions are the
 * model). A plugin's `plugins/<name>/room.ts` default-exports
 * `defineRoomPlugin({ name, … })`; codegen lists those files in
 * `partykit/generated/roomPlugins.ts`.
 *
 * What every hook can rely on:
 *
 * - It sees only its own plugin's data (`name` is the schema plugin's name):
 *   the plugin's scene group, the members of its collection, the blobs of
 *   its channels.
 * - Values are already validated by the registry (types, ranges, channel
 *   limits); a hook adds rules a schema cannot express.
 * - Hooks are synchronous and pure (no I/O): the room runs them inside its
 *   own transaction, before anyone else sees the change.
 * - A hook returns a verdict rather than throwing. One that throws is caught
 *   and logged with the plugin's name; the room keeps serving everyone (a
 *   throwing `projectForPlayer` hides the item: a bug must not leak data).
 */

import type { PluginPresence } from './presence';

/** A validated client change of the plugin's data, as {@link RoomPlugin.onChange} sees it. */
export type RoomChange =
  | {
      /** A property of the plugin's scene group changed. */
      readonly kind: 'group';
      readonly sceneId: string;
      /** The group's current values by property key (absent keys read as defaults). */
      readonly values: Readonly<Record<string, unknown>>;
      /** Property keys this change wrote. */
      readonly changed: readonly string[];
    }
  | {
      /** A member of the plugin's collection was created or changed (removals are not reported). */
      readonly kind: 'member';
      readonly sceneId: string;
      readonly id: string;
      readonly values: Readonly<Record<string, unknown>>;
      readonly changed: readonly string[];
      /** True when this change created the member (refusing it removes the member). */
      readonly created: boolean;
    }
  | {
      /** A blob of one of the plugin's channels was written (deletions are not reported). */
      readonly kind: 'blob';
      readonly sceneId: string;
      /** The channel's name in the schema. */
      readonly channel: string;
      readonly key: string;
      readonly bytes: Uint8Array;
    };

/**
 * What {@link RoomPlugin.onChange} decides. Nothing (or `{ ok: true }`)
 * accepts; `set` repairs property values by key (each checked by the
 * registry again; group and member changes only); `{ ok: false, reason }`
 * refuses: changed values go back to their previous valid value (or the
 * default), a created member is removed, a blob is reverted or removed. The
 * room logs the reason with the plugin's name.
 */
export type ChangeVerdict =
  | undefined
  | { readonly ok: true; readonly set?: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string };

/** Something about to be sent to players, as {@link RoomPlugin.projectForPlayer} sees it. */
export type PlayerItem =
  | { readonly kind: 'group'; readonly sceneId: string; readonly values: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'member';
      readonly sceneId: string;
      readonly id: string;
      readonly values: Readonly<Record<string, unknown>>;
      /**
       * True while a GM's presence of the plugin points at this member
       * ({@link RoomPlugin.reveal}: a hover marker the GM hovers). The HTTP
       * load, which sees no presence, never reveals.
       */
      readonly revealed?: boolean;
    }
  | {
      readonly kind: 'blob';
      readonly sceneId: string;
      readonly channel: string;
      readonly key: string;
      readonly bytes: Uint8Array;
    };

/**
 * What players receive of an item: nothing or `'show'` sends it (minus
 * `audience: 'gm'` values, as always); `'hide'` leaves the member or blob
 * out entirely (a group's values read as defaults); `hideValues` leaves
 * those property keys out (players read their defaults). When several
 * plugins answer, the most hiding answer wins.
 */
export type PlayerVerdict = undefined | 'show' | 'hide' | { readonly hideValues: readonly string[] };

/** The plugin's share of one scene save, as {@link RoomPlugin.beforeSave} sees it. Only parts being saved are present. */
export interface SavePart {
  readonly sceneId: string;
  /** Scene plugins: the plugin's columns (DB field → value). */
  readonly columns?: Readonly<Record<string, unknown>>;
  /** Collections: the complete member rows about to replace the stored ones. */
  readonly members?: readonly Readonly<Record<string, unknown>>[];
  /** The plugin's channels: changed blobs by key (`null`: deleted). */
  readonly blobs?: Readonly<Record<string, Uint8Array | null>>;
}

/**
 * What {@link RoomPlugin.beforeSave} decides. Nothing (or `{ ok: true }`)
 * writes the part as it is; `{ ok: true, columns | members | blobs }`
 * replaces that piece of the part (keys outside the plugin's own columns or
 * channels are ignored; the app server validates what is written);
 * `{ ok: false, reason }` vetoes the part: it is left out of this save —
 * the rest of the scene is still written — and the room logs why.
 */
export type SaveVerdict =
  | undefined
  | {
      readonly ok: true;
      readonly columns?: Readonly<Record<string, unknown>>;
      readonly members?: readonly Readonly<Record<string, unknown>>[];
      readonly blobs?: Readonly<Record<string, Uint8Array | null>>;
    }
  | { readonly ok: false; readonly reason: string };

/** A plugin's room hooks; see the module comment. Every hook is optional. */
export interface RoomPlugin {
  /** The schema plugin this plugin's hooks belong to (`definePlugin({ name })`). */
  readonly name: string;
  /**
   * Order among the plugins with a hook for the same thing: higher runs
   * first (default 100). After a refusal, later plugins' `onChange` does not
   * run for that change; after a repair, they see the repaired values.
   */
  readonly priority?: number;
  /** A client changed the plugin's data: accept, repair or refuse. */
  readonly onChange?: (change: RoomChange) => ChangeVerdict;
  /**
   * Decides what players receive of one item. It must depend on the item's own values only: what
   * depends on other data of the scene (a member under fog) is said through `occlusion` and
   * `footprint`, which tell the room when to ask again.
   */
  readonly projectForPlayer?: (item: PlayerItem) => PlayerVerdict;
  /**
   * Scene plugins that hide areas of a scene from players (fog): a member whose footprint lies
   * entirely in hidden areas is left out of the player projection, and arrives when the area is
   * uncovered. The room re-asks only for members whose footprint meets an area `changed` reports.
   */
  readonly occlusion?: Occlusion;
  /**
   * Collection plugins: the scene area a member covers (undefined: it covers none, nothing hides it).
   * `scene(plugin)` reads a scene plugin's group (as the GM sees it) for sizes given in another
   * plugin's units (a marker sized in grid cells); name those plugins in `footprintReads`.
   */
  readonly footprint?: (
    values: Readonly<Record<string, unknown>>,
    scene: (plugin: string) => Readonly<Record<string, unknown>>,
  ) => Area | undefined;
  /** The scene plugins `footprint` reads: a change of their group re-asks every member's footprint. */
  readonly footprintReads?: readonly string[];
  /** The plugin's part of a scene save is about to be sent to the app server: adjust or veto it. */
  readonly beforeSave?: (part: SavePart) => SaveVerdict;
  /**
   * The plugin's ephemeral presence (engine/plugin/presence.ts), the same
   * declaration its runtime gives: the room relays the plugin's awareness
   * field only when it reads valid, from a GM or — when `players` allows it
   * in the shown scene — a player, within `rate`.
   */
  readonly presence?: PluginPresence;
  /**
   * Collection plugins: members players receive only while a GM points at
   * them through the plugin's `presence` (a hover marker while a GM hovers
   * it). See {@link PresenceReveal}.
   */
  readonly reveal?: PresenceReveal;
  /**
   * Scene plugins: presence fields of GMs (`cursor`…) that players do not
   * receive, from the plugin's group values in the scene players are shown
   * (a setting such as "hide GM cursors on the TV"). The room strips them
   * from what it relays to players, and withdraws GM states that carried
   * them when the answer changes.
   */
  readonly hideGmPresence?: (values: Readonly<Record<string, unknown>>) => readonly string[];
}

/**
 * How a plugin's presence reveals members of its collection to players. The
 * room relays a GM's value only when every member it names is in the scene
 * players are shown and `revealable` there; while a value names a member,
 * `projectForPlayer` sees that member `revealed`, and the room projects it
 * again whenever that changes (the value changes or clears, the GM leaves,
 * the member stops being revealable, another scene is shown).
 */
export interface PresenceReveal {
  /** The member ids a (validated) presence value names. */
  members(value: unknown): readonly string[];
  /** Whether a member, by its own values, may be revealed this way (a `hover` marker). */
  revealable(values: Readonly<Record<string, unknown>>): boolean;
}

/** An axis-aligned scene area in scene units, `x0 <= x1`, `y0 <= y1`. */
export interface Area {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** The plugin's own data in one scene, as {@link Occlusion} reads it (validated; absent keys read as defaults). */
export interface OcclusionScene {
  readonly sceneId: string;
  /** The plugin's scene group values by property key. */
  readonly values: Readonly<Record<string, unknown>>;
  /** One blob of the plugin's channels, or undefined when absent. */
  blob(key: string): Uint8Array | undefined;
}

/** What changed in the plugin's data, as {@link Occlusion.changed} sees it. */
export type OcclusionChange =
  | { readonly kind: 'group'; readonly sceneId: string }
  | { readonly kind: 'blob'; readonly sceneId: string; readonly key: string };

/**
 * A plugin's say in what players may see of a scene's area; see
 * {@link RoomPlugin.occlusion}. Both functions are pure and synchronous, like every hook.
 */
export interface Occlusion {
  /** True when `area` is entirely hidden from players (any visible part: false). */
  hides(scene: OcclusionScene, area: Area): boolean;
  /** The areas whose hiding may differ after `change`; `'all'` for the whole scene. */
  changed(scene: OcclusionScene, change: OcclusionChange): readonly Area[] | 'all';
}

/** The priority of a plugin that names none. */
export const DEFAULT_ROOM_PRIORITY = 100;

/**
 * Declares a plugin's room hooks: checks the declaration at load time and
 * gives the hooks their types.
 */
export function defineRoomPlugin<const P extends RoomPlugin>(plugin: P): P {
  if (typeof plugin.name !== 'string' || !/^[a-z][a-zA-Z0-9]*$/.test(plugin.name))
    throw new Error(`defineRoomPlugin: name ${JSON.stringify(plugin.name)} must be a camelCase plugin name`);
  if (plugin.priority !== undefined && !Number.isFinite(plugin.priority))
    throw new Error(`defineRoomPlugin(${plugin.name}): priority must be a finite number`);
  return plugin;
}
