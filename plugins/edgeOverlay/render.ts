import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { Vector2, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { SCENE_PLANE_VERTEX, defineRenderPlugin, hexToRgb, type RenderContext } from '../../engine/render';
import type { EdgeOverlayProps } from '../../engine/generated/stageProps';
import { frameTarget, rectTarget, type EdgeTarget } from './geometry';

// `bandCoverage` of geometry.ts, with the frame picture (stretched over the target) drawn over the band.
const FRAGMENT = `
precision highp float;
varying vec2 vScene;
uniform vec2 centre;
uniform vec2 axisU;
uniform vec2 axisV;
uniform float bandWidth;
uniform vec3 color;
uniform float opacity;
uniform float hasPicture;
uniform sampler2D picture;
float ramp(float l, float halfLength) {
  float t = 1.0 - clamp((1.0 - abs(l)) * halfLength / bandWidth, 0.0, 1.0);
  return t * t;
}
void main() {
  vec2 d = vScene - centre;
  float lu = length(axisU);
  float lv = length(axisV);
  vec2 local = vec2(dot(d, axisU) / (lu * lu), dot(d, axisV) / (lv * lv));
  if (max(abs(local.x), abs(local.y)) > 1.0) discard;
  float band = (1.0 - (1.0 - ramp(local.x, lu)) * (1.0 - ramp(local.y, lv))) * opacity;
  vec4 over = hasPicture > 0.5 ? texture2D(picture, vec2(0.5 + 0.5 * local.x, 0.5 - 0.5 * local.y)) : vec4(0.0);
  float alpha = over.a + band * (1.0 - over.a);
  if (alpha <= 0.0) discard;
  gl_FragColor = vec4((over.rgb * over.a + color * band * (1.0 - over.a)) / alpha, alpha);
}`;

/**
 * The edge overlay: a band darkening (or tinting) the edges of the display
 * frame or of the scene's content, and an optional frame picture over it.
 * One plane covering what the canvas shows; the shader finds the target in
 * it. Drawn in both views (the GM sees the TV's edges inside the frame
 * outline); kept on every performance tier, since it costs one quad.
 */
export const edgeOverlayRender = defineRenderPlugin<EdgeOverlayProps>({
  create(ctx) {
    const mesh = CreatePlane('edge-overlay', { size: 1 }, ctx.scene);
    mesh.renderingGroupId = ctx.layer;
    mesh.isPickable = false;
    mesh.alwaysSelectAsActiveMesh = true;
    mesh.setEnabled(false);
    const material = new ShaderMaterial(
      'edge-overlay',
      ctx.scene,
      { vertexSource: SCENE_PLANE_VERTEX, fragmentSource: FRAGMENT },
      {
        attributes: ['position'],
        uniforms: [
          'world',
          'viewProjection',
          'centre',
          'axisU',
          'axisV',
          'bandWidth',
          'color',
          'opacity',
          'hasPicture',
        ],
        samplers: ['picture'],
        needAlphaBlending: true,
      },
    );
    material.backFaceCulling = false;
    mesh.material = material;

    let props: EdgeOverlayProps | undefined;
    let picture: Texture | undefined;
    let pictureUrl = '';

    const target = (c: RenderContext): EdgeTarget | undefined => {
      if (props?.target === 'scene') {
        const b = c.contentBounds();
        return b && b.width > 0 && b.height > 0 ? rectTarget(b) : undefined;
      }
      const frame = c.viewport.frame;
      return frame ? frameTarget(frame, c.viewport.content) : undefined;
    };

    const loadPicture = (url: string, c: RenderContext): void => {
      if (url === pictureUrl) return;
      picture?.dispose();
      picture = undefined;
      pictureUrl = url;
      material.setFloat('hasPicture', 0);
      if (!url) return;
      const t: Texture = new Texture(url, c.scene, true, true, Texture.BILINEAR_SAMPLINGMODE, () => {
        if (picture !== t) return;
        material.setFloat('hasPicture', 1);
        c.requestRender();
      });
      t.wrapU = Texture.CLAMP_ADDRESSMODE;
      t.wrapV = Texture.CLAMP_ADDRESSMODE;
      picture = t;
      material.setTexture('picture', t);
    };

    // Laid out before every frame: the frame, the view and the content's size (a map still loading) may
    // all have changed, and a frame is drawn only when something did.
    const layout = (c: RenderContext): void => {
      const t = props?.enabled ? target(c) : undefined;
      if (!props || !t || (props.opacity <= 0 && !props.texture)) {
        mesh.setEnabled(false);
        return;
      }
      const r = c.viewport.visibleRect;
      const centre = c.toWorld({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
      mesh.position.set(centre.x, centre.y, 0);
      mesh.scaling = new Vector3(r.width * 1.05 + 1, r.height * 1.05 + 1, 1);
      const lu = Math.hypot(t.u.x, t.u.y);
      const lv = Math.hypot(t.v.x, t.v.y);
      material.setVector2('centre', new Vector2(t.centre.x, t.centre.y));
      material.setVector2('axisU', new Vector2(t.u.x, t.u.y));
      material.setVector2('axisV', new Vector2(t.v.x, t.v.y));
      material.setFloat('bandWidth', Math.max(1e-3, props.width * 2 * Math.min(lu, lv)));
      const [red, green, blue] = hexToRgb(props.color);
      material.setVector3('color', new Vector3(red, green, blue));
      material.setFloat('opacity', props.opacity);
      mesh.setEnabled(true);
    };

    return {
      update(_prev, next, c) {
        props = next;
        loadPicture(next.enabled ? next.texture : '', c);
        layout(c);
      },
      beforeFrame: (_now, c) => layout(c),
      dispose() {
        picture?.dispose();
        material.dispose();
        mesh.dispose();
      },
    };
  },
});
