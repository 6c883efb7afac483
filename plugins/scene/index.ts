import { definePluginRuntime } from '../../engine/plugin';
import { sceneRender } from './render';
import { panTool, selectTool } from './tools';

/** The per-user view: its local-only props drive the camera and hold the active tool. */
export default definePluginRuntime({
  name: 'scene',
  render: sceneRender,
  drawOrder: 0,
  tools: [selectTool, panTool],
  userView: { tool: 'tool' },
});
