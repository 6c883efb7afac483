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
  migrations: [
    // Size was pixels; it is now grid cells (1 × 1 a medium creature, 2 × 2 a large one). A stored size
    // becomes cells of the default 64 px grid (the step cannot see the scene's grid), to the nearest
    // quarter cell within the new bounds.
    {
      version: 1,
      up: (v) =>
        typeof v.size === 'number'
          ? { ...v, size: Math.min(16, Math.max(0.25, Math.round((v.size / 64) * 4) / 4)) }
          : v,
    },
  ],
  props: {
    position: p.point({ x: 0, y: 0 }, { min: -100000, max: 100000, step: 1, unit: 'px' }),
    label: p.string('', { maxLength: 120 }),
    shape: p.enum(['circle', 'square', 'triangle', 'pin'], 'circle'),
    // In grid cells: the marker covers size × size cells and is drawn with the scene's cell size.
    size: p.number(1, { min: 0.25, max: 16, step: 0.25, unit: 'cells', label: 'Size (cells)' }),
    color: p.color('#e03131'),
    image: p.asset('', { accept: ['image/png', 'image/jpeg', 'image/webp'] }),
    visibility: p.enum(['always', 'gm-only', 'player-only', 'hover'], 'always'),
    gmNote: p.string('', { audience: 'gm', maxLength: 2000, label: 'GM note', throttle: 'control' }),
  },
});
