import { definePluginRuntime } from '../../engine/plugin';
import { mapRender } from './render';

/** The battle map, under everything; a picture or video dropped on the viewport becomes it. */
export default definePluginRuntime({
  name: 'map',
  render: mapRender,
  drawOrder: 0,
  drop: [{ prop: 'url' }],
});
