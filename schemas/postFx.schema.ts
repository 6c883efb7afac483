import { definePlugin, p } from '../engine/schema';

/**
 * Post-processing of the whole picture: bloom, colour grading (exposure,
 * contrast, saturation, tint), tone mapping and a lens vignette, each on or
 * off. The low performance tier turns all of it off.
 */
export default definePlugin({
  name: 'postFx',
  attachTo: 'scene',
  label: 'Post-processing',
  order: 48,
  throttle: 'control',
  props: {
    bloom: p.boolean(false, { group: 'Bloom', description: 'Bright areas glow into their surroundings' }),
    bloomThreshold: p.number(0.7, {
      min: 0,
      max: 1,
      step: 0.05,
      group: 'Bloom',
      label: 'Threshold',
      description: 'Brightness (0–1) above which a pixel glows',
    }),
    bloomIntensity: p.number(0.8, { min: 0, max: 3, step: 0.05, group: 'Bloom', label: 'Intensity' }),
    bloomRadius: p.number(24, {
      min: 2,
      max: 96,
      step: 1,
      unit: 'px',
      group: 'Bloom',
      label: 'Radius',
      description: 'Reach of the glow in screen pixels',
    }),
    grading: p.boolean(false, { group: 'Colour grading', label: 'Colour grading' }),
    exposure: p.number(0, {
      min: -3,
      max: 3,
      step: 0.1,
      unit: 'EV',
      group: 'Colour grading',
      description: 'Brightness in stops: +1 doubles it',
    }),
    contrast: p.number(1, { min: 0, max: 3, step: 0.05, group: 'Colour grading' }),
    saturation: p.number(1, {
      min: 0,
      max: 3,
      step: 0.05,
      group: 'Colour grading',
      description: '0 is grey, 1 unchanged',
    }),
    tint: p.color('#ffffff', {
      group: 'Colour grading',
      description: 'Multiplies every colour; white is neutral',
    }),
    toneMapping: p.enum(['off', 'reinhard', 'aces'], 'off', {
      group: 'Tone mapping',
      label: 'Tone mapping',
      description: 'Compresses highlights softly instead of clipping them',
    }),
    vignette: p.boolean(false, {
      group: 'Vignette',
      description: "Darkens the corners of the players' screen",
    }),
    vignetteStrength: p.number(0.5, { min: 0, max: 1, step: 0.05, group: 'Vignette', label: 'Strength' }),
    vignetteSize: p.number(0.7, {
      min: 0,
      max: 1.5,
      step: 0.05,
      group: 'Vignette',
      label: 'Clear area',
      description: 'How far from the centre (1 = the middle of an edge) the picture stays untouched',
    }),
  },
});
