import { definePlugin, p } from '../engine/schema';

/**
 * The players' display (a TV on the table): the frame of the world it shows,
 * the screen's physical size for true-scale squares, whether it shows the
 * GMs' cursors, and the cover it shows while the party is paused.
 */
export default definePlugin({
  name: 'display',
  attachTo: 'scene',
  label: 'Display',
  order: 10,
  throttle: 'scene',
  migrations: [
    // The typed `resolution` (an area from the scene origin) becomes the frame: the same rectangle, now
    // with a centre the GM moves. The padding around it is gone: the frame fills the players' screen.
    {
      version: 1,
      rename: { resolution: 'size' },
      drop: ['padding'],
      up: (v) => {
        const size = v.size as { x: number; y: number } | undefined;
        return size ? { ...v, center: { x: size.x / 2, y: size.y / 2 } } : v;
      },
    },
  ],
  props: {
    // The frame is moved, scaled and turned with the frame tool and the toolbar actions, not typed.
    center: p.point(
      { x: 960, y: 540 },
      { min: -100000, max: 100000, step: 1, unit: 'px', label: 'Frame centre', control: 'hidden' },
    ),
    // World units across the display's width and height (the former `resolution`, see the migration).
    size: p.point(
      { x: 1920, y: 1080 },
      {
        min: 1,
        max: 16384,
        step: 1,
        unit: 'px',
        label: 'Frame size',
        control: 'hidden',
      },
    ),
    rotation: p.enum(['0', '90', '180', '270'], '0', { label: 'Frame rotation' }),
    fitToNewMap: p.boolean(true, { label: 'Fit frame to a new map' }),
    diagonal: p.number(0, {
      min: 0,
      max: 2000,
      step: 0.5,
      label: 'Screen diagonal',
    }),
    diagonalUnit: p.enum(['in', 'cm'], 'in', { label: 'Diagonal unit' }),
    gmCursors: p.boolean(true, {
      label: 'GM cursors on the TV',
      description: 'Players see the GMs’ cursors (and their names); off: the room sends them none',
    }),
    coverColor: p.color('#000000', { label: 'Pause colour', group: 'Pause cover' }),
    coverText: p.string('Paused', { maxLength: 200, label: 'Pause text', group: 'Pause cover' }),
    coverImage: p.asset('', {
      label: 'Pause image',
      group: 'Pause cover',
      accept: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'],
    }),
  },
});
