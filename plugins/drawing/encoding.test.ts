import { describe, expect, it } from 'vitest';
import { decodePoints, encodePoints, smoothPath } from './encoding';

// A seeded wobbly pen line: small steps, like a real drag at 60 Hz.
function penLine(n: number, seed = 7): { x: number; y: number }[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const out = [];
  let x = 1000;
  let y = -300;
  for (let i = 0; i < n; i++) {
    x += 3 + rnd() * 2;
    y += rnd() * 4;
    out.push({ x: Math.round(x), y: Math.round(y) });
  }
  return out;
}

describe('stroke encoding', () => {
  it('round-trips integer points, including negative and far coordinates', () => {
    const pts = [{ x: 0, y: 0 }, { x: -5, y: 7 }, { x: 99999, y: -99999 }, { x: 3, y: 3 }, ...penLine(50)];
    expect(decodePoints(encodePoints(pts))).toEqual(pts);
  });

  it('rounds fractional points to whole scene units', () => {
    expect(decodePoints(encodePoints([{ x: 1.4, y: 2.6 }]))).toEqual([{ x: 1, y: 3 }]);
  });

  it('a 200-point pen stroke is under 3 characters per point, over five times smaller than JSON', () => {
    const pts = penLine(200);
    const s = encodePoints(pts);
    expect(s.length).toBeLessThan(200 * 3);
    expect(s.length * 5).toBeLessThan(JSON.stringify(pts).length);
    expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
  });

  it('refuses malformed strings instead of inventing points', () => {
    expect(decodePoints('A')).toBeUndefined();
    expect(decodePoints('!!!!')).toBeUndefined();
    // A dangling varint continuation byte.
    expect(decodePoints(encodePoints([{ x: 1, y: 1 }]) + 'gA')).toBeUndefined();
    expect(decodePoints('')).toEqual([]);
  });

  it('smoothing keeps the ends and drops jitter below the minimum step', () => {
    const pts = [
      { x: 0, y: 0 },
      { x: 0.5, y: 0 },
      { x: 10, y: 0 },
      { x: 20, y: 5 },
      { x: 30, y: 0 },
    ];
    const out = smoothPath(pts);
    expect(out[0]).toEqual({ x: 0, y: 0 });
    expect(out[out.length - 1]).toEqual({ x: 30, y: 0 });
    expect(out).toHaveLength(4);
  });
});
