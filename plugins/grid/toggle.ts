import type { PluginAction } from '../../engine/plugin';

/** The toolbar's snapping switch: on, markers placed or dragged land on the grid's cells. */
export const snapToggleAction: PluginAction = {
  id: 'grid-snap',
  label: 'Snap',
  hint: 'Snap markers to the grid when placing and dragging (hold Alt to place freely)',
  pressed: (props) => props.grid.snap,
  run: (ctx) => ctx.queuePropertyUpdate([ctx.plugin.key, 'snap'], !ctx.props().grid.snap),
};
