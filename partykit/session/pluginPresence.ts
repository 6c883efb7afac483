/**
 * The presence fields room plugins declare (`RoomPlugin.presence`), as
 * fields of the room's presence schema: each under its plugin's name, read
 * with the plugin's own reader. GMs may publish them; players only when the
 * plugin's `players` test passes on its group values in the scene players
 * are shown (a setting the GM turns on), and only for that scene.
 */
import type { RoomPlugin } from '../../engine/plugin';
import { readPresenceWire } from '../../engine/plugin';
import type { PresenceField } from '../../engine/sync/presence';

/** What a field needs from the room: the shown scene and a plugin's group values in a scene. */
export interface PresenceRoomView {
  shownSceneId(): string | null;
  groupValues(pluginName: string, sceneId: string): Readonly<Record<string, unknown>> | undefined;
}

export function pluginPresenceFields(
  plugins: readonly RoomPlugin[],
  room: PresenceRoomView,
): PresenceField[] {
  return plugins.flatMap((plugin): PresenceField[] => {
    const presence = plugin.presence;
    if (!presence) return [];
    return [
      {
        key: plugin.name,
        rate: presence.rate,
        read(raw, sender) {
          const wire = readPresenceWire(presence, raw);
          if (!wire || sender?.role === 'gm') return wire;
          if (!sender) return undefined;
          if (!presence.players || wire.s !== room.shownSceneId()) return undefined;
          const values = room.groupValues(plugin.name, wire.s);
          return values && presence.players(values) ? wire : undefined;
        },
      },
    ];
  });
}
