/**
 * Folds the room plugins' `projectForPlayer` verdicts on one item into one
 * decision. Shared by the room's projection and the app server's player
 * endpoints, so a player gets the same view over WebSocket and HTTP.
 */
import { DEFAULT_ROOM_PRIORITY, type PlayerItem, type RoomPlugin } from './room';

/** What players receive of one item. */
export interface PlayerDecision {
  /** Leave the member or blob out (a group: every value reads as its default). */
  readonly hide: boolean;
  /** Property keys to leave out (players read their defaults). */
  readonly hideValues: ReadonlySet<string>;
}

export const SHOW: PlayerDecision = { hide: false, hideValues: new Set() };

/** The plugins in the order their hooks run: higher priority first, then list order. */
export function byPriority(plugins: readonly RoomPlugin[]): RoomPlugin[] {
  return plugins
    .map((plugin, i) => ({ plugin, i }))
    .sort(
      (a, b) =>
        (b.plugin.priority ?? DEFAULT_ROOM_PRIORITY) - (a.plugin.priority ?? DEFAULT_ROOM_PRIORITY) ||
        a.i - b.i,
    )
    .map((x) => x.plugin);
}

/**
 * The decision of every `projectForPlayer` of `pluginName` (in `ordered`)
 * on `item`; the most hiding verdict wins. A throwing hook is reported
 * through `onError` and hides the item: a bug must not leak data.
 */
export function playerDecision(
  ordered: readonly RoomPlugin[],
  pluginName: string,
  item: PlayerItem,
  onError: (plugin: RoomPlugin, error: unknown) => void,
): PlayerDecision {
  let hideValues: Set<string> | undefined;
  for (const room of ordered) {
    if (room.name !== pluginName || !room.projectForPlayer) continue;
    let verdict;
    try {
      verdict = room.projectForPlayer(item);
    } catch (e) {
      onError(room, e);
      return { hide: true, hideValues: hideValues ?? new Set() };
    }
    if (verdict === 'hide') return { hide: true, hideValues: hideValues ?? new Set() };
    if (typeof verdict === 'object')
      for (const key of verdict.hideValues) (hideValues ??= new Set()).add(key);
  }
  return hideValues ? { hide: false, hideValues } : SHOW;
}
