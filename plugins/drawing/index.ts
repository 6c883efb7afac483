import { definePluginRuntime } from '../../engine/plugin';
import { drawingRender } from './render';
import { drawingTools } from './tools';

/** Drawing and annotations: pen, shapes, labels, eraser; a players' layer and a GM-only layer. */
export default definePluginRuntime({
  name: 'drawing',
  render: drawingRender,
  // Over templates and markers, under fog: drawings on hidden areas stay hidden.
  drawOrder: 25,
  tools: drawingTools,
  help: [
    { keys: 'Shift + draw', does: 'Draw on the GM layer (players never receive it)' },
    { keys: 'Inspector: Colour, Width, Opacity, Layer', does: 'Restyle or move a selected stroke' },
  ],
});
