import type { Role } from '../engine/auth';
import { servableBlobs } from '../engine/contract';
import type { StoredScene } from '../engine/db';
import { buildSceneProps } from '../engine/generated/buildSceneProps';
import type { StageProps } from '../engine/generated/stageProps';
import { byPriority, playerDecision, type PlayerItem, type RoomPlugin } from '../engine/plugin';
import type { PluginInfo, Registry } from '../engine/schema';
import { defaultOf } from '../engine/sync/values';
import { hideOccluded } from './occludedView';

/** What building a scene for a viewer needs from the app. */
export interface SceneViewDeps {
  readonly registry: Registry;
  /** The room plugins: their `projectForPlayer` shapes the player view here as in the rooms. */
  readonly roomPlugins: readonly RoomPlugin[];
  readonly log: (message: string) => void;
}

/**
 * A stored scene as a client with `role` may see it: props built for that
 * view, and the blobs of declared channels (base64) that view may receive —
 * players get no `audience: 'gm'` channel, and nothing a room plugin's
 * `projectForPlayer` hides (the same view the room's projection sends).
 */
export function sceneForRole(
  deps: SceneViewDeps,
  stored: StoredScene,
  role: Role,
): { props: StageProps; blobs: Record<string, string> } {
  const props = buildSceneProps(stored.row, stored.collections, role);
  const blobs = servableBlobs(deps.registry, stored.blobs, role);
  if (role === 'player') {
    applyPlayerHooks(deps, stored, props, blobs);
    hideOccluded(deps.registry, deps.roomPlugins, stored, props, deps.log);
  }
  return { props, blobs: encodeBlobs(blobs) };
}

type Values = Record<string, unknown>;

/** Applies the room plugins' verdicts to a player's props and blobs, in place. */
function applyPlayerHooks(
  deps: SceneViewDeps,
  stored: StoredScene,
  props: StageProps,
  blobs: Record<string, Uint8Array>,
): void {
  const ordered = byPriority(deps.roomPlugins.filter((p) => p.projectForPlayer));
  if (!ordered.length) return;
  const sceneId = stored.row.id;
  // Plugins judge the full values, as in the room; players still get only what buildSceneProps gave them.
  const gm = buildSceneProps(stored.row, stored.collections, 'gm') as unknown as Record<string, unknown>;
  const view = props as unknown as Record<string, unknown>;
  const decide = (plugin: string, item: PlayerItem) =>
    playerDecision(ordered, plugin, item, (room, e) =>
      deps.log(
        `room plugin "${room.name}": projectForPlayer threw; the item is hidden from players: ${String(e)}`,
      ),
    );
  const blank = (plugin: PluginInfo, values: Values, keys: Iterable<string>) => {
    for (const key of keys) {
      const prop = plugin.props.find((p) => p.key === key);
      if (prop) values[key] = defaultOf(prop);
    }
  };
  for (const plugin of deps.registry.scenePlugins) {
    const values = view[plugin.key] as Values;
    const d = decide(plugin.name, { kind: 'group', sceneId, values: gm[plugin.key] as Values });
    blank(plugin, values, d.hide ? plugin.props.map((p) => p.key) : d.hideValues);
  }
  for (const plugin of deps.registry.collections) {
    const members = view[plugin.key] as Record<string, Values>;
    const full = gm[plugin.key] as Record<string, Values>;
    for (const id of Object.keys(members)) {
      const d = decide(plugin.name, { kind: 'member', sceneId, id, values: full[id]! });
      if (d.hide) delete members[id];
      else blank(plugin, members[id]!, d.hideValues);
    }
  }
  for (const [key, bytes] of Object.entries(blobs)) {
    const channel = deps.registry.channelOf(key)!;
    const d = decide(channel.plugin, { kind: 'blob', sceneId, channel: channel.name, key, bytes });
    if (d.hide) delete blobs[key];
  }
}

export function encodeBlobs(blobs: Readonly<Record<string, Uint8Array>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(blobs).map(([k, v]) => [
      k,
      Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
    ]),
  );
}
