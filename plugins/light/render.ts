import { defineRenderPlugin, type RenderContext } from '../../engine/render';
import type { LightProps, StageProps } from '../../engine/generated/stageProps';
import { coverView, lightDataTexture, lightPlane } from './gpu';
import { MAX_LIGHTS, packLights, ROWS, visibleLights } from './pack';
import { HANDLES_FRAGMENT } from './shader';

type Lights = Record<string, LightProps>;

/** Screen radius (CSS px) within which a click picks a light's handle. */
const HANDLE_PICK_PX = 10;

/**
 * The GM's light handles: a dot per light and a faint ring at its dim
 * radius, all in one draw call, pickable so the select tool can drag them.
 * Players see no handles (the light itself is the `lighting` plugin's light
 * map). Reads the grid's cell size from the stage, since radii are in cells.
 */
export const lightRender = defineRenderPlugin<Lights>({
  create(ctx) {
    const handles = lightPlane('lightHandles', ctx, HANDLES_FRAGMENT, ['px']);
    const data = new Float32Array(MAX_LIGHTS * ROWS * 4);
    const texture = lightDataTexture(ctx.scene, data);
    handles.material.setTexture('lights', texture);
    let drawn: [string, LightProps][] = [];

    const cover = (c: RenderContext): void => {
      coverView(c, [handles.mesh]);
      handles.material.setFloat('px', c.viewport.unitsPerPixel * c.viewport.pixelRatio);
    };

    return {
      update() {
        // Redrawn from the whole snapshot in stageChanged: the grid size matters too.
      },
      stageChanged(stage, c) {
        const s = stage as Partial<StageProps>;
        drawn = c.view === 'gm' ? visibleLights(s.lights ?? {}, c.view) : [];
        // Handles show where lights are, not how they flicker: packed at time 0.
        packLights(data, drawn, s.grid?.size ?? 64, 0);
        texture.update(data);
        handles.material.setFloat('count', drawn.length);
        handles.mesh.setEnabled(drawn.length > 0);
        cover(c);
      },
      viewChanged: cover,
      pick(point, c) {
        const reach = HANDLE_PICK_PX * c.viewport.unitsPerPixel * c.viewport.pixelRatio;
        for (let i = drawn.length - 1; i >= 0; i--) {
          const [id, l] = drawn[i]!;
          if (Math.hypot(point.x - l.position.x, point.y - l.position.y) <= reach)
            return { plugin: c.plugin.name, id, point };
        }
        return undefined;
      },
      dispose() {
        texture.dispose();
        handles.material.dispose();
        handles.mesh.dispose();
      },
    };
  },
});
