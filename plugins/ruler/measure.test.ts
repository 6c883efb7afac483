import { describe, expect, it } from 'vitest';
import { defaultGridProps } from '../../engine/generated/stageProps';
import { rulerReadout } from './measure';
import { MAX_RULER_POINTS, readRuler, rulerPoints, rulerWire } from './presence';

const grid = { ...defaultGridProps, size: 64, unitDistance: 5, unit: 'ft' };
/** The centre of cell (col, row) on a 64-px grid. */
const c = (col: number, row: number) => ({ x: col * 64 + 32, y: row * 64 + 32 });

describe('ruler maths', () => {
  it('one leg shows only its total, in grid units', () => {
    const r = rulerReadout([c(0, 0), c(6, 0)], grid);
    expect(r.legs).toEqual([]);
    expect(r.total).toEqual({ at: c(6, 0), text: '30 ft' });
  });

  it('waypoints: each leg at its middle, the total at the end', () => {
    const r = rulerReadout([c(0, 0), c(4, 0), c(4, 2)], grid);
    expect(r.legs.map((l) => l.text)).toEqual(['20 ft', '10 ft']);
    expect(r.legs[0]!.at).toEqual({ x: (c(0, 0).x + c(4, 0).x) / 2, y: c(0, 0).y });
    expect(r.total.text).toBe('30 ft');
  });

  it('5-10-5 carries the diagonal count across waypoints: one diagonal per leg is 5 + 10', () => {
    const r = rulerReadout([c(0, 0), c(1, 1), c(2, 2)], { ...grid, diagonal: '5-10-5' });
    expect(r.legs.map((l) => l.text)).toEqual(['5 ft', '10 ft']);
    expect(r.total.text).toBe('15 ft');
  });

  it('5e counts every diagonal as one cell; euclidean measures the true length', () => {
    expect(rulerReadout([c(0, 0), c(3, 3)], { ...grid, diagonal: '5e' }).total.text).toBe('15 ft');
    expect(rulerReadout([c(0, 0), c(3, 4)], { ...grid, diagonal: 'euclidean' }).total.text).toBe('25 ft');
  });

  it('measures the cells as drawn: the grid offset is taken out first', () => {
    const offset = { x: 40, y: 0 };
    const from = { x: c(0, 0).x + 40, y: 32 };
    const to = { x: c(2, 0).x + 40, y: 32 };
    expect(rulerReadout([from, to], { ...grid, offset }).total.text).toBe('10 ft');
  });

  it('other units and hex grids', () => {
    expect(rulerReadout([c(0, 0), c(3, 0)], { ...grid, unitDistance: 1.5, unit: 'm' }).total.text).toBe(
      '4.5 m',
    );
    const hex = { ...grid, type: 'hex' as const };
    expect(
      rulerReadout(
        [
          { x: 32, y: 37 },
          { x: 32 + 3 * 64, y: 37 },
        ],
        hex,
      ).total.text,
    ).toBe('15 ft');
  });
});

describe('ruler presence value', () => {
  it('round-trips through its wire form, rounded to a tenth', () => {
    const wire = rulerWire(
      [
        { x: 1.234, y: 2 },
        { x: 3, y: 4.56 },
      ],
      true,
    );
    expect(readRuler(wire)).toEqual({
      pts: [
        [1.2, 2],
        [3, 4.6],
      ],
      pin: true,
    });
    expect(rulerPoints(readRuler(wire)!)).toEqual([
      { x: 1.2, y: 2 },
      { x: 3, y: 4.6 },
    ]);
    // What the room relays reads the same again on every client.
    expect(readRuler(readRuler(wire))).toEqual(readRuler(wire));
  });

  it('refuses bad shapes and sizes', () => {
    const pts = (n: number) => Array.from({ length: n }, (_, i) => [i, i]);
    expect(readRuler({ pts: pts(1) })).toBeUndefined();
    expect(readRuler({ pts: pts(MAX_RULER_POINTS + 1) })).toBeUndefined();
    expect(
      readRuler({
        pts: [
          [0, 0],
          [1, Infinity],
        ],
      }),
    ).toBeUndefined();
    expect(
      readRuler({
        pts: [
          [0, 0],
          [1e9, 0],
        ],
      }),
    ).toBeUndefined();
    expect(
      readRuler({
        pts: [
          [0, 0],
          ['1', 0],
        ],
      }),
    ).toBeUndefined();
    expect(readRuler('<svg>')).toBeUndefined();
    // Undeclared fields are not relayed.
    expect(readRuler({ pts: pts(2), html: '<img>' })).toEqual({ pts: pts(2) });
  });
});
