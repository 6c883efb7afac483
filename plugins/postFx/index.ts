import { definePluginRuntime } from '../../engine/plugin';
import { postFxRender } from './render';

/** Post-processing: bloom, colour grading, tone mapping and a vignette over the whole picture. */
export default definePluginRuntime({ name: 'postFx', render: postFxRender });
