import { definePlugin, p } from '../engine/schema';

/** The GM's private notes on a scene. Players never receive them. */
export default definePlugin({
  name: 'notes',
  attachTo: 'scene',
  label: 'GM notes',
  order: 90,
  throttle: 'scene',
  props: {
    text: p.string('', { audience: 'gm', maxLength: 10000, label: 'Notes' }),
  },
});
