import { definePlugin, p } from '../engine/schema';

/** The physical display players look at: how the scene is fitted to it. */
export default definePlugin({
  name: 'display',
  attachTo: 'scene',
  label: 'Display',
  order: 10,
  throttle: 'scene',
  props: {
    padding: p.integer(16, { min: 0, max: 500, step: 1, unit: 'px' }),
    resolution: p.point({ x: 1920, y: 1080 }, { min: 1, max: 16384, step: 1, unit: 'px', control: 'point' }),
  },
});
