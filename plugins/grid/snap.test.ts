import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexLattice, snapToGrid, type GridLayout } from './snap';

const square: GridLayout = { type: 'square', size: 50 };
const coord = fc.double({ min: -5000, max: 5000, noNaN: true });

describe('snapping to a square grid', () => {
  it('puts a 1×1 marker on the centre of the cell under the point', () => {
    expect(snapToGrid({ x: 10, y: 99 }, square)).toEqual({ x: 25, y: 75 });
    expect(snapToGrid({ x: -1, y: 0 }, square)).toEqual({ x: -25, y: 25 });
  });

  it('follows the grid offset', () => {
    expect(snapToGrid({ x: 10, y: 10 }, { ...square, offset: { x: 20, y: -5 } })).toEqual({ x: -5, y: 20 });
  });

  it('puts a 2×2 marker on the nearest cell corner, so it covers four whole cells', () => {
    expect(snapToGrid({ x: 60, y: 140 }, square, 2)).toEqual({ x: 50, y: 150 });
    expect(snapToGrid({ x: 60, y: 140 }, square, 3)).toEqual({ x: 75, y: 125 });
  });

  it('always lands on a cell centre within half a cell of the point', () => {
    fc.assert(
      fc.property(coord, coord, fc.double({ min: 8, max: 512, noNaN: true }), (x, y, size) => {
        const s = snapToGrid({ x, y }, { type: 'square', size });
        expect(Math.abs(s.x - x)).toBeLessThanOrEqual(size / 2 + 1e-6);
        expect(Math.abs(s.y - y)).toBeLessThanOrEqual(size / 2 + 1e-6);
        expect(((s.x / size - 0.5) % 1) + 1).toBeCloseTo(Math.round(((s.x / size - 0.5) % 1) + 1), 6);
        // Snapping a snapped point leaves it where it is.
        expect(snapToGrid(s, { type: 'square', size })).toEqual(s);
      }),
    );
  });
});

describe('snapping to a hex grid', () => {
  const hex: GridLayout = { type: 'hex', size: 60 };
  const { radius, rowHeight } = hexLattice(60);

  it('puts a point near a pointy hex centre on that centre, rows alternating by half a cell', () => {
    expect(snapToGrid({ x: 28, y: 30 }, hex).x).toBeCloseTo(30);
    expect(snapToGrid({ x: 28, y: 30 }, hex).y).toBeCloseTo(radius);
    const second = snapToGrid({ x: 62, y: radius + rowHeight + 3 }, hex);
    expect(second.x).toBeCloseTo(60);
    expect(second.y).toBeCloseTo(radius + rowHeight);
  });

  it('swaps the axes for flat-top hexes', () => {
    const flat = snapToGrid({ x: 30, y: 28 }, { ...hex, hexOrientation: 'flat' });
    expect(flat.x).toBeCloseTo(radius);
    expect(flat.y).toBeCloseTo(30);
  });

  it('picks the nearest centre: no hex centre is closer to the point than the snapped one', () => {
    fc.assert(
      fc.property(coord, coord, (x, y) => {
        const s = snapToGrid({ x, y }, hex);
        const d = Math.hypot(s.x - x, s.y - y);
        // Every point of a hex lies within its circumradius of the centre.
        expect(d).toBeLessThanOrEqual(radius + 1e-6);
        for (const [dx, dy] of [
          [60, 0],
          [-60, 0],
          [30, rowHeight],
          [-30, rowHeight],
          [30, -rowHeight],
          [-30, -rowHeight],
        ] as const)
          expect(Math.hypot(s.x + dx - x, s.y + dy - y)).toBeGreaterThanOrEqual(d - 1e-6);
      }),
    );
  });

  it('keeps even-sized markers on hex centres too', () => {
    const s = snapToGrid({ x: 28, y: 30 }, hex, 2);
    expect(s.x).toBeCloseTo(30);
    expect(s.y).toBeCloseTo(radius);
  });
});
