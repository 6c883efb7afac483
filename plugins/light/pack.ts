import type { GmOnlyValue } from '../../engine/schema';
import lightSchema from '../../schemas/light.schema';
import type { RenderView } from '../../engine/render';
import { hexToRgb } from '../../engine/render';
import type { LightProps } from '../../engine/generated/stageProps';
import { isAnimatedStyle, lightAnimation, phaseOf } from './styles';

/** Most lights one light map draws; the rest are ignored (a scene with more is not a tabletop scene). */
export const MAX_LIGHTS = 256;
/** Texels per light in the data texture's column: geometry, colour, handle. */
export const ROWS = 3;

/**
 * True when the light is a GM-only member: its schema's `gmOnlyWhen` matches
 * (the same declaration the room's player projection filters on).
 */
export function isHiddenLight(light: LightProps): boolean {
  const values = light as unknown as Record<string, unknown>;
  const when: Readonly<Record<string, readonly GmOnlyValue[] | undefined>> = lightSchema.gmOnlyWhen ?? {};
  return Object.entries(when).some(([key, gmValues]) => gmValues?.includes(values[key] as GmOnlyValue));
}

/** The lights a view draws: players never draw a hidden light, even one that reached them by mistake. */
export function visibleLights(
  lights: Readonly<Record<string, LightProps>>,
  view: RenderView,
): [string, LightProps][] {
  const all = Object.entries(lights);
  const shown = view === 'player' ? all.filter(([, l]) => !isHiddenLight(l)) : all;
  return shown.slice(0, MAX_LIGHTS);
}

/** True when some drawn light animates, i.e. the host must keep producing frames. */
export function anyAnimated(lights: readonly [string, LightProps][]): boolean {
  return lights.some(([, l]) => l.intensity > 0 && isAnimatedStyle(l.style, l.animationSpeed));
}

/**
 * Writes the lights into the RGBA float texels of a MAX_LIGHTS × ROWS texture
 * (light i in column i): row 0 = centre x, y and bright, dim radius in scene
 * units (radii in grid cells × `cellSize`, animated); row 1 = colour ×
 * intensity × flicker; row 2 = handle (1 shown, 0.5 hidden for the GM).
 */
export function packLights(
  out: Float32Array,
  lights: readonly [string, LightProps][],
  cellSize: number,
  seconds: number,
): void {
  out.fill(0);
  const row = MAX_LIGHTS * 4;
  lights.forEach(([id, l], i) => {
    const a = lightAnimation(l.style, l.animationSpeed, phaseOf(id), seconds);
    const bright = l.brightRadius * cellSize * a.radius;
    const dim = Math.max(l.dimRadius, l.brightRadius) * cellSize * a.radius;
    const [r, g, b] = hexToRgb(l.color);
    const k = l.intensity * a.brightness;
    out.set([l.position.x, l.position.y, bright, dim], i * 4);
    out.set([r * k, g * k, b * k, 1], row + i * 4);
    out.set([isHiddenLight(l) ? 0.5 : 1, 0, 0, 1], 2 * row + i * 4);
  });
}
