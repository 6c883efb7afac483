import { defineChannelModel, definePluginRuntime } from '../../engine/plugin';
import { fogTools, TILES } from './gestures';
import { FogMask } from './mask';
import { fogOfWarRender } from './render';
import { fogActions } from './actions';

/** Fog of war: drawn over markers, painted with its tools, its mask kept in its `tiles` channel. */
export default definePluginRuntime({
  name: 'fogOfWar',
  render: fogOfWarRender,
  drawOrder: 30,
  tools: fogTools,
  actions: fogActions,
  channels: {
    [TILES]: defineChannelModel<FogMask>({
      create: () => new FogMask(),
      apply: (mask, key, bytes) => mask.applyBlob(key, bytes),
    }),
  },
  help: [
    { keys: 'Alt + fog tool', does: 'Cover instead of reveal (and back)' },
    { keys: '[ / ] with a brush', does: 'Smaller / larger brush (Shift: by a quarter)' },
    {
      keys: 'Polygon: Enter / Backspace / Esc',
      does: 'Close and reveal / drop the last corner / drop the outline',
    },
  ],
});
