import { defineRenderPlugin } from '../../engine/render';
import type { SceneProps } from '../../engine/generated/stageProps';

/**
 * The per-user view plugin: its local-only pan / zoom / rotation drive the
 * host's camera. It draws nothing.
 */
export const sceneRender = defineRenderPlugin<SceneProps>({
  create() {
    return {
      update(prev, next, ctx) {
        if (
          prev &&
          prev.offset.x === next.offset.x &&
          prev.offset.y === next.offset.y &&
          prev.zoom === next.zoom &&
          prev.rotation === next.rotation
        )
          return;
        ctx.viewport.setTransform({ offset: next.offset, zoom: next.zoom, rotation: next.rotation });
      },
      dispose() {},
    };
  },
});
