import type { StoredScene } from '../engine/db';
import { buildSceneProps } from '../engine/generated/buildSceneProps';
import type { StageProps } from '../engine/generated/stageProps';
import type { RoomPlugin } from '../engine/plugin';
import type { Registry } from '../engine/schema';

type Values = Record<string, unknown>;

/**
 * Removes from a player's props the members the room plugins' `occlusion`
 * hides (entirely under fog), as the room's projection does
 * (partykit/session/occlusion.ts). Here a whole stored scene is judged at
 * once, so there is nothing to do incrementally. A throwing hook hides.
 */
export function hideOccluded(
  registry: Registry,
  plugins: readonly RoomPlugin[],
  stored: StoredScene,
  props: StageProps,
  log: (message: string) => void,
): void {
  const occluders = plugins.flatMap((p) => {
    const info = registry.scenePlugins.find((s) => s.name === p.name);
    return p.occlusion && info ? [{ info, occlusion: p.occlusion }] : [];
  });
  if (!occluders.length) return;
  const gm = buildSceneProps(stored.row, stored.collections, 'gm') as unknown as Record<string, unknown>;
  const view = props as unknown as Record<string, unknown>;
  const sceneId = stored.row.id;
  const blob = (key: string) => stored.blobs[key];
  // A footprint reads scene plugins by name (a marker's cells need the grid's cell size).
  const sceneGroup = (name: string): Values => {
    const info = registry.scenePlugins.find((s) => s.name === name);
    return (info && (gm[info.key] as Values)) || {};
  };
  for (const collection of registry.collections) {
    const footprint = plugins.find((p) => p.name === collection.name)?.footprint;
    if (!footprint) continue;
    const members = view[collection.key] as Record<string, Values>;
    const full = gm[collection.key] as Record<string, Values>;
    for (const id of Object.keys(members)) {
      try {
        const area = footprint(full[id]!, sceneGroup);
        if (!area) continue;
        if (
          occluders.some(({ info, occlusion }) =>
            occlusion.hides({ sceneId, values: gm[info.key] as Values, blob }, area),
          )
        )
          delete members[id];
      } catch (e) {
        log(
          `room plugin for "${collection.name}": occlusion threw; the member is hidden from players: ${String(e)}`,
        );
        delete members[id];
      }
    }
  }
}
