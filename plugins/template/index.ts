import { definePluginRuntime } from '../../engine/plugin';
import { templateRender } from './render';
import { dragTemplate, templateTools } from './tools';

/** Area-of-effect templates: placed and aimed with their tools, moved with the select tool, cells highlighted per grid rule. */
export default definePluginRuntime({
  name: 'template',
  render: templateRender,
  // Over the grid, under markers: the tokens standing in an area stay visible.
  drawOrder: 15,
  tools: templateTools,
  memberDrag: dragTemplate,
  help: [
    { keys: 'Drag while placing a template', does: 'Aim it (cones and lines)' },
    { keys: 'Shift + drag a template', does: 'Snap its origin to the grid' },
    { keys: 'Inspector: Direction, Size, GM only', does: 'Rotate, resize or hide a selected template' },
  ],
});
