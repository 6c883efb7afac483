import { definePlugin, p } from '../engine/schema';

/** The square or hex grid drawn over the map. */
export default definePlugin({
  name: 'grid',
  attachTo: 'scene',
  label: 'Grid',
  order: 30,
  throttle: 'control',
  props: {
    visible: p.boolean(true),
    type: p.enum(['square', 'hex'], 'square', { label: 'Grid type' }),
    size: p.number(64, { min: 8, max: 512, step: 0.01, unit: 'px', label: 'Cell size' }),
    // Shifts the lines (in map pixels) to sit on a map's printed grid.
    offset: p.point({ x: 0, y: 0 }, { min: -512, max: 512, step: 0.5, unit: 'px', label: 'Grid offset' }),
    hexOrientation: p.enum(['pointy', 'flat'], 'pointy', { label: 'Hex orientation' }),
    // Markers placed or dragged land on cell centres (Alt places freely); also a toolbar toggle.
    snap: p.boolean(true, { label: 'Snap markers to the grid' }),
    opacity: p.number(0.6, { min: 0, max: 1, step: 0.05 }),
    color: p.color('#000000'),
    lineWidth: p.number(1, { min: 0.5, max: 16, step: 0.5, unit: 'px' }),
    // Grid units: what one cell measures in the game's rules. Read by measuring and template plugins.
    // The step counts from the minimum (as a range input does), so 0.01 keeps 5, 1.5 and 10 on it.
    unitDistance: p.number(5, {
      min: 0.01,
      max: 10000,
      step: 0.01,
      label: 'Distance per cell',
      group: 'Units',
    }),
    unit: p.string('ft', { maxLength: 12, label: 'Unit', group: 'Units' }),
    diagonal: p.enum(['5e', '5-10-5', 'euclidean'], '5e', {
      label: 'Diagonal rule',
      group: 'Units',
      description:
        '5e: every diagonal step is one cell; 5-10-5: every second diagonal costs two; euclidean: true length',
    }),
  },
});
