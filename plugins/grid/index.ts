import { definePluginRuntime } from '../../engine/plugin';
import { gridRender } from './render';
import { snapToGrid } from './snap';
import { gridFromPlacedMap } from './placed';

/**
 * The grid over the map; while it is visible, tools that snap snap to its
 * cell centres. A map named like `crypt_30x22.png` gets a 30 × 22 grid.
 */
export default definePluginRuntime({
  name: 'grid',
  render: gridRender,
  drawOrder: 10,
  snap: (p, props) => (props.grid.visible ? snapToGrid(p, props.grid) : undefined),
  placed: (ctx, file) => void gridFromPlacedMap(ctx, file),
});
