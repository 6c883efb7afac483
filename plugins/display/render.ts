import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import { Vector4 } from '@babylonjs/core/Maths/math.vector';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import {
  SCENE_PLANE_VERTEX,
  defineRenderPlugin,
  type RenderContext,
  type SceneRect,
} from '../../engine/render';
import type { DisplayProps } from '../../engine/generated/stageProps';

// A dashed outline of constant pixel width around the display area.
const FRAGMENT = `
precision highp float;
varying vec2 vScene;
uniform vec4 area;
uniform float unitsPerPixel;
void main() {
  vec2 c = area.xy + area.zw * 0.5;
  vec2 q = abs(vScene - c) - area.zw * 0.5;
  float d = abs(length(max(q, 0.0)) + min(max(q.x, q.y), 0.0)) / unitsPerPixel;
  float line = 1.0 - smoothstep(1.0, 2.0, d);
  float along = (vScene.x + vScene.y) / unitsPerPixel;
  float dash = step(0.5, fract(along / 16.0));
  if (line <= 0.0) discard;
  gl_FragColor = vec4(mix(vec3(0.0), vec3(1.0, 0.85, 0.3), dash), line * 0.9);
}`;

/**
 * The display plugin: the player view shows the display area — the scene
 * rectangle from the origin with the display's resolution — fitted to the
 * canvas with the display's padding. The GM view keeps the user's own
 * viewport and outlines the display area, so the GM sees what players see.
 */
export const displayRender = defineRenderPlugin<DisplayProps>({
  create(ctx) {
    let area: SceneRect | undefined;
    let mesh: Mesh | undefined;
    let material: ShaderMaterial | undefined;
    if (ctx.view === 'gm') {
      mesh = CreatePlane('display-area', { size: 1 }, ctx.scene);
      mesh.renderingGroupId = ctx.layer;
      mesh.isPickable = false;
      mesh.setEnabled(false);
      material = new ShaderMaterial(
        'display-area',
        ctx.scene,
        { vertexSource: SCENE_PLANE_VERTEX, fragmentSource: FRAGMENT },
        {
          attributes: ['position'],
          uniforms: ['world', 'viewProjection', 'area', 'unitsPerPixel'],
          needAlphaBlending: true,
        },
      );
      material.backFaceCulling = false;
      mesh.material = material;
    }
    const layout = (c: RenderContext): void => {
      if (!mesh || !material || !area) return;
      const margin = 4 * c.viewport.unitsPerPixel * c.viewport.pixelRatio;
      const centre = c.toWorld({ x: area.x + area.width / 2, y: area.y + area.height / 2 });
      mesh.position.set(centre.x, centre.y, 0);
      mesh.scaling.set(area.width + 2 * margin, area.height + 2 * margin, 1);
      material.setVector4('area', new Vector4(area.x, area.y, area.width, area.height));
      material.setFloat('unitsPerPixel', c.viewport.unitsPerPixel);
      mesh.setEnabled(true);
    };
    return {
      update(prev, next, c) {
        if (
          prev &&
          prev.padding === next.padding &&
          prev.resolution.x === next.resolution.x &&
          prev.resolution.y === next.resolution.y
        )
          return;
        area = { x: 0, y: 0, width: next.resolution.x, height: next.resolution.y };
        c.viewport.setFrame(area, next.padding);
        layout(c);
      },
      viewChanged: layout,
      bounds: () => area,
      dispose() {
        material?.dispose();
        mesh?.dispose();
      },
    };
  },
});
