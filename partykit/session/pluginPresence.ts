/**
 * The presence fields room plugins declare (`RoomPlugin.presence`), as
 * fields of the room's presence schema: each under its plugin's name, read
 * with the plugin's own reader. GMs may publish them; players only when the
 * plugin's `players` test passes on its party settings (a setting the GM
 * turns on for the party), and only for the scene players are shown. A
 * plugin that reveals members through presence (`reveal`, reveals.ts) is
 * relayed only while its value names revealable members of the shown scene.
 */
import type { RoomPlugin } from '../../engine/plugin';
import { playersMayPublish, readPresenceWire } from '../../engine/plugin';
import type { PresenceField } from '../../engine/sync/presence';
import { revealAccepts, type RevealRoomView } from './reveals';

/** What a field needs from the room: the shown scene, a plugin's party settings and members in a scene. */
export interface PresenceRoomView extends RevealRoomView {
  /** The plugin's party setting values by key (defaults where unset). */
  partyValues(pluginName: string): Readonly<Record<string, unknown>>;
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
          if (wire && !revealAccepts(plugin, room, wire.s, wire.v)) return undefined;
          if (!wire || sender?.role === 'gm') return wire;
          if (!sender) return undefined;
          if (wire.s !== room.shownSceneId()) return undefined;
          return playersMayPublish(presence, room.partyValues(plugin.name)) ? wire : undefined;
        },
      },
    ];
  });
}
