import { definePlugin, p } from '../engine/schema';

/**
 * Light sources (torches, candles, magic). Radii are in grid cells, so a
 * torch stays a torch when the GM changes the grid size. Together they make
 * one light map that lifts the scene's darkness (the `lighting` plugin).
 */
export default definePlugin({
  name: 'light',
  attachTo: 'collection',
  collection: 'lights',
  label: 'Light',
  order: 55,
  throttle: 'member',
  // Hidden lights are GM-only members: players never receive them.
  gmOnlyWhen: { hidden: [true] },
  props: {
    position: p.point({ x: 0, y: 0 }, { min: -100000, max: 100000, step: 1, unit: 'px' }),
    brightRadius: p.number(4, { min: 0, max: 100, step: 0.5, unit: 'cells', label: 'Bright radius' }),
    dimRadius: p.number(8, { min: 0, max: 200, step: 0.5, unit: 'cells', label: 'Dim radius' }),
    color: p.color('#ffcc88'),
    intensity: p.number(1, { min: 0, max: 2, step: 0.05 }),
    style: p.enum(['steady', 'torch', 'candle', 'pulse'], 'torch'),
    animationSpeed: p.number(1, { min: 0, max: 4, step: 0.1, label: 'Animation speed' }),
    hidden: p.boolean(false, { description: 'Hidden lights are seen and edited by the GM only' }),
  },
});
