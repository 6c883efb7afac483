import { definePluginRuntime } from '../../engine/plugin';
import { gridRender } from './render';
import { snapToGrid } from './snap';

/** The grid over the map; while it is visible, tools that snap snap to its cell centres. */
export default definePluginRuntime({
  name: 'grid',
  render: gridRender,
  drawOrder: 10,
  snap: (p, props) => (props.grid.visible ? snapToGrid(p, props.grid) : undefined),
});
