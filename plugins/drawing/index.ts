import { definePluginRuntime } from '../../engine/plugin';

/** Drawing and annotations. */
export default definePluginRuntime({
  name: 'drawing',
});
