import { definePluginRuntime } from '../../engine/plugin';
import { markerRender } from './render';
import { addMarkerTool, dragMarker } from './tools';

/** Markers: drawn over the map and grid, added with their tool, moved with the select tool. */
export default definePluginRuntime({
  name: 'marker',
  render: markerRender,
  drawOrder: 20,
  tools: [addMarkerTool],
  memberDrag: dragMarker,
  help: [
    { keys: 'Delete / Backspace', does: 'Delete the selected marker' },
    { keys: 'Alt + drag a marker', does: 'Move it freely, off the grid' },
  ],
});
