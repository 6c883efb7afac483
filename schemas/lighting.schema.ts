import { definePlugin, p } from '../engine/schema';

/**
 * The scene's darkness: 0 is daylight, 1 leaves only lit areas visible to
 * players. The GM sees through the darkness at GM opacity, like fog.
 */
export default definePlugin({
  name: 'lighting',
  attachTo: 'scene',
  label: 'Lighting',
  order: 45,
  throttle: 'control',
  props: {
    darkness: p.number(0, { min: 0, max: 1, step: 0.05 }),
    gmOpacity: p.number(0.4, {
      min: 0,
      max: 1,
      step: 0.05,
      label: 'GM darkness opacity',
      description: 'How much of the darkness the GM sees (players see all of it)',
    }),
  },
});
