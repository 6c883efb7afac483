import { describe, expect, it } from 'vitest';
import { bandCoverage, frameTarget, rectTarget } from './geometry';

describe('edge overlay geometry', () => {
  it('finds the frame in scene units through the content transform, turned with it', () => {
    const frame = { center: { x: 100, y: 50 }, width: 200, height: 100, rotation: 0 as const };
    const t = frameTarget(frame, { offset: { x: 0, y: 0 }, zoom: 2, rotation: 0 });
    expect(t.centre).toEqual({ x: 50, y: 25 });
    expect(t.u).toEqual({ x: 50, y: 0 });
    expect(t.v).toEqual({ x: 0, y: 25 });
    const turned = frameTarget({ ...frame, rotation: 90 }, { offset: { x: 0, y: 0 }, zoom: 1, rotation: 0 });
    expect(Math.hypot(turned.u.x, turned.u.y)).toBeCloseTo(100);
    expect(Math.abs(turned.u.y)).toBeCloseTo(100);
  });

  it('takes a scene rectangle as centre and half axes', () => {
    expect(rectTarget({ x: 10, y: 20, width: 100, height: 60 })).toEqual({
      centre: { x: 60, y: 50 },
      u: { x: 50, y: 0 },
      v: { x: 0, y: 30 },
    });
  });

  it('covers nothing in the middle or outside, everything on an edge, more at a corner than mid-band', () => {
    const half = { u: 200, v: 150 };
    expect(bandCoverage({ x: 0, y: 0 }, half, 60)).toBe(0);
    expect(bandCoverage({ x: 1.2, y: 0 }, half, 60)).toBe(0);
    expect(bandCoverage({ x: 1, y: 0 }, half, 60)).toBe(1);
    // 30 units from the right edge: halfway through the band, a quarter covered (quadratic).
    expect(bandCoverage({ x: 1 - 30 / 200, y: 0 }, half, 60)).toBeCloseTo(0.25);
    const corner = bandCoverage({ x: 1 - 30 / 200, y: 1 - 30 / 150 }, half, 60);
    expect(corner).toBeCloseTo(1 - 0.75 * 0.75);
  });
});
