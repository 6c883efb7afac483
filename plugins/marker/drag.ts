import type { Point } from '../../engine/schema';

/** Optional snapping of a dragged marker's position (e.g. `snapToGrid` with the scene's grid). */
export type SnapFn = (p: Point) => Point;

/**
 * A marker drag in progress: created on pointer-down with the pointer's scene
 * point and the marker's position, asked for the marker's new position on
 * every move. The grab offset is kept, so the marker does not jump to the
 * pointer; snapping applies to the marker's position, not the pointer.
 */
export interface MarkerDrag {
  readonly id: string;
  readonly start: Point;
  /** The marker's position for the pointer at `pointer` (scene units). */
  moveTo(pointer: Point, snap?: SnapFn): Point;
}

export function beginMarkerDrag(id: string, markerPosition: Point, pointer: Point): MarkerDrag {
  const grab = { x: markerPosition.x - pointer.x, y: markerPosition.y - pointer.y };
  return {
    id,
    start: { ...markerPosition },
    moveTo(p, snap) {
      const raw = { x: Math.round(p.x + grab.x), y: Math.round(p.y + grab.y) };
      return snap ? snap(raw) : raw;
    },
  };
}
