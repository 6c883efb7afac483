import { definePluginRuntime } from '../../engine/plugin';
import { markerRender } from './render';
import { addMarkerTool, dragMarker } from './tools';
import { markerPresence } from './presence';
import { publishMarkerFocus } from './focus';

/**
 * Markers: drawn over the map and grid, added with their tool, moved with the
 * select tool. A `hover` marker the GM hovers or selects is named in the
 * marker's presence, and the room shows it on the TV meanwhile.
 */
export default definePluginRuntime({
  name: 'marker',
  render: markerRender,
  drawOrder: 20,
  tools: [addMarkerTool],
  memberDrag: dragMarker,
  presence: markerPresence,
  focus: publishMarkerFocus,
  help: [
    { keys: 'Delete / Backspace', does: 'Delete the selected marker' },
    { keys: 'Alt + drag a marker', does: 'Move it freely, off the grid' },
  ],
});
