import { definePluginRuntime } from '../../engine/plugin';
import { pingPresence } from './presence';
import { pingRender } from './render';
import { pingAt, pingTools } from './tools';

/** Pings: a ring on every view of the scene, never stored. */
export default definePluginRuntime({
  name: 'ping',
  render: pingRender,
  // Over everything but the display frame: a ping must be seen.
  drawOrder: 45,
  tools: pingTools,
  presence: pingPresence,
  // Click and hold with any tool pings too (Shift: pulls players' free views).
  onHold(ctx, p) {
    pingAt(ctx, p);
    return true;
  },
  help: [
    { keys: 'Ping: Shift + click', does: 'Ping and pull players’ free views to the spot (not the TV)' },
    { keys: 'Click and hold', does: 'Ping the spot, whatever the tool (Shift: pull players’ free views)' },
  ],
});
