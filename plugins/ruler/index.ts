import { definePluginRuntime } from '../../engine/plugin';
import { rulerPresence } from './presence';
import { rulerRender } from './render';
import { rulerTools } from './tools';

/** Measuring in grid units: a live ruler everyone in the scene sees, never stored. */
export default definePluginRuntime({
  name: 'ruler',
  render: rulerRender,
  // Over drawings and fog: a measurement is about the map as it stands now.
  drawOrder: 40,
  tools: rulerTools,
  presence: rulerPresence,
  help: [
    { keys: 'Ruler: click', does: 'Add a waypoint; click it again to finish' },
    { keys: 'Ruler: Alt', does: 'Measure from the exact point, not the cell centre' },
    { keys: 'Ruler: Shift at release', does: 'Pin the ruler until the next one' },
  ],
});
