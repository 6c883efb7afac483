import { definePluginRuntime } from '../../engine/plugin';
import { displayRender } from './render';
import {
  fitFrameAction,
  fitFrameToContent,
  frameTool,
  frameViewAction,
  inchSquaresAction,
  turnFrameAction,
} from './tools';

/**
 * The players' display: the frame of the world their screen shows (moved,
 * zoomed and turned by the GM, outlined in the editor), true-scale squares
 * from the screen's diagonal, and the cover shown while paused. It draws
 * above every layer: the player view's letterbox must hide everything.
 */
export default definePluginRuntime({
  name: 'display',
  render: displayRender,
  drawOrder: 1000,
  tools: [frameTool],
  actions: [fitFrameAction, frameViewAction, turnFrameAction, inchSquaresAction],
  // A new map, once drawn, gets the frame fitted around it unless the GM turned that off.
  placed(ctx, file) {
    if (ctx.props().display.fitToNewMap) void file.drawn.then(() => fitFrameToContent(ctx));
  },
  cover(props) {
    const d = props.display;
    return { color: d.coverColor, image: d.coverImage || undefined, text: d.coverText || undefined };
  },
});
