import { definePlugin, p } from '../engine/schema';

/** Weather particles over the scene: rain, snow, mist, ash, embers or falling leaves. */
export default definePlugin({
  name: 'weatherFx',
  attachTo: 'scene',
  label: 'Weather',
  order: 46,
  throttle: 'control',
  props: {
    preset: p.enum(['none', 'rain', 'snow', 'mist', 'ash', 'embers', 'leaves'], 'none', {
      label: 'Weather',
    }),
    intensity: p.number(0.5, { min: 0, max: 1, step: 0.05 }),
    direction: p.number(100, {
      min: 0,
      max: 360,
      step: 5,
      unit: '°',
      description: 'Where particles travel to on screen: 90° is straight down',
    }),
    speed: p.number(1, { min: 0.1, max: 4, step: 0.1 }),
    opacity: p.number(0.8, { min: 0, max: 1, step: 0.05 }),
    tint: p.color('#ffffff'),
  },
});
