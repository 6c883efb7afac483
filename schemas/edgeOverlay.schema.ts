import { definePlugin, p } from '../engine/schema';

/**
 * A dark (or coloured) band and an optional frame picture at the edges of the
 * players' display frame or of the scene's content (the map), so the table's
 * picture fades out instead of stopping at a hard line.
 */
export default definePlugin({
  name: 'edgeOverlay',
  attachTo: 'scene',
  label: 'Edge overlay',
  order: 47,
  throttle: 'control',
  props: {
    enabled: p.boolean(false),
    target: p.enum(['frame', 'scene'], 'frame', {
      label: 'Edges of',
      description: "The display frame (the players' screen) or the scene's content (the map)",
    }),
    width: p.number(0.15, {
      min: 0.01,
      max: 0.5,
      step: 0.01,
      label: 'Band width',
      description: "Width of the band as a share of the target's shorter side",
    }),
    opacity: p.number(0.8, { min: 0, max: 1, step: 0.05 }),
    color: p.color('#000000'),
    texture: p.asset('', {
      label: 'Frame picture',
      description: 'A picture stretched over the target, drawn over the band (transparent in its middle)',
      accept: ['image/png', 'image/webp', 'image/gif'],
    }),
  },
});
