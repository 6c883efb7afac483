import { definePluginRuntime } from '../../engine/plugin';
import { displayRender } from './render';

/** The display area: frames the player view; the GM sees its outline over everything. */
export default definePluginRuntime({
  name: 'display',
  render: displayRender,
  drawOrder: 40,
});
