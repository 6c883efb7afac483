import { defineRenderPlugin } from '../../engine/render';
import type { DisplayProps } from '../../engine/generated/stageProps';

/**
 * The display plugin: the player view shows the display area — the scene
 * rectangle from the origin with the display's resolution — fitted to the
 * canvas with the display's padding. The GM view ignores the frame and keeps
 * the user's own viewport.
 */
export const displayRender = defineRenderPlugin<DisplayProps>({
  name: 'display',
  layer: 0,
  create() {
    let area: DisplayProps['resolution'] | undefined;
    return {
      update(prev, next, ctx) {
        if (
          prev &&
          prev.padding === next.padding &&
          prev.resolution.x === next.resolution.x &&
          prev.resolution.y === next.resolution.y
        )
          return;
        area = next.resolution;
        ctx.viewport.setFrame(
          { x: 0, y: 0, width: next.resolution.x, height: next.resolution.y },
          next.padding,
        );
      },
      bounds: () => (area ? { x: 0, y: 0, width: area.x, height: area.y } : undefined),
      dispose() {},
    };
  },
});
