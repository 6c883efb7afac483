/**
 * The colour maths of post-processing, per channel in 0–1 (display) space.
 * The grading shader (`shaders.ts`) computes exactly this, in this order;
 * these functions are its reference, tested in Node and used by the pixel
 * tests to predict what a graded pixel must become.
 */

export type Rgb = readonly [number, number, number];
export type ToneMapping = 'off' | 'reinhard' | 'aces';

/** Rec. 709 luma weights: the brightness a saturation or bloom threshold is measured by. */
export const LUMA: Rgb = [0.2126, 0.7152, 0.0722];

export const luma = (c: Rgb): number => c[0] * LUMA[0] + c[1] * LUMA[1] + c[2] * LUMA[2];

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Exposure in stops: +1 doubles the light, −1 halves it. */
export const exposureScale = (ev: number): number => 2 ** ev;

/** Reinhard (x / (1 + x)) or the ACES filmic fit (Narkowicz 2015); both keep 0 at 0 and approach 1 slowly. */
export function toneMap(kind: ToneMapping, x: number): number {
  if (kind === 'reinhard') return x / (1 + x);
  if (kind === 'aces') return clamp01((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14));
  return x;
}

/** Contrast about mid grey (0.5 stays put; 0 flattens everything to it). */
export const applyContrast = (x: number, contrast: number): number => (x - 0.5) * contrast + 0.5;

/** Saturation: 0 is the colour's luma (grey), 1 unchanged, above 1 more vivid. */
export function applySaturation(c: Rgb, saturation: number): Rgb {
  const l = luma(c);
  return [l + (c[0] - l) * saturation, l + (c[1] - l) * saturation, l + (c[2] - l) * saturation];
}

/** The settings of {@link gradeColor}; identity is `{exposure: 0, contrast: 1, saturation: 1, tint: [1,1,1]}`. */
export interface Grade {
  readonly exposure: number;
  readonly contrast: number;
  readonly saturation: number;
  readonly tint: Rgb;
  readonly toneMapping: ToneMapping;
}

export const NEUTRAL_GRADE: Grade = {
  exposure: 0,
  contrast: 1,
  saturation: 1,
  tint: [1, 1, 1],
  toneMapping: 'off',
};

/** Exposure, tone mapping, contrast, saturation, tint, clamped to 0–1: the shader's order. */
export function gradeColor(c: Rgb, g: Grade): Rgb {
  const k = exposureScale(g.exposure);
  const toned = c.map((v) => toneMap(g.toneMapping, v * k)) as unknown as Rgb;
  const contrasted = toned.map((v) => applyContrast(v, g.contrast)) as unknown as Rgb;
  const saturated = applySaturation(contrasted, g.saturation);
  return saturated.map((v, i) => clamp01(v * g.tint[i]!)) as unknown as Rgb;
}

/** What of a colour glows: nothing at or below the threshold's luma, all of it at full brightness. */
export function bloomSource(c: Rgb, threshold: number): Rgb {
  const w = clamp01((luma(c) - threshold) / Math.max(1e-4, 1 - threshold));
  return [c[0] * w, c[1] * w, c[2] * w];
}

/**
 * The lens vignette's factor at a point given in the screen frame's own
 * coordinates (−1…1 across each axis): 1 inside the clear area (`size`, a
 * distance from the centre where 1 is the middle of an edge), falling
 * smoothly to `1 − strength` at 0.8 beyond it (the corners sit at √2).
 */
export function vignetteFactor(local: { x: number; y: number }, strength: number, size: number): number {
  const d = Math.hypot(local.x, local.y);
  const t = clamp01((d - size) / 0.8);
  return 1 - strength * t * t * (3 - 2 * t);
}
