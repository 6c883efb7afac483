import { definePluginRuntime } from '../../engine/plugin';
import { pingPresence } from './presence';
import { pingRender } from './render';
import { pingTools } from './tools';

/** Pings: a ring on every view of the scene, never stored. */
export default definePluginRuntime({
  name: 'ping',
  render: pingRender,
  // Over everything but the display frame: a ping must be seen.
  drawOrder: 45,
  tools: pingTools,
  presence: pingPresence,
  help: [{ keys: 'Ping: Shift + click', does: 'Ping and pull players’ own views to the spot (not the TV)' }],
});
