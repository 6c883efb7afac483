import { definePluginRuntime } from '../../engine/plugin';
import { gridRender } from './render';
import { snapToGrid } from './snap';
import { gridFromPlacedMap } from './placed';
import { snapToggleAction } from './toggle';

/**
 * The grid over the map; while snapping is on (the toolbar's "Snap" or the
 * panel), tools that snap snap to its cells — even when its lines are hidden
 * over a map with its own printed grid. A map named like `crypt_30x22.png`
 * gets a 30 × 22 grid.
 */
export default definePluginRuntime({
  name: 'grid',
  render: gridRender,
  drawOrder: 10,
  snap: (p, props, options) => (props.grid.snap ? snapToGrid(p, props.grid, options?.cells) : undefined),
  placed: (ctx, file) => void gridFromPlacedMap(ctx, file),
  actions: [snapToggleAction],
  help: [{ keys: 'Alt + place or drag', does: 'Place freely, off the grid (while snapping is on)' }],
});
