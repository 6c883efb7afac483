import { definePluginRuntime } from '../../engine/plugin';

/** The GM's notes: inspector-only text, with nothing to draw and no tool. */
export default definePluginRuntime({ name: 'notes' });
