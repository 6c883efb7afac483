import type { Point } from '../../engine/schema';
import type { GridProps } from '../../engine/generated/stageProps';
import { hexLattice } from './snap';

/** The grid properties distance needs: geometry and units. */
export type GridUnits = Pick<GridProps, 'type' | 'size' | 'unitDistance' | 'unit' | 'diagonal'>;

/** A cell index: column and row (hex: offset coordinates, odd rows shifted right by half a cell). */
export interface Cell {
  col: number;
  row: number;
}

/** The cell containing scene point `p` (square cells start at the origin; hex as `snapToGrid`). */
export function cellOf(p: Point, grid: Pick<GridProps, 'type' | 'size'>): Cell {
  const s = grid.size;
  if (grid.type === 'square') return { col: Math.floor(p.x / s), row: Math.floor(p.y / s) };
  const { width, rowHeight, radius } = hexLattice(s);
  let best = { d: Infinity, col: 0, row: 0 };
  const row = Math.floor((p.y - radius) / rowHeight);
  for (let r = row - 1; r <= row + 2; r++) {
    const cy = radius + r * rowHeight;
    const shift = (((r % 2) + 2) % 2) * (width / 2);
    const col = Math.round((p.x - width / 2 - shift) / width);
    for (let c = col - 1; c <= col + 1; c++) {
      const d = (p.x - (width / 2 + shift + c * width)) ** 2 + (p.y - cy) ** 2;
      if (d < best.d) best = { d, col: c, row: r };
    }
  }
  return { col: best.col, row: best.row };
}

/** The centre of a cell in scene units (the inverse of {@link cellOf}). */
export function cellCentre(c: Cell, grid: Pick<GridProps, 'type' | 'size'>): Point {
  const s = grid.size;
  if (grid.type === 'square') return { x: (c.col + 0.5) * s, y: (c.row + 0.5) * s };
  const { width, rowHeight, radius } = hexLattice(s);
  const shift = (((c.row % 2) + 2) % 2) * (width / 2);
  return { x: width / 2 + shift + c.col * width, y: radius + c.row * rowHeight };
}

/** Steps between two hex cells (offset → cube coordinates; odd rows shifted right). */
export function hexSteps(a: Cell, b: Cell): number {
  const cube = (c: Cell): [number, number, number] => {
    const x = c.col - (c.row - (c.row & 1)) / 2;
    return [x, c.row, -x - c.row];
  };
  const [ax, ay, az] = cube(a);
  const [bx, by, bz] = cube(b);
  return Math.max(Math.abs(ax - bx), Math.abs(ay - by), Math.abs(az - bz));
}

/** One measured leg: its length in cells and grid units, and the diagonal count carried to the next leg. */
export interface Leg {
  cells: number;
  distance: number;
  /** Diagonal steps taken so far along the whole path (5-10-5 alternates across legs). */
  diagonalsSoFar: number;
}

/**
 * Length of a move from cell `a` to cell `b` under the grid's rule.
 * `diagonalsBefore` carries the 5-10-5 parity from earlier legs of a path:
 * the first diagonal costs 1, the second 2, the third 1…
 */
export function legBetween(a: Cell, b: Cell, grid: GridUnits, diagonalsBefore = 0): Leg {
  if (grid.type === 'hex') {
    const cells = hexSteps(a, b);
    return { cells, distance: cells * grid.unitDistance, diagonalsSoFar: diagonalsBefore };
  }
  const dx = Math.abs(a.col - b.col);
  const dy = Math.abs(a.row - b.row);
  const diag = Math.min(dx, dy);
  const straight = Math.max(dx, dy) - diag;
  let cells: number;
  if (grid.diagonal === 'euclidean') cells = Math.hypot(dx, dy);
  else if (grid.diagonal === '5e') cells = straight + diag;
  // Every second diagonal overall costs double: count how many of this leg's fall on an even index.
  else cells = straight + diag + (Math.floor((diagonalsBefore + diag) / 2) - Math.floor(diagonalsBefore / 2));
  return { cells, distance: cells * grid.unitDistance, diagonalsSoFar: diagonalsBefore + diag };
}

/** A measured path through waypoints: per leg and in total (grid units). */
export interface Measurement {
  legs: readonly Leg[];
  total: number;
}

/** Measures a path of scene points (cell to cell), carrying the diagonal rule across waypoints. */
export function measurePath(points: readonly Point[], grid: GridUnits): Measurement {
  const legs: Leg[] = [];
  let diagonals = 0;
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const leg = legBetween(cellOf(points[i - 1]!, grid), cellOf(points[i]!, grid), grid, diagonals);
    diagonals = leg.diagonalsSoFar;
    total += leg.distance;
    legs.push(leg);
  }
  return { legs, total };
}

/** "15 ft", "7.5 m": a distance with at most one decimal and the grid's unit. */
export function formatDistance(d: number, grid: Pick<GridUnits, 'unit'>): string {
  const rounded = Math.round(d * 10) / 10;
  return `${rounded} ${grid.unit}`.trim();
}
