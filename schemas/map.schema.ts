import { definePlugin, p } from '../engine/schema';

/** The battle map: an image or video drawn under everything else. */
export default definePlugin({
  name: 'map',
  attachTo: 'scene',
  label: 'Map',
  order: 20,
  throttle: 'control',
  props: {
    url: p.asset('', {
      label: 'Map image',
      accept: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'video/mp4', 'video/webm'],
    }),
    offset: p.point({ x: 0, y: 0 }, { min: -100000, max: 100000, step: 1, unit: 'px' }),
    zoom: p.number(1, { min: 0.05, max: 20, step: 0.05 }),
    rotation: p.number(0, { min: -180, max: 180, step: 1, unit: '°' }),
    opacity: p.number(1, { min: 0, max: 1, step: 0.05 }),
  },
});
