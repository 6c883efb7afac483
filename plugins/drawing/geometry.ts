import type { Point } from '../../engine/schema';
import type { DrawingProps } from '../../engine/generated/stageProps';
import { decodePoints } from './encoding';

/** The polyline a stroke draws, in scene units: pen paths as stored, shapes from their two corners. */
export function strokePath(s: Pick<DrawingProps, 'kind' | 'points'>): { points: Point[]; closed: boolean } {
  const pts = decodePoints(s.points) ?? [];
  const a = pts[0];
  const b = pts[pts.length - 1];
  if (!a || !b || s.kind === 'pen' || s.kind === 'text') return { points: pts, closed: false };
  if (s.kind === 'line') return { points: [a, b], closed: false };
  if (s.kind === 'rect')
    return {
      points: [a, { x: b.x, y: a.y }, b, { x: a.x, y: b.y }],
      closed: true,
    };
  const c = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const r = { x: Math.abs(b.x - a.x) / 2, y: Math.abs(b.y - a.y) / 2 };
  const ellipse = Array.from({ length: 48 }, (_, i) => {
    const t = (i / 48) * 2 * Math.PI;
    return { x: c.x + Math.cos(t) * r.x, y: c.y + Math.sin(t) * r.y };
  });
  return { points: ellipse, closed: true };
}

/** Distance from `p` to segment `a`–`b`. */
function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** True when `p` lies within `slop` scene units of the stroke's drawn line (what the eraser hits). */
export function hitsStroke(
  s: Pick<DrawingProps, 'kind' | 'points' | 'width'>,
  p: Point,
  slop: number,
): boolean {
  const { points, closed } = strokePath(s);
  const reach = s.width / 2 + slop;
  if (points.length === 1) return Math.hypot(p.x - points[0]!.x, p.y - points[0]!.y) <= reach;
  const n = closed ? points.length : points.length - 1;
  for (let i = 0; i < n; i++)
    if (segmentDistance(p, points[i]!, points[(i + 1) % points.length]!) <= reach) return true;
  return false;
}
