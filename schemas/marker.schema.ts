import { definePlugin, p } from '../engine/schema';

/** Tokens on the map: characters, monsters, points of interest. One row per marker. */
export default definePlugin({
  name: 'marker',
  attachTo: 'collection',
  collection: 'markers',
  label: 'Marker',
  order: 50,
  throttle: 'member',
  gmOnlyWhen: { visibility: ['gm-only'] },
  props: {
    position: p.point({ x: 0, y: 0 }, { min: -100000, max: 100000, step: 1, unit: 'px' }),
    label: p.string('', { maxLength: 120 }),
    shape: p.enum(['circle', 'square', 'triangle', 'pin'], 'circle'),
    size: p.number(48, { min: 4, max: 1024, step: 1, unit: 'px' }),
    color: p.color('#e03131'),
    image: p.asset('', { accept: ['image/png', 'image/jpeg', 'image/webp'] }),
    visibility: p.enum(['always', 'gm-only', 'player-only', 'hover'], 'always'),
    gmNote: p.string('', { audience: 'gm', maxLength: 2000, label: 'GM note', throttle: 'control' }),
  },
});
