import { Constants } from '@babylonjs/core/Engines/constants';
import { defineRenderPlugin, type RenderContext } from '../../engine/render';
import type { LightingProps, LightProps, StageProps } from '../../engine/generated/stageProps';
import { coverView, lightDataTexture, lightPlane } from '../light/gpu';
import { anyAnimated, MAX_LIGHTS, packLights, ROWS, visibleLights } from '../light/pack';
import { LIGHT_MAP_FRAGMENT } from '../light/shader';

/**
 * Darkness and every light as ONE light map multiplied over what is drawn
 * below (one draw call whatever the number of lights): the lights' data lives
 * in a small float texture the shader loops over. The lights and the grid's
 * cell size come from the stage snapshot. It asks the host for a frame every
 * animation frame only while darkness shows and some drawn light flickers;
 * otherwise the host idles. On the `low` tier lights hold still (drawn as at
 * time 0): every light is a loop in every pixel of the map, and a slow
 * display would otherwise redraw it all 60 times a second just to flicker.
 */
export const lightingRender = defineRenderPlugin<LightingProps>({
  create(ctx) {
    const map = lightPlane('lightMap', ctx, LIGHT_MAP_FRAGMENT, ['ambient', 'see']);
    map.material.alphaMode = Constants.ALPHA_MULTIPLY;
    const data = new Float32Array(MAX_LIGHTS * ROWS * 4);
    const texture = lightDataTexture(ctx.scene, data);
    map.material.setTexture('lights', texture);

    let drawn: [string, LightProps][] = [];
    let cellSize = 64;
    let dark = false;
    let animated = false;

    const still = (c: RenderContext): boolean => c.tier === 'low';
    const pack = (c: RenderContext): void => {
      packLights(data, drawn, cellSize, still(c) ? 0 : c.now() / 1000);
      texture.update(data);
    };
    const animate = (c: RenderContext): void => {
      animated = dark && !still(c) && anyAnimated(drawn);
      c.setAnimating(animated);
    };
    const cover = (c: RenderContext): void => coverView(c, [map.mesh]);

    return {
      update() {
        // Redrawn from the whole snapshot in stageChanged: the lights and the grid matter too.
      },
      stageChanged(stage, c) {
        const s = stage as Partial<StageProps>;
        const darkness = s.lighting?.darkness ?? 0;
        const see = c.view === 'player' ? 1 : (s.lighting?.gmOpacity ?? 0);
        dark = darkness > 0 && see > 0;
        drawn = visibleLights(s.lights ?? {}, c.view);
        cellSize = s.grid?.size ?? cellSize;
        map.material.setFloat('count', drawn.length);
        map.material.setFloat('ambient', 1 - darkness);
        map.material.setFloat('see', see);
        map.mesh.setEnabled(dark);
        pack(c);
        cover(c);
        animate(c);
      },
      tierChanged(c) {
        pack(c);
        animate(c);
      },
      beforeFrame(_now, c) {
        if (animated) pack(c);
      },
      viewChanged: cover,
      dispose() {
        texture.dispose();
        map.material.dispose();
        map.mesh.dispose();
      },
    };
  },
});
