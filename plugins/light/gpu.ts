import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import { RawTexture } from '@babylonjs/core/Materials/Textures/rawTexture';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { Constants } from '@babylonjs/core/Engines/constants';
import type { Scene } from '@babylonjs/core/scene';
import { SCENE_PLANE_VERTEX, type RenderContext } from '../../engine/render';
import { MAX_LIGHTS, ROWS } from './pack';

/** A plane covering the view, drawn with a fragment shader that loops over the lights' data texture. */
export function lightPlane(name: string, ctx: RenderContext, fragment: string, uniforms: string[]) {
  const mesh = CreatePlane(name, { size: 1 }, ctx.scene);
  mesh.renderingGroupId = ctx.layer;
  mesh.isPickable = false;
  mesh.alwaysSelectAsActiveMesh = true;
  mesh.setEnabled(false);
  const material = new ShaderMaterial(
    name,
    ctx.scene,
    { vertexSource: SCENE_PLANE_VERTEX, fragmentSource: fragment },
    {
      attributes: ['position'],
      uniforms: ['world', 'viewProjection', 'count', ...uniforms],
      samplers: ['lights'],
      needAlphaBlending: true,
    },
  );
  material.backFaceCulling = false;
  mesh.material = material;
  return { mesh, material };
}

/** The MAX_LIGHTS × ROWS RGBA float texture `packLights` fills. */
export function lightDataTexture(scene: Scene, data: Float32Array): RawTexture {
  const t = RawTexture.CreateRGBATexture(
    data,
    MAX_LIGHTS,
    ROWS,
    scene,
    false,
    false,
    Texture.NEAREST_SAMPLINGMODE,
    Constants.TEXTURETYPE_FLOAT,
  );
  t.wrapU = Texture.CLAMP_ADDRESSMODE;
  t.wrapV = Texture.CLAMP_ADDRESSMODE;
  return t;
}

/** Places view-covering planes over the visible rectangle (with a margin for rotation and rounding). */
export function coverView(c: RenderContext, meshes: readonly Mesh[]): void {
  const r = c.viewport.visibleRect;
  const centre = c.toWorld({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
  for (const mesh of meshes) {
    mesh.position.set(centre.x, centre.y, 0);
    mesh.scaling.set(r.width * 1.05 + 1, r.height * 1.05 + 1, 1);
  }
}
