import { definePluginRuntime } from '../../engine/plugin';

/**
 * The scene's darkness level. It draws nothing itself: the light plugin's
 * light map reads it, so darkness and lights are one pass.
 */
export default definePluginRuntime({ name: 'lighting' });
