import { definePlugin, p } from '../engine/schema';

/** Per-user viewport and tool: each person looks at the scene their own way. Never synced or saved. */
export default definePlugin({
  name: 'scene',
  attachTo: 'scene',
  label: 'View',
  order: 0,
  throttle: 'immediate',
  props: {
    offset: p.point({ x: 0, y: 0 }, { localOnly: true, label: 'Pan', unit: 'px', control: 'hidden' }),
    zoom: p.number(1, { localOnly: true, min: 0.05, max: 20, step: 0.05, control: 'hidden' }),
    rotation: p.number(0, { localOnly: true, min: -180, max: 180, step: 1, unit: '°', control: 'hidden' }),
    // The active tool's id; the editor checks it against the registered tools and falls back to the first.
    tool: p.string('', { localOnly: true, control: 'hidden', maxLength: 64 }),
  },
});
