import type { Point } from '../../engine/schema';
import {
  FOG_CELL,
  FOG_FILL_KEY,
  FOG_PREFIX,
  FOG_TILE,
  tileKey,
  type FogChanges,
  type FogMask,
  type FogValue,
} from './mask';

/** Reveal removes fog, cover adds it back. */
export type FogMode = 'reveal' | 'cover';

/** A brush stroke: the pointer's path in scene units and the brush radius. */
export interface BrushStroke {
  points: readonly Point[];
  radius: number;
}

/** A rectangle in scene units (the drag of the rectangle and ellipse tools). */
export interface FogRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const valueOf = (mode: FogMode): FogValue => (mode === 'reveal' ? 0 : 1);

/**
 * Sets every cell whose centre passes `inside` within the scene-space box to
 * the mode's value, and returns the blobs of the tiles that really changed.
 */
function paint(
  mask: FogMask,
  box: FogRect,
  inside: (x: number, y: number) => boolean,
  mode: FogMode,
): FogChanges {
  const value = valueOf(mode);
  const changes: FogChanges = new Map();
  if (!(box.width >= 0 && box.height >= 0) || ![box.x, box.y, box.width, box.height].every(Number.isFinite))
    return changes;
  const cx0 = Math.floor(box.x / FOG_CELL);
  const cy0 = Math.floor(box.y / FOG_CELL);
  const cx1 = Math.floor((box.x + box.width) / FOG_CELL);
  const cy1 = Math.floor((box.y + box.height) / FOG_CELL);
  const touched = new Set<string>();
  for (let ty = Math.floor(cy0 / FOG_TILE); ty <= Math.floor(cy1 / FOG_TILE); ty++)
    for (let tx = Math.floor(cx0 / FOG_TILE); tx <= Math.floor(cx1 / FOG_TILE); tx++) {
      const existing = mask.tiles.get(`${tx}_${ty}`);
      let tile = existing;
      let changed = false;
      const yStart = Math.max(cy0, ty * FOG_TILE);
      const yEnd = Math.min(cy1, ty * FOG_TILE + FOG_TILE - 1);
      const xStart = Math.max(cx0, tx * FOG_TILE);
      const xEnd = Math.min(cx1, tx * FOG_TILE + FOG_TILE - 1);
      for (let cy = yStart; cy <= yEnd; cy++)
        for (let cx = xStart; cx <= xEnd; cx++) {
          if (!inside((cx + 0.5) * FOG_CELL, (cy + 0.5) * FOG_CELL)) continue;
          const i = (cy - ty * FOG_TILE) * FOG_TILE + (cx - tx * FOG_TILE);
          const current = tile ? tile[i]! : mask.fill;
          if (current === value) continue;
          tile ??= mask.tile(tx, ty);
          tile[i] = value;
          changed = true;
        }
      if (changed) touched.add(`${tx}_${ty}`);
    }
  for (const id of touched) {
    const [tx, ty] = id.split('_').map(Number) as [number, number];
    changes.set(tileKey(tx, ty), mask.settle(tx, ty));
  }
  return changes;
}

/** Distance² from p to segment ab. */
function segmentDistance2(px: number, py: number, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2));
  const ex = px - (a.x + t * dx);
  const ey = py - (a.y + t * dy);
  return ex * ex + ey * ey;
}

/**
 * The smallest brush radius: half a cell's diagonal, so every point of a
 * stroke lies within it of its own cell's centre. A finer brush (the GM zoomed
 * far in) would pass between cell centres and paint nothing it crossed.
 */
const MIN_BRUSH_RADIUS = FOG_CELL * Math.SQRT1_2;

/**
 * Paints a round brush along the stroke's path (every segment as a capsule,
 * so fast strokes leave no gaps), never finer than the mask's cells. Mutates
 * `mask`; returns the changed tiles.
 */
export function brush(mask: FogMask, stroke: BrushStroke, mode: FogMode): FogChanges {
  const changes: FogChanges = new Map();
  if (!(stroke.radius > 0) || stroke.points.length === 0) return changes;
  const r = Math.max(stroke.radius, MIN_BRUSH_RADIUS);
  const pts = stroke.points;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[Math.max(0, i - 1)]!;
    const b = pts[i]!;
    const box = {
      x: Math.min(a.x, b.x) - r,
      y: Math.min(a.y, b.y) - r,
      width: Math.abs(a.x - b.x) + 2 * r,
      height: Math.abs(a.y - b.y) + 2 * r,
    };
    for (const [k, v] of paint(mask, box, (x, y) => segmentDistance2(x, y, a, b) <= r * r, mode))
      changes.set(k, v);
  }
  return changes;
}

/** Normalises a dragged rectangle (negative width/height allowed). */
function normalise(rect: FogRect): FogRect {
  return {
    x: Math.min(rect.x, rect.x + rect.width),
    y: Math.min(rect.y, rect.y + rect.height),
    width: Math.abs(rect.width),
    height: Math.abs(rect.height),
  };
}

/** Reveals or covers the cells whose centres lie in the rectangle. Mutates `mask`; returns the changed tiles. */
export function rectangle(mask: FogMask, rect: FogRect, mode: FogMode): FogChanges {
  const r = normalise(rect);
  return paint(mask, r, (x, y) => x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height, mode);
}

/** Reveals or covers the ellipse inscribed in the rectangle. Mutates `mask`; returns the changed tiles. */
export function ellipse(mask: FogMask, rect: FogRect, mode: FogMode): FogChanges {
  const r = normalise(rect);
  const cx = r.x + r.width / 2;
  const cy = r.y + r.height / 2;
  const rx = r.width / 2;
  const ry = r.height / 2;
  if (rx <= 0 || ry <= 0) return new Map();
  return paint(mask, r, (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1, mode);
}

/**
 * Reveal-all / cover-all: drops every tile and sets the fill. The change
 * deletes every stored tile and sets or deletes the fill key — a few bytes
 * whatever the scene size.
 */
export function fillAll(mask: FogMask, mode: FogMode): FogChanges {
  const changes: FogChanges = new Map();
  for (const id of mask.tiles.keys()) changes.set(FOG_PREFIX + id, null);
  mask.tiles.clear();
  mask.fill = valueOf(mode);
  changes.set(FOG_FILL_KEY, mask.fill === 0 ? Uint8Array.of(0) : null);
  return changes;
}

/** True when (x, y) is inside the polygon (even–odd rule: a self-crossing outline leaves its knots out). */
export function insidePolygon(x: number, y: number, pts: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const a = pts[i]!;
    const b = pts[j]!;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * Reveals or covers the cells whose centres lie inside the polygon (corners
 * in scene units, closed from the last corner back to the first). Fewer than
 * three corners change nothing. Mutates `mask`; returns the changed tiles.
 */
export function polygon(mask: FogMask, corners: readonly Point[], mode: FogMode): FogChanges {
  if (corners.length < 3 || !corners.every((c) => Number.isFinite(c.x) && Number.isFinite(c.y)))
    return new Map();
  const xs = corners.map((c) => c.x);
  const ys = corners.map((c) => c.y);
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  const box = { x: x0, y: y0, width: Math.max(...xs) - x0, height: Math.max(...ys) - y0 };
  return paint(mask, box, (x, y) => insidePolygon(x, y, corners), mode);
}
