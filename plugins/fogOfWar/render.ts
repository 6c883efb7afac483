import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import { RawTexture } from '@babylonjs/core/Materials/Textures/rawTexture';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { Constants } from '@babylonjs/core/Engines/constants';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Vector2 } from '@babylonjs/core/Maths/math.vector';
import { SCENE_PLANE_VERTEX, defineRenderPlugin, hexToRgb, type RenderContext } from '../../engine/render';
import type { FogOfWarProps } from '../../engine/generated/stageProps';
import { FOG_CELL, FOG_TILE, FogMask, parseTileKey } from './mask';

const FRAGMENT = `
precision highp float;
varying vec2 vScene;
uniform sampler2D mask;
uniform vec2 maskOrigin;
uniform vec2 maskSize;
uniform float fill;
uniform vec3 color;
uniform float opacity;
uniform float feather;
uniform float edge;
uniform float pxCells;
uniform float noiseScale;
uniform float noiseAmount;
uniform float time;
uniform vec3 outlineColor;
uniform float outline;

float sampleMask(vec2 p) {
  vec2 uv = (p - maskOrigin) / maskSize;
  if (maskSize.x > 0.0 && uv.x >= 0.0 && uv.y >= 0.0 && uv.x <= 1.0 && uv.y <= 1.0)
    return texture2D(mask, uv).r;
  return fill;
}
float hash(vec2 p) { return fract(sin(dot(p, vec2(127.1, 311.7))) * 43758.5453); }
float noise(vec2 p) {
  vec2 i = floor(p);
  vec2 f = fract(p);
  f = f * f * (3.0 - 2.0 * f);
  return mix(mix(hash(i), hash(i + vec2(1.0, 0.0)), f.x), mix(hash(i + vec2(0.0, 1.0)), hash(i + 1.0), f.x), f.y);
}
void main() {
  float m = sampleMask(vScene);
  // The bilinear sample is thresholded at 0.5 with a feather about one screen
  // pixel wide: cell staircases become smooth, crisp contours at any zoom.
  float v = smoothstep(0.5 - feather, 0.5 + feather, m);
  float n = 0.0;
  if (noiseAmount > 0.0) {
    vec2 q = vScene / noiseScale + vec2(time * 0.7, time * 0.4);
    n = 0.6 * noise(q) + 0.4 * noise(q * 2.3 - vec2(time * 0.3, 0.0));
  }
  // The soft edge: the share of covered samples on rings around the point,
  // so it only ever adds fog over revealed cells; covered cells keep v = 1.
  if (edge > 0.0 && v < 1.0) {
    float covered = 0.0;
    for (int r = 1; r <= 4; r++)
      for (int k = 0; k < 8; k++) {
        float a = float(k) * 0.7853982 + float(r) * 0.39;
        covered += step(0.5, sampleMask(vScene + vec2(cos(a), sin(a)) * edge * float(r) * 0.25));
      }
    float soft = min(1.0, covered / 16.0) * (1.0 - noiseAmount * n);
    v = max(v, soft);
  }
  vec3 c = color * (1.0 - noiseAmount * 0.5 * (n - 0.5));
  // The outline sits just on the revealed side of the mask's 0.5 contour.
  if (outline > 0.0 && m < 0.5 && m > 0.5 - outline * pxCells) {
    gl_FragColor = vec4(outlineColor, opacity);
    return;
  }
  float a = v * opacity;
  if (a <= 0.0) discard;
  gl_FragColor = vec4(c, a);
}`;

/** Sets the style uniforms: soft edge and noise size (scene units), noise amount, outline. */
function applyStyle(material: ShaderMaterial, p: FogOfWarProps): void {
  material.setFloat('edge', p.edgeWidth);
  material.setFloat('noiseScale', Math.max(1, p.noiseScale));
  material.setFloat('noiseAmount', p.noiseAmount);
  const [r, g, b] = hexToRgb(p.outlineColor);
  material.setColor3('outlineColor', new Color3(r, g, b));
  material.setFloat('outline', p.outlineWidth);
}

/** Longest side of the mask texture; larger masks are averaged down (softer edges, bounded memory). */
export const MAX_MASK_SIDE = 4096;

/** Rewrites one tile's texels (full resolution only); a missing tile takes the fill. */
export function writeTileTexels(
  t: { data: Uint8Array; width: number },
  b: { tx0: number; ty0: number },
  tx: number,
  ty: number,
  tile: Uint8Array | undefined,
  fill: number,
): void {
  const ox = (tx - b.tx0) * FOG_TILE;
  const oy = (ty - b.ty0) * FOG_TILE;
  for (let y = 0; y < FOG_TILE; y++) {
    const row = (oy + y) * t.width + ox;
    if (!tile) t.data.fill(fill * 255, row, row + FOG_TILE);
    else for (let x = 0; x < FOG_TILE; x++) t.data[row + x] = tile[y * FOG_TILE + x]! * 255;
  }
}

/**
 * The single-channel texels of the stored tiles' bounding box: one texel per
 * cell, or the average of k×k cells when the box would exceed `maxSide`.
 * Rows are padded to a multiple of 4 bytes (WebGL's default unpack
 * alignment); padding takes the fill value.
 */
export function maskTexels(
  mask: FogMask,
  b: { tx0: number; ty0: number; tx1: number; ty1: number },
  maxSide: number,
): { data: Uint8Array; width: number; height: number; cellsPerTexel: number } {
  const cw = (b.tx1 - b.tx0 + 1) * FOG_TILE;
  const ch = (b.ty1 - b.ty0 + 1) * FOG_TILE;
  const k = Math.max(1, Math.ceil(Math.max(cw, ch) / maxSide));
  const width = Math.ceil(Math.ceil(cw / k) / 4) * 4;
  const height = Math.ceil(ch / k);
  const fill = mask.fill;
  if (k === 1) {
    const t = { data: new Uint8Array(width * height).fill(fill * 255), width, height, cellsPerTexel: 1 };
    for (const [id, tile] of mask.tiles) {
      const [tx, ty] = id.split('_').map(Number) as [number, number];
      writeTileTexels(t, b, tx, ty, tile, fill);
    }
    return t;
  }
  const sums = new Float32Array(width * height).fill(fill * k * k);
  for (const [id, tile] of mask.tiles) {
    const [tx, ty] = id.split('_').map(Number) as [number, number];
    const ox = (tx - b.tx0) * FOG_TILE;
    const oy = (ty - b.ty0) * FOG_TILE;
    for (let y = 0; y < FOG_TILE; y++) {
      const row = Math.floor((oy + y) / k) * width;
      for (let x = 0; x < FOG_TILE; x++)
        sums[row + Math.floor((ox + x) / k)]! += tile[y * FOG_TILE + x]! - fill;
    }
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round((255 * sums[i]!) / (k * k));
  return { data, width, height, cellsPerTexel: k };
}

/**
 * The fog-of-war plugin: the mask's stored tiles become one texture (one
 * texel per cell, bilinear so edges are soft) on a plane covering the visible
 * area; cells outside stored tiles take the mask's fill. The GM sees the fog
 * at GM opacity, players at player opacity.
 */
export const fogOfWarRender = defineRenderPlugin<FogOfWarProps>({
  create(ctx) {
    const mesh = CreatePlane('fogOfWar', { size: 1 }, ctx.scene);
    mesh.renderingGroupId = ctx.layer;
    mesh.isPickable = false;
    mesh.alwaysSelectAsActiveMesh = true;
    mesh.setEnabled(false);
    const material = new ShaderMaterial(
      'fogOfWar',
      ctx.scene,
      { vertexSource: SCENE_PLANE_VERTEX, fragmentSource: FRAGMENT },
      {
        attributes: ['position'],
        uniforms: [
          'world',
          'viewProjection',
          'maskOrigin',
          'maskSize',
          'fill',
          'color',
          'opacity',
          'feather',
          'edge',
          'pxCells',
          'noiseScale',
          'noiseAmount',
          'time',
          'outlineColor',
          'outline',
        ],
        samplers: ['mask'],
        needAlphaBlending: true,
      },
    );
    material.backFaceCulling = false;
    mesh.material = material;

    let mask = new FogMask();
    let texture: RawTexture | undefined;
    let texSize = { w: 0, h: 0 };
    let texelCells = 1;

    type Texels = ReturnType<typeof maskTexels> & {
      bounds: NonNullable<ReturnType<FogMask['tileBounds']>>;
      fill: number;
    };
    let texels: Texels | undefined;

    /**
     * Refreshes the mask texture. When only tiles inside the current bounds
     * changed (a brush stroke), just their texels are rewritten; otherwise
     * the whole texture is rebuilt.
     */
    const upload = (changedTiles?: readonly { tx: number; ty: number }[]): void => {
      material.setFloat('fill', mask.fill);
      const b = mask.tileBounds();
      if (!b) {
        texels = undefined;
        material.setVector2('maskSize', new Vector2(0, 0));
        material.setTexture('mask', placeholder());
        return;
      }
      const same =
        texels &&
        changedTiles &&
        texels.cellsPerTexel === 1 &&
        texels.fill === mask.fill &&
        texels.bounds.tx0 === b.tx0 &&
        texels.bounds.ty0 === b.ty0 &&
        texels.bounds.tx1 === b.tx1 &&
        texels.bounds.ty1 === b.ty1;
      if (same && texels && changedTiles)
        for (const { tx, ty } of changedTiles)
          writeTileTexels(texels, b, tx, ty, mask.tiles.get(`${tx}_${ty}`), mask.fill);
      else
        texels = {
          ...maskTexels(
            mask,
            b,
            Math.min(MAX_MASK_SIDE, ctx.engine.getCaps().maxTextureSize || MAX_MASK_SIDE),
          ),
          bounds: b,
          fill: mask.fill,
        };
      const t = texels;
      texelCells = t.cellsPerTexel;
      if (texture && texSize.w === t.width && texSize.h === t.height) texture.update(t.data);
      else {
        texture?.dispose();
        texture = RawTexture.CreateRTexture(
          t.data,
          t.width,
          t.height,
          ctx.scene,
          false,
          false,
          Texture.BILINEAR_SAMPLINGMODE,
          Constants.TEXTURETYPE_UNSIGNED_BYTE,
        );
        texture.wrapU = Texture.CLAMP_ADDRESSMODE;
        texture.wrapV = Texture.CLAMP_ADDRESSMODE;
        texSize = { w: t.width, h: t.height };
      }
      material.setTexture('mask', texture);
      material.setVector2(
        'maskOrigin',
        new Vector2(b.tx0 * FOG_TILE * FOG_CELL, b.ty0 * FOG_TILE * FOG_CELL),
      );
      material.setVector2(
        'maskSize',
        new Vector2(t.width * t.cellsPerTexel * FOG_CELL, t.height * t.cellsPerTexel * FOG_CELL),
      );
    };
    // The sampler must always be bound, even when no tile is stored.
    let blank: RawTexture | undefined;
    const placeholder = (): RawTexture =>
      (blank ??= new RawTexture(
        new Uint8Array(4),
        1,
        1,
        Constants.TEXTUREFORMAT_RGBA,
        ctx.scene,
        false,
        false,
      ));

    const cover = (c: RenderContext): void => {
      const r = c.viewport.visibleRect;
      const centre = c.toWorld({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
      mesh.position.set(centre.x, centre.y, 0);
      mesh.scaling.set(r.width * 1.05 + 1, r.height * 1.05 + 1, 1);
      const pxCells = (c.viewport.unitsPerPixel * c.viewport.pixelRatio) / (FOG_CELL * texelCells);
      material.setFloat(
        'feather',
        Math.min(0.5, Math.max(0.04, (1.5 * c.viewport.unitsPerPixel) / (FOG_CELL * texelCells))),
      );
      material.setFloat('pxCells', pxCells);
    };
    let animated = false;
    let speed = 0;
    material.setFloat('time', 0);
    upload();

    const system = {
      get mask() {
        return mask;
      },
      update(_prev: FogOfWarProps | undefined, next: FogOfWarProps, c: RenderContext) {
        const [r, g, b] = hexToRgb(next.color);
        material.setColor3('color', new Color3(r, g, b));
        const opacity = c.view === 'gm' ? next.gmOpacity : next.playerOpacity;
        material.setFloat('opacity', opacity);
        mesh.setEnabled(next.enabled && opacity > 0);
        applyStyle(material, next);
        cover(c);
        // Drifting noise is the only thing that moves by itself; still fog lets the host idle.
        animated = next.enabled && opacity > 0 && next.noiseAmount > 0 && next.noiseSpeed > 0;
        speed = next.noiseSpeed;
        c.setAnimating(animated);
      },
      beforeFrame(now: number) {
        if (animated) material.setFloat('time', (now / 1000) * speed);
      },
      updateBlobs(blobs: ReadonlyMap<string, Uint8Array>, changed: readonly string[]) {
        const tiles: { tx: number; ty: number }[] = [];
        let fillChanged = false;
        for (const key of changed) {
          try {
            mask.applyBlob(key, blobs.get(key));
          } catch (e) {
            // A corrupt tile must not take the whole fog down; the rest still renders.
            console.warn(`fogOfWar: ignoring ${key}: ${(e as Error).message}`);
          }
          const t = parseTileKey(key);
          if (t) tiles.push(t);
          else fillChanged = true;
        }
        upload(fillChanged ? undefined : tiles);
        cover(ctx);
      },
      viewChanged: cover,
      dispose() {
        texture?.dispose();
        blank?.dispose();
        material.dispose();
        mesh.dispose();
        mask = new FogMask();
      },
    };
    return system;
  },
});
