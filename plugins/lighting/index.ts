import { definePluginRuntime } from '../../engine/plugin';
import { lightingRender } from './render';

/**
 * The scene's darkness, drawn with every light as one light map over the map,
 * grid and markers, under the fog (which stays opaque to players anyway).
 */
export default definePluginRuntime({ name: 'lighting', render: lightingRender, drawOrder: 25 });
