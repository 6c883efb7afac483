import { definePlugin, p } from '../engine/schema';

/**
 * Pings: "look here" — an animated ring on every view of the scene, the TV
 * included. Pings are ephemeral (presence, rate-limited by the room); the
 * plugin stores only its settings.
 */
export default definePlugin({
  name: 'ping',
  attachTo: 'scene',
  label: 'Pings',
  order: 58,
  throttle: 'control',
  props: {
    playersPing: p.boolean(false, {
      label: 'Players may ping',
      description: 'Players with a screen may ping (checked by the room)',
    }),
    color: p.color('#ff922b', { label: 'Ping colour' }),
  },
});
