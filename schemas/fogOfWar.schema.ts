import { definePlugin, p } from '../engine/schema';
import { decodeTile } from '../plugins/fogOfWar/mask';

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
    // The brush diameter on screen (each GM's own; [ and ] change it while a brush is active).
    brushSize: p.number(56, {
      localOnly: true,
      min: 8,
      max: 400,
      step: 4,
      unit: 'px',
      label: 'Brush size',
      control: 'slider',
    }),
    // Style. The soft edge only ever eats into revealed cells: covered cells stay opaque to players.
    edgeWidth: p.number(0, {
      min: 0,
      max: 256,
      step: 1,
      unit: 'px',
      group: 'Style',
      label: 'Soft edge',
      description: 'Width of the gradient from fog into revealed cells',
    }),
    noiseScale: p.number(96, { min: 8, max: 1024, step: 8, unit: 'px', group: 'Style', label: 'Noise size' }),
    noiseSpeed: p.number(0, {
      min: 0,
      max: 2,
      step: 0.05,
      group: 'Style',
      label: 'Noise speed',
      description: 'Drift of the fog texture; 0 keeps it still (and the display idle)',
    }),
    noiseAmount: p.number(0, { min: 0, max: 1, step: 0.05, group: 'Style', label: 'Noise amount' }),
    outlineColor: p.color('#c8a060', { group: 'Style', label: 'Edge outline colour' }),
    outlineWidth: p.number(0, {
      min: 0,
      max: 8,
      step: 0.5,
      unit: 'px',
      group: 'Style',
      label: 'Edge outline',
    }),
  },
  channels: {
    /** The mask: run-length-encoded tiles `fog/<tx>_<ty>`, and the fill of unstored tiles under `fog/default`. */
    tiles: {
      prefix: 'fog/',
      key: /^(?:-?\d{1,6}_-?\d{1,6}|default)$/,
      // A tile of 64 × 64 alternating cells, the worst case, encodes to about 4 KB.
      maxBytes: 8192,
      maxKeys: 20_000,
      validate(bytes, key) {
        if (key.endsWith('/default')) return bytes.byteLength === 1 ? undefined : 'the fill is one byte';
        try {
          decodeTile(bytes);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    },
  },
});
