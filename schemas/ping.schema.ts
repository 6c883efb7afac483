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
  // Whether players may use the plugin is the GM's choice for the whole party, not per scene.
  party: {
    playersPing: p.boolean(false, {
      label: 'Players may ping',
      description: 'Players with a screen may ping (checked by the room)',
    }),
  },
  // The per-scene setting of earlier versions becomes the party's (a scene that allowed it keeps it allowed).
  migrations: [{ version: 1, toParty: ['playersPing'] }],
  props: {
    color: p.color('#ff922b', { label: 'Ping colour' }),
  },
});
