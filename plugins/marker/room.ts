import { defineRoomPlugin } from '../../engine/plugin';

/** A marker covers the square around its position, `size` wide: fog hides it only when that is all fogged. */
export default defineRoomPlugin({
  name: 'marker',
  footprint(values) {
    const position = values.position as { x: number; y: number } | undefined;
    const size = typeof values.size === 'number' ? values.size : 0;
    if (!position) return undefined;
    const r = size / 2;
    return { x0: position.x - r, y0: position.y - r, x1: position.x + r, y1: position.y + r };
  },
});
