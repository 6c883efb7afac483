import { definePluginRuntime } from '../../engine/plugin';
import { edgeOverlayRender } from './render';

/** The edge overlay: over the scene, the fog and the weather; under the display letterbox and outline. */
export default definePluginRuntime({ name: 'edgeOverlay', render: edgeOverlayRender, drawOrder: 39 });
