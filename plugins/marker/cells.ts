/** The plugin whose cell size gives a marker's size its scene units. */
export const GRID_PLUGIN = 'grid';

/** The grid's default cell size (`grid.schema.ts`), used when the scene's is unreadable. */
const DEFAULT_CELL = 64;

/** A marker's width in scene units: its size in cells times the grid's cell size. */
export function markerWidth(cells: unknown, cellSize: unknown): number {
  const n = typeof cells === 'number' && Number.isFinite(cells) ? cells : 0;
  const s = typeof cellSize === 'number' && cellSize > 0 ? cellSize : DEFAULT_CELL;
  return n * s;
}
