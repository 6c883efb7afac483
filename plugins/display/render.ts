import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import { Vector4 } from '@babylonjs/core/Maths/math.vector';
import {
  SCENE_PLANE_VERTEX,
  defineRenderPlugin,
  screenToScene,
  type RenderContext,
  type ViewFrame,
} from '../../engine/render';
import type { DisplayProps } from '../../engine/generated/stageProps';
import { frameOf } from './frame';

// Signed distance to the frame (a turned rectangle), in device pixels. The GM
// view draws a dashed outline of constant width on it; the player view paints
// everything outside it black, which letterboxes a frame whose aspect is not
// the screen's.
const FRAGMENT = `
precision highp float;
varying vec2 vScene;
uniform vec4 area;
uniform float angle;
uniform float unitsPerPixel;
uniform float letterbox;
void main() {
  vec2 v = vScene - area.xy;
  float c = cos(angle);
  float s = sin(angle);
  vec2 local = vec2(v.x * c + v.y * s, -v.x * s + v.y * c);
  vec2 q = abs(local) - area.zw;
  float sd = (length(max(q, 0.0)) + min(max(q.x, q.y), 0.0)) / unitsPerPixel;
  if (letterbox > 0.5) {
    if (sd <= 0.0) discard;
    gl_FragColor = vec4(0.0, 0.0, 0.0, 1.0);
    return;
  }
  float line = 1.0 - smoothstep(1.0, 2.0, abs(sd));
  if (line <= 0.0) discard;
  float along = (local.x + local.y) / unitsPerPixel;
  float dash = step(0.5, fract(along / 16.0));
  gl_FragColor = vec4(mix(vec3(0.0), vec3(1.0, 0.85, 0.3), dash), line * 0.9);
}`;

/**
 * The display plugin: the player view shows the display frame — a world
 * rectangle the GM moves, scales and turns — filling the screen without
 * distortion, the rest black. The GM view (and a player's free view) keeps
 * the user's own viewport and outlines the frame, so they see what the TV shows. The frame is in world
 * units: moving the map moves the scene under it.
 */
export const displayRender = defineRenderPlugin<DisplayProps>({
  create(ctx) {
    let frame: ViewFrame | undefined;
    const mesh = CreatePlane('display-frame', { size: 1 }, ctx.scene);
    mesh.renderingGroupId = ctx.layer;
    mesh.isPickable = false;
    mesh.alwaysSelectAsActiveMesh = true;
    mesh.setEnabled(false);
    const material = new ShaderMaterial(
      'display-frame',
      ctx.scene,
      { vertexSource: SCENE_PLANE_VERTEX, fragmentSource: FRAGMENT },
      {
        attributes: ['position'],
        uniforms: ['world', 'viewProjection', 'area', 'angle', 'unitsPerPixel', 'letterbox'],
        needAlphaBlending: true,
      },
    );
    material.backFaceCulling = false;
    mesh.material = material;

    const layout = (c: RenderContext): void => {
      if (!frame) return;
      // The plane covers what the canvas shows; the shader finds the frame in it.
      const r = c.viewport.visibleRect;
      const centre = c.toWorld({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
      mesh.position.set(centre.x, centre.y, 0);
      mesh.scaling.set(r.width * 1.05 + 1, r.height * 1.05 + 1, 1);
      // The frame is in the world; the plane draws in scene units, under the content transform.
      const content = c.viewport.content;
      const sceneCentre = screenToScene(content, frame.center);
      const half = { x: frame.width / (2 * content.zoom), y: frame.height / (2 * content.zoom) };
      material.setVector4('area', new Vector4(sceneCentre.x, sceneCentre.y, half.x, half.y));
      material.setFloat('angle', ((frame.rotation - content.rotation) * Math.PI) / 180);
      material.setFloat('unitsPerPixel', c.viewport.unitsPerPixel);
      // The TV paints black around its frame; a player's free view outlines it, as the GM's does.
      material.setFloat('letterbox', c.viewport.framed ? 1 : 0);
      mesh.setEnabled(true);
    };
    return {
      update(prev, next, c) {
        if (prev && prev.center === next.center && prev.size === next.size && prev.rotation === next.rotation)
          return;
        frame = frameOf(next);
        c.viewport.setFrame(frame);
        layout(c);
      },
      viewChanged: layout,
      dispose() {
        material.dispose();
        mesh.dispose();
      },
    };
  },
});
