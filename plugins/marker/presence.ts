import { definePluginPresence } from '../../engine/plugin';
import { isEntityId } from '../../engine/schema';

/** Most markers one GM reveals at once: the one hovered and the one selected (a little room to spare). */
export const MAX_REVEALED = 4;

/**
 * The hover markers a GM has in focus (hovered or selected), as it travels.
 * The room shows them on the TV while they are named here (see room.ts).
 */
export interface MarkerFocusValue {
  readonly ids: readonly string[];
}

/** Reads a focus value: 1 to {@link MAX_REVEALED} distinct member ids, or undefined. */
export function readMarkerFocus(value: unknown): MarkerFocusValue | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { ids } = value as Record<string, unknown>;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_REVEALED) return undefined;
  if (!ids.every(isEntityId) || new Set(ids).size !== ids.length) return undefined;
  return { ids: [...(ids as string[])] };
}

/**
 * The marker's presence: GMs only (players cannot reveal anything); a few
 * changes a second — hovering across a crowd of hover markers is slower
 * than that, and the editor publishes only when the focus changes.
 */
export const markerPresence = definePluginPresence<MarkerFocusValue>({
  read: readMarkerFocus,
  // Players see the revealed marker in their document; the ids in focus (one may be under fog) are not theirs.
  gmOnly: true,
  rate: { perSecond: 8, burst: 8 },
});
