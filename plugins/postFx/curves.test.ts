import { describe, expect, it } from 'vitest';
import {
  NEUTRAL_GRADE,
  applyContrast,
  applySaturation,
  bloomSource,
  gradeColor,
  luma,
  toneMap,
  vignetteFactor,
  type Rgb,
} from './curves';

const near = (a: readonly number[], b: readonly number[], eps = 1e-9) =>
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, -Math.log10(eps)));

describe('post-processing curves', () => {
  it('leave a colour unchanged with the neutral grade', () => {
    for (const c of [
      [0, 0, 0],
      [1, 1, 1],
      [0.2, 0.5, 0.9],
    ] as Rgb[])
      near(gradeColor(c, NEUTRAL_GRADE), c);
  });

  it('double the light per stop of exposure and clamp at white', () => {
    near(gradeColor([0.2, 0.3, 0.4], { ...NEUTRAL_GRADE, exposure: 1 }), [0.4, 0.6, 0.8]);
    near(gradeColor([0.2, 0.3, 0.6], { ...NEUTRAL_GRADE, exposure: 1 }), [0.4, 0.6, 1]);
    near(gradeColor([0.4, 0.4, 0.4], { ...NEUTRAL_GRADE, exposure: -1 }), [0.2, 0.2, 0.2]);
  });

  it('keep mid grey under contrast and spread the rest away from it', () => {
    expect(applyContrast(0.5, 2)).toBe(0.5);
    expect(applyContrast(0.75, 2)).toBe(1);
    expect(applyContrast(0.25, 0)).toBe(0.5);
  });

  it('turn a colour into its luma at saturation 0 and keep greys at any saturation', () => {
    const c: Rgb = [0.8, 0.2, 0.1];
    near(applySaturation(c, 0), [luma(c), luma(c), luma(c)]);
    near(applySaturation([0.3, 0.3, 0.3], 2.5), [0.3, 0.3, 0.3]);
    expect(applySaturation(c, 2)[0]).toBeGreaterThan(c[0]);
  });

  it('tone-map monotonically from 0, staying below 1', () => {
    for (const kind of ['reinhard', 'aces'] as const) {
      expect(toneMap(kind, 0)).toBe(0);
      let last = 0;
      for (let x = 0.1; x < 20; x += 0.1) {
        const y = toneMap(kind, x);
        expect(y).toBeGreaterThan(last - 1e-12);
        expect(y).toBeLessThanOrEqual(1);
        last = y;
      }
    }
    expect(toneMap('reinhard', 1)).toBe(0.5);
    expect(toneMap('off', 3)).toBe(3);
  });

  it('let only what is brighter than the threshold glow', () => {
    near(bloomSource([0.5, 0.5, 0.5], 0.7), [0, 0, 0]);
    near(bloomSource([1, 1, 1], 0.7), [1, 1, 1]);
    expect(bloomSource([0.85, 0.85, 0.85], 0.7)[0]).toBeCloseTo(0.85 * 0.5);
  });

  it('leave the vignette clear inside its size and darken the corners by the strength', () => {
    expect(vignetteFactor({ x: 0, y: 0 }, 0.5, 0.7)).toBe(1);
    expect(vignetteFactor({ x: 0.7, y: 0 }, 0.5, 0.7)).toBe(1);
    expect(vignetteFactor({ x: 1, y: 1 }, 0.5, 0.5)).toBeCloseTo(0.5);
    expect(vignetteFactor({ x: 1, y: 0 }, 0.5, 0.7)).toBeGreaterThan(0.5);
    expect(vignetteFactor({ x: 1, y: 0 }, 0.5, 0.7)).toBeLessThan(1);
  });
});
