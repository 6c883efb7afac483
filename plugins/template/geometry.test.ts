import { describe, expect, it } from 'vitest';
import type { GridUnits } from '../grid/distance';
import { coveredCells, insidePolygon, outline, type TemplateShape } from './geometry';

const grid = (over: Partial<GridUnits> = {}): GridUnits => ({
  type: 'square',
  size: 50,
  unitDistance: 5,
  unit: 'ft',
  diagonal: '5e',
  ...over,
});
// Origin at the centre of cell (10, 10).
const t = (over: Partial<TemplateShape>): TemplateShape => ({
  shape: 'circle',
  origin: { x: 525, y: 525 },
  size: 10,
  width: 5,
  direction: 0,
  coneAngle: '53',
  ...over,
});
const keys = (cells: { col: number; row: number }[]) => new Set(cells.map((c) => `${c.col},${c.row}`));

describe('template cell coverage', () => {
  it('a 10-ft sphere under 5e covers a 5×5 square of cells', () => {
    expect(coveredCells(t({}), grid())).toHaveLength(25);
  });

  it('a 10-ft sphere under 5-10-5 drops the four corners (two diagonals cost 15 ft)', () => {
    const cells = keys(coveredCells(t({}), grid({ diagonal: '5-10-5' })));
    expect(cells.size).toBe(21);
    expect(cells.has('8,8')).toBe(false);
    expect(cells.has('9,9')).toBe(true);
  });

  it('a 10-ft sphere under euclidean covers the cells whose centres are within 2 cells', () => {
    // Centres at (dx, dy) with dx² + dy² <= 4: 1 + 4 + 4 + 4 (the axis pairs at 1 and 2) = 13.
    expect(coveredCells(t({}), grid({ diagonal: 'euclidean' }))).toHaveLength(13);
  });

  it('a 10-ft sphere on a hex grid covers 1 + 6 + 12 cells', () => {
    const g = grid({ type: 'hex' });
    expect(coveredCells(t({ origin: { x: 25, y: 28.87 } }), g)).toHaveLength(19);
  });

  it('a 15-ft line 5 ft wide covers three cells in its direction', () => {
    const cells = keys(coveredCells(t({ shape: 'line', size: 15, origin: { x: 500, y: 525 } }), grid()));
    expect([...cells].sort()).toEqual(['10,10', '11,10', '12,10']);
  });

  it('a rotated line follows its direction', () => {
    const cells = keys(
      coveredCells(t({ shape: 'line', size: 15, direction: 90, origin: { x: 525, y: 500 } }), grid()),
    );
    expect([...cells].sort()).toEqual(['10,10', '10,11', '10,12']);
  });

  it('a 10-ft cube centred on a cell corner covers 2×2 cells', () => {
    expect(coveredCells(t({ shape: 'square', origin: { x: 500, y: 500 } }), grid())).toHaveLength(4);
  });

  it('a 90° cone is wider than a 53° cone of the same length, and points where it is aimed', () => {
    const origin = { x: 500, y: 525 };
    const narrow = coveredCells(t({ shape: 'cone', size: 30, origin }), grid());
    const wide = coveredCells(t({ shape: 'cone', size: 30, origin, coneAngle: '90' }), grid());
    expect(wide.length).toBeGreaterThan(narrow.length);
    expect(narrow.every((c) => c.col >= 10)).toBe(true);
    const left = coveredCells(t({ shape: 'cone', size: 30, origin, direction: 180 }), grid());
    expect(left.every((c) => c.col < 10)).toBe(true);
  });

  it('sizes are grid units: the same sphere in metres on 1.5 m cells covers the same cells', () => {
    const ft = coveredCells(t({}), grid());
    const m = coveredCells(t({ size: 3 }), grid({ unitDistance: 1.5, unit: 'm' }));
    expect(keys(m)).toEqual(keys(ft));
  });

  it('outline and point test agree on a cone', () => {
    const poly = outline(t({ shape: 'cone', size: 30 }), grid());
    expect(insidePolygon({ x: 525 + 200, y: 525 }, poly)).toBe(true);
    expect(insidePolygon({ x: 525 - 20, y: 525 }, poly)).toBe(false);
  });
});
