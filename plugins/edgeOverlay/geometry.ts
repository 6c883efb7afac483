import {
  frameCorners,
  screenToScene,
  type SceneRect,
  type ViewFrame,
  type ViewportTransform,
} from '../../engine/render';
import type { Point } from '../../engine/schema';

/** A rectangle in scene units as a centre and two half-axis vectors (it may be turned). */
export interface EdgeTarget {
  readonly centre: Point;
  readonly u: Point;
  readonly v: Point;
}

/** The display frame (in the world) in scene units: through the inverse of the content transform. */
export function frameTarget(frame: ViewFrame, content: ViewportTransform): EdgeTarget {
  const [a, b, , d] = frameCorners(frame).map((p) => screenToScene(content, p)) as [
    Point,
    Point,
    Point,
    Point,
  ];
  return {
    centre: { x: (b.x + d.x) / 2, y: (b.y + d.y) / 2 },
    u: { x: (b.x - a.x) / 2, y: (b.y - a.y) / 2 },
    v: { x: (d.x - a.x) / 2, y: (d.y - a.y) / 2 },
  };
}

/** A scene rectangle (the content's bounds) as a target. */
export function rectTarget(r: SceneRect): EdgeTarget {
  return {
    centre: { x: r.x + r.width / 2, y: r.y + r.height / 2 },
    u: { x: r.width / 2, y: 0 },
    v: { x: 0, y: r.height / 2 },
  };
}

/**
 * How much of the band covers a point given in the target's own coordinates
 * (−1…1 across each axis): 0 beyond `width` (scene units) from every edge,
 * rising quadratically to 1 on an edge, combined across the two axes so the
 * corners are the darkest; 0 outside the target. The overlay's shader
 * computes the same.
 */
export function bandCoverage(local: Point, halfLengths: { u: number; v: number }, width: number): number {
  if (Math.abs(local.x) > 1 || Math.abs(local.y) > 1) return 0;
  const ramp = (l: number, half: number): number => {
    const t = 1 - Math.min(1, Math.max(0, ((1 - Math.abs(l)) * half) / width));
    return t * t;
  };
  return 1 - (1 - ramp(local.x, halfLengths.u)) * (1 - ramp(local.y, halfLengths.v));
}
