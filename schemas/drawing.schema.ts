import { definePlugin, p } from '../engine/schema';

/**
 * Freehand drawing and annotations: one member per finished stroke (pen,
 * line, rectangle, ellipse or text label). A stroke is written once, when it
 * ends, with its points compressed into `points` (see
 * `plugins/drawing/encoding.ts`). Strokes on the GM layer never reach players.
 */
export default definePlugin({
  name: 'drawing',
  attachTo: 'collection',
  collection: 'strokes',
  label: 'Drawing',
  order: 56,
  throttle: 'member',
  gmOnlyWhen: { layer: ['gm'] },
  props: {
    kind: p.enum(['pen', 'line', 'rect', 'ellipse', 'text'], 'pen'),
    layer: p.enum(['players', 'gm'], 'players', { description: 'gm: notes to self players never receive' }),
    // Delta + zigzag varint coordinates, base64url (about 2 bytes per coordinate for a smooth pen line).
    points: p.string('', { maxLength: 60000, control: 'hidden' }),
    text: p.string('', { maxLength: 500, label: 'Text' }),
    color: p.color('#e03131'),
    width: p.number(4, { min: 0.5, max: 64, step: 0.5, unit: 'px' }),
    opacity: p.number(1, { min: 0.05, max: 1, step: 0.05 }),
  },
});
