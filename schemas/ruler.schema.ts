import { definePlugin, p } from '../engine/schema';

/**
 * The ruler: measuring on the map in grid units (the grid's distance per cell
 * and diagonal rule). A ruler is ephemeral — it travels through presence
 * while it is dragged and never enters the document — so the plugin stores
 * only its settings.
 */
export default definePlugin({
  name: 'ruler',
  attachTo: 'scene',
  label: 'Ruler',
  order: 57,
  throttle: 'control',
  props: {
    playersMeasure: p.boolean(false, {
      label: 'Players may measure',
      description: 'Players with a screen may show their own rulers (checked by the room)',
    }),
    color: p.color('#ffd43b', { label: 'Ruler colour' }),
  },
});
