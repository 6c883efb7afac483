import type { Point } from '../../engine/schema';
import type { GridProps } from '../../engine/generated/stageProps';
import { formatDistance, measurePath, type GridUnits } from '../grid/distance';

/** A text to draw at a scene point. */
export interface RulerLabel {
  readonly at: Point;
  readonly text: string;
}

/** What a ruler shows: each leg's length at its middle and the total at its end. */
export interface RulerReadout {
  readonly legs: readonly RulerLabel[];
  readonly total: RulerLabel;
}

/**
 * Measures a ruler's points on the grid: per leg and in total, in grid units
 * under the grid's diagonal rule (carried across waypoints). The grid's
 * offset is taken out first, so cells are the cells drawn. A single-leg ruler
 * shows only its total.
 */
export function rulerReadout(
  pts: readonly Point[],
  grid: GridUnits & Partial<Pick<GridProps, 'offset'>>,
): RulerReadout {
  const o = grid.offset ?? { x: 0, y: 0 };
  const local = pts.map((p) => ({ x: p.x - o.x, y: p.y - o.y }));
  const m = measurePath(local, grid);
  const legs =
    m.legs.length < 2
      ? []
      : m.legs.map((leg, i) => ({
          at: { x: (pts[i]!.x + pts[i + 1]!.x) / 2, y: (pts[i]!.y + pts[i + 1]!.y) / 2 },
          text: formatDistance(leg.distance, grid),
        }));
  return { legs, total: { at: pts[pts.length - 1]!, text: formatDistance(m.total, grid) } };
}
