import type { WeatherFxProps } from '../../engine/generated/stageProps';

/** Every weather but `none`. */
export type WeatherKind = Exclude<WeatherFxProps['preset'], 'none'>;

/**
 * How one weather looks, in screen terms (CSS px and seconds) so it reads the
 * same at any zoom: particles on screen at full intensity, size range, speed,
 * lifetime, colours (multiplied by the tint), alpha, blending, spin, spread
 * of directions (radians) and whether particles rise against the direction.
 */
export interface WeatherPreset {
  readonly count: number;
  readonly size: readonly [number, number];
  readonly speed: number;
  readonly lifetime: number;
  readonly colors: readonly [readonly [number, number, number], readonly [number, number, number]];
  readonly alpha: number;
  readonly additive: boolean;
  /** Drawn as streaks along their velocity (rain). */
  readonly streaks: boolean;
  readonly spin: number;
  readonly spread: number;
  readonly rises: boolean;
}

export const WEATHER_PRESETS: Readonly<Record<WeatherKind, WeatherPreset>> = {
  rain: {
    count: 1500,
    size: [1.5, 2.5],
    speed: 900,
    lifetime: 0.8,
    colors: [
      [0.7, 0.75, 0.85],
      [0.8, 0.85, 0.95],
    ],
    alpha: 0.55,
    additive: false,
    streaks: true,
    spin: 0,
    spread: 0.03,
    rises: false,
  },
  snow: {
    count: 800,
    size: [3, 6],
    speed: 60,
    lifetime: 6,
    colors: [
      [1, 1, 1],
      [0.9, 0.93, 1],
    ],
    alpha: 0.9,
    additive: false,
    streaks: false,
    spin: 0,
    spread: 0.5,
    rises: false,
  },
  mist: {
    count: 40,
    size: [250, 450],
    speed: 15,
    lifetime: 12,
    colors: [
      [0.85, 0.87, 0.9],
      [0.75, 0.78, 0.82],
    ],
    alpha: 0.16,
    additive: false,
    streaks: false,
    spin: 0.05,
    spread: 0.6,
    rises: false,
  },
  ash: {
    count: 500,
    size: [2, 4],
    speed: 40,
    lifetime: 7,
    colors: [
      [0.45, 0.45, 0.45],
      [0.3, 0.3, 0.3],
    ],
    alpha: 0.75,
    additive: false,
    streaks: false,
    spin: 0,
    spread: 0.8,
    rises: false,
  },
  embers: {
    count: 250,
    size: [2, 4],
    speed: 50,
    lifetime: 4,
    colors: [
      [1, 0.55, 0.1],
      [1, 0.3, 0.05],
    ],
    alpha: 1,
    additive: true,
    streaks: false,
    spin: 0,
    spread: 0.7,
    rises: true,
  },
  leaves: {
    count: 60,
    size: [8, 14],
    speed: 70,
    lifetime: 8,
    colors: [
      [0.65, 0.4, 0.15],
      [0.45, 0.55, 0.15],
    ],
    alpha: 0.95,
    additive: false,
    streaks: false,
    spin: 2,
    spread: 0.6,
    rises: false,
  },
};

/** Most particles the CPU fallback simulates, whatever the preset and intensity. */
export const CPU_PARTICLE_CAP = 1500;

/**
 * Particles to run for a preset: its count scaled by intensity, halved on the
 * medium tier, none on the low tier, capped on the CPU fallback.
 */
export function particleCount(
  preset: WeatherPreset,
  intensity: number,
  tier: 'low' | 'medium' | 'high',
  gpu: boolean,
): number {
  if (tier === 'low' || intensity <= 0) return 0;
  const n = Math.ceil(preset.count * intensity * (tier === 'medium' ? 0.5 : 1));
  return gpu ? n : Math.min(n, CPU_PARTICLE_CAP);
}

/** The travel direction on screen (scene axes, y down) for a direction in degrees (90 = down). */
export function travel(preset: WeatherPreset, degrees: number): { x: number; y: number } {
  const a = ((preset.rises ? degrees + 180 : degrees) * Math.PI) / 180;
  return { x: Math.cos(a), y: Math.sin(a) };
}
