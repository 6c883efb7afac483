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
  // Whether players may use the plugin is the GM's choice for the whole party, not per scene.
  party: {
    playersMeasure: p.boolean(false, {
      label: 'Players may measure',
      description: 'Players with a screen may show their own rulers (checked by the room)',
    }),
  },
  // The per-scene setting of earlier versions becomes the party's (a scene that allowed it keeps it allowed).
  migrations: [{ version: 1, toParty: ['playersMeasure'] }],
  props: {
    color: p.color('#ffd43b', { label: 'Ruler colour' }),
  },
});
