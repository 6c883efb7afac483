import type { LightProps } from '../../engine/generated/stageProps';

/** Style presets, as the shader-independent numbers the light map needs each frame. */
export type LightStyle = LightProps['style'];

/** True when the style changes over time (so the host must keep drawing frames). */
export function isAnimatedStyle(style: LightStyle, speed: number): boolean {
  return style !== 'steady' && speed > 0;
}

/** Cheap smooth pseudo-random noise in [-1, 1]: a sum of incommensurate sines. */
function wobble(t: number, phase: number): number {
  return (
    0.5 * Math.sin(t * 1.7 + phase) +
    0.3 * Math.sin(t * 4.3 + phase * 2.1) +
    0.2 * Math.sin(t * 9.1 + phase * 3.7)
  );
}

/**
 * A light's brightness multiplier and radius multiplier at time `t` seconds.
 * `phase` keeps two torches from flickering in step. Torches flicker fast and
 * wide, candles gently, pulses breathe slowly; steady lights never move.
 * Every result stays within [0.6, 1.15] so a flickering light never goes out.
 */
export function lightAnimation(
  style: LightStyle,
  speed: number,
  phase: number,
  t: number,
): { brightness: number; radius: number } {
  if (!isAnimatedStyle(style, speed)) return { brightness: 1, radius: 1 };
  const s = t * speed;
  switch (style) {
    case 'torch': {
      const w = wobble(s * 2.2, phase);
      return { brightness: 0.88 + 0.12 * w, radius: 1 + 0.04 * w };
    }
    case 'candle': {
      const w = wobble(s * 1.3, phase);
      return { brightness: 0.93 + 0.06 * w, radius: 1 + 0.02 * w };
    }
    case 'pulse': {
      const w = Math.sin(s * 1.5 + phase);
      return { brightness: 0.8 + 0.2 * w, radius: 1 + 0.08 * w };
    }
    default:
      return { brightness: 1, radius: 1 };
  }
}

/** A stable per-light phase in [0, 2π) from its id, so flicker does not depend on member order. */
export function phaseOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return ((h >>> 0) / 4294967296) * Math.PI * 2;
}
