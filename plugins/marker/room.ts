import { defineRoomPlugin } from '../../engine/plugin';
import { GRID_PLUGIN, markerWidth } from './cells';
import { markerPresence, type MarkerFocusValue } from './presence';

/** A marker shown to players only while a GM hovers it (or holds it selected). */
const isHoverMarker = (values: Readonly<Record<string, unknown>>) => values.visibility === 'hover';

/**
 * A marker covers the square around its position, `size` cells wide (of the
 * scene's grid): fog hides it only when that is all fogged.
 *
 * A `hover` marker reaches players only while a GM's focus (the marker's
 * presence: hovered or selected in the editor) names it: the room checks the
 * named ids are hover markers of the scene on show, projects the marker into
 * the player view while it is named and takes it out after. The HTTP load
 * never has it. Its GM-only values (the note) are left out as always.
 */
export default defineRoomPlugin({
  name: 'marker',
  footprintReads: [GRID_PLUGIN],
  footprint(values, scene) {
    const position = values.position as { x: number; y: number } | undefined;
    if (!position) return undefined;
    const r = markerWidth(values.size, scene(GRID_PLUGIN).size) / 2;
    return { x0: position.x - r, y0: position.y - r, x1: position.x + r, y1: position.y + r };
  },
  presence: markerPresence,
  reveal: {
    members: (value) => (value as MarkerFocusValue).ids,
    revealable: isHoverMarker,
  },
  projectForPlayer: (item) =>
    item.kind === 'member' && isHoverMarker(item.values) && !item.revealed ? 'hide' : undefined,
});
