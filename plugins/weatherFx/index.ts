import { definePluginRuntime } from '../../engine/plugin';
import { weatherRender } from './render';

/** Weather: particles over everything but the display outline (over the fog too: it falls on the table). */
export default definePluginRuntime({ name: 'weatherFx', render: weatherRender, drawOrder: 38 });
