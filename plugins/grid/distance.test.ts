import { describe, expect, it } from 'vitest';
import {
  cellCentre,
  cellOf,
  formatDistance,
  hexSteps,
  legBetween,
  measurePath,
  type GridUnits,
} from './distance';

const square = (diagonal: GridUnits['diagonal']): GridUnits => ({
  type: 'square',
  size: 64,
  unitDistance: 5,
  unit: 'ft',
  diagonal,
});
const hex: GridUnits = { type: 'hex', size: 64, unitDistance: 5, unit: 'ft', diagonal: '5e' };
const at = (col: number, row: number, g: GridUnits = square('5e')) => cellCentre({ col, row }, g);

describe('grid distance: known cases', () => {
  // [rule, from, to, feet]
  const cases: [GridUnits['diagonal'], [number, number], [number, number], number][] = [
    ['5e', [0, 0], [4, 0], 20],
    ['5e', [0, 0], [3, 3], 15], // every diagonal one cell
    ['5e', [0, 0], [5, 2], 25],
    ['5-10-5', [0, 0], [1, 1], 5],
    ['5-10-5', [0, 0], [2, 2], 15], // 5 + 10
    ['5-10-5', [0, 0], [3, 3], 20], // 5 + 10 + 5
    ['5-10-5', [0, 0], [4, 4], 30],
    ['5-10-5', [0, 0], [5, 2], 30], // 3 straight + 2 diagonals (15)
    ['euclidean', [0, 0], [3, 4], 25],
    ['euclidean', [0, 0], [1, 1], 5 * Math.SQRT2],
  ];
  it.each(cases)('%s from %j to %j is %d ft', (rule, [ac, ar], [bc, br], feet) => {
    const g = square(rule);
    const m = measurePath([at(ac, ar, g), at(bc, br, g)], g);
    expect(m.total).toBeCloseTo(feet, 6);
  });

  it('5-10-5 parity carries across waypoints: two legs of one diagonal cost 5 + 10', () => {
    const g = square('5-10-5');
    const m = measurePath([at(0, 0), at(1, 1), at(2, 2)], g);
    expect(m.legs.map((l) => l.distance)).toEqual([5, 10]);
    expect(m.total).toBe(15);
  });

  it('uses the grid unit and distance per cell', () => {
    const g: GridUnits = { ...square('5e'), unitDistance: 1.5, unit: 'm' };
    const m = measurePath([at(0, 0), at(0, 3)], g);
    expect(formatDistance(m.total, g)).toBe('4.5 m');
  });

  it('points inside the same cell measure zero', () => {
    expect(
      measurePath(
        [
          { x: 3, y: 3 },
          { x: 60, y: 60 },
        ],
        square('euclidean'),
      ).total,
    ).toBe(0);
  });
});

describe('hex distance', () => {
  it.each([
    [{ col: 0, row: 0 }, { col: 3, row: 0 }, 3],
    [{ col: 0, row: 0 }, { col: 0, row: 1 }, 1], // odd row shifted right: down-right neighbour
    [{ col: 1, row: 0 }, { col: 0, row: 1 }, 1], // down-left neighbour
    [{ col: 0, row: 0 }, { col: 0, row: 2 }, 2],
    [{ col: 0, row: 0 }, { col: 2, row: 4 }, 4],
    [{ col: 0, row: 0 }, { col: 4, row: 2 }, 5],
  ])('%j to %j is %d steps', (a, b, n) => {
    expect(hexSteps(a, b)).toBe(n);
    expect(legBetween(a, b, hex).distance).toBe(n * 5);
  });

  it('cellOf inverts cellCentre on hex and square grids', () => {
    for (const g of [hex, square('5e')])
      for (let row = -3; row <= 3; row++)
        for (let col = -3; col <= 3; col++)
          expect(cellOf(cellCentre({ col, row }, g), g)).toEqual({ col, row });
  });
});
