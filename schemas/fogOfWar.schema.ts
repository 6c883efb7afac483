import { definePlugin, p } from '../engine/schema';

/** Fog hiding what players have not discovered yet. The GM sees through it; players do not. */
export default definePlugin({
  name: 'fogOfWar',
  attachTo: 'scene',
  label: 'Fog of war',
  order: 40,
  throttle: 'control',
  props: {
    enabled: p.boolean(false),
    gmOpacity: p.number(0.4, { min: 0, max: 1, step: 0.05, label: 'GM opacity' }),
    playerOpacity: p.number(1, { min: 0, max: 1, step: 0.05 }),
    color: p.color('#111111'),
  },
});
