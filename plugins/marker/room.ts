import { defineRoomPlugin } from '../../engine/plugin';
import { GRID_PLUGIN, markerWidth } from './cells';

/**
 * A marker covers the square around its position, `size` cells wide (of the
 * scene's grid): fog hides it only when that is all fogged.
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
});
