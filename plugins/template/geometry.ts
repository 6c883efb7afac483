import type { Point } from '../../engine/schema';
import { cellCentre, cellOf, legBetween, type Cell, type GridUnits } from '../grid/distance';

/** The template properties geometry needs (a member of the templates collection). */
export interface TemplateShape {
  shape: 'circle' | 'cone' | 'square' | 'line';
  origin: Point;
  /** Radius, length or side in grid units. */
  size: number;
  /** Line width in grid units. */
  width: number;
  /** Degrees clockwise from +x (scene y points down). */
  direction: number;
  coneAngle: '53' | '90';
}

/** Grid units → scene units: one cell is `grid.size` scene units and `grid.unitDistance` grid units. */
export const toScene = (units: number, grid: GridUnits): number => (units / grid.unitDistance) * grid.size;

/**
 * The template's outline in scene units, as a closed polygon (circles and
 * cone arcs as 48-segment approximations): what the renderer fills and what
 * decides which cells a cone, square or line covers.
 */
export function outline(t: TemplateShape, grid: GridUnits): Point[] {
  const len = toScene(t.size, grid);
  const a = (t.direction * Math.PI) / 180;
  const { x, y } = t.origin;
  const at = (angle: number, r: number): Point => ({
    x: x + Math.cos(angle) * r,
    y: y + Math.sin(angle) * r,
  });
  switch (t.shape) {
    case 'circle':
      return Array.from({ length: 48 }, (_, i) => at((i / 48) * 2 * Math.PI, len));
    case 'cone': {
      const half = ((t.coneAngle === '90' ? 90 : 53.13) / 2) * (Math.PI / 180);
      const arc = Array.from({ length: 17 }, (_, i) => at(a - half + (i / 16) * 2 * half, len));
      return [{ x, y }, ...arc];
    }
    case 'square': {
      const h = len / 2;
      const corners = [
        [-h, -h],
        [h, -h],
        [h, h],
        [-h, h],
      ] as const;
      return corners.map(([cx, cy]) => ({
        x: x + cx * Math.cos(a) - cy * Math.sin(a),
        y: y + cx * Math.sin(a) + cy * Math.cos(a),
      }));
    }
    case 'line': {
      const w = toScene(t.width, grid) / 2;
      const n = { x: -Math.sin(a) * w, y: Math.cos(a) * w };
      const end = at(a, len);
      return [
        { x: x + n.x, y: y + n.y },
        { x: end.x + n.x, y: end.y + n.y },
        { x: end.x - n.x, y: end.y - n.y },
        { x: x - n.x, y: y - n.y },
      ];
    }
  }
}

/** Even-odd point-in-polygon test. */
export function insidePolygon(p: Point, poly: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * The cells a template covers. A circle covers the cells whose distance from
 * the origin's cell, measured by the grid's rule (5e, 5-10-5, hex steps), is
 * within its radius — so a 5e sphere is a square of cells, as the rules say;
 * with the euclidean rule, and for every other shape, a cell is covered when
 * its centre lies inside the outline.
 */
export function coveredCells(t: TemplateShape, grid: GridUnits): Cell[] {
  const poly = outline(t, grid);
  const xs = poly.map((p) => p.x);
  const ys = poly.map((p) => p.y);
  const lo = cellOf({ x: Math.min(...xs), y: Math.min(...ys) }, grid);
  const hi = cellOf({ x: Math.max(...xs), y: Math.max(...ys) }, grid);
  const byRule = t.shape === 'circle' && (grid.type === 'hex' || grid.diagonal !== 'euclidean');
  const origin = cellOf(t.origin, grid);
  const radius = t.size + 1e-9;
  // Exact circle (the outline is a polygon that would lose cells lying exactly on the radius).
  const r2 = (toScene(t.size, grid) + 1e-6) ** 2;
  const out: Cell[] = [];
  for (let row = lo.row - 1; row <= hi.row + 1; row++)
    for (let col = lo.col - 1; col <= hi.col + 1; col++) {
      const cell = { col, row };
      const c = cellCentre(cell, grid);
      const covered = byRule
        ? legBetween(origin, cell, grid).distance <= radius
        : t.shape === 'circle'
          ? (c.x - t.origin.x) ** 2 + (c.y - t.origin.y) ** 2 <= r2
          : insidePolygon(c, poly);
      if (covered) out.push(cell);
    }
  return out;
}
