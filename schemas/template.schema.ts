import { definePlugin, p } from '../engine/schema';

/**
 * Area-of-effect templates: a sphere, cone, cube or line placed on the map,
 * sized in grid units (the grid's distance per cell), highlighting the cells
 * it covers. One member per template; GM-only templates never reach players.
 */
export default definePlugin({
  name: 'template',
  attachTo: 'collection',
  collection: 'templates',
  label: 'Template',
  order: 55,
  throttle: 'member',
  gmOnlyWhen: { gmOnly: [true] },
  props: {
    shape: p.enum(['circle', 'cone', 'square', 'line'], 'circle', {
      description:
        'circle: sphere or radius; cone: from its origin; square: cube centred on its origin; line: beam',
    }),
    origin: p.point({ x: 0, y: 0 }, { min: -100000, max: 100000, step: 1, unit: 'px' }),
    size: p.number(20, {
      min: 0.5,
      max: 10000,
      step: 0.5,
      label: 'Size',
      description: 'Radius, cone or line length, or square side, in grid units',
    }),
    width: p.number(5, { min: 0.5, max: 1000, step: 0.5, label: 'Line width', description: 'In grid units' }),
    direction: p.number(0, { min: -360, max: 360, step: 1, unit: '°', label: 'Direction' }),
    coneAngle: p.enum(['53', '90'], '53', {
      label: 'Cone angle',
      description: '53° (width = length) or 90°',
    }),
    color: p.color('#ff6b00'),
    opacity: p.number(0.35, { min: 0.05, max: 1, step: 0.05 }),
    gmOnly: p.boolean(false, { label: 'GM only' }),
  },
});
