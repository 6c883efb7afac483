import { definePluginRuntime } from '../../engine/plugin';

export default definePluginRuntime({ name: 'weather' });
