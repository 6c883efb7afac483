import { definePluginRuntime } from '../../engine/plugin';
import { lightRender } from './render';
import { dragLight, placeLightTool } from './tools';

/**
 * Lights: placed with their tool, moved by their handle with the select tool.
 * Their handles (GM only) draw over the fog; their light is drawn by the
 * `lighting` plugin's light map.
 */
export default definePluginRuntime({
  name: 'light',
  render: lightRender,
  drawOrder: 35,
  tools: [placeLightTool],
  memberDrag: dragLight,
  help: [{ keys: 'Shift + place or drag a light', does: 'Put it on a cell centre' }],
});
