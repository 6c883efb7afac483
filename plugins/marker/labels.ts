import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { Scene } from '@babylonjs/core/scene';
import '@babylonjs/core/Meshes/thinInstanceMesh';

/** One label to draw: text, its marker's world centre and size (the label goes under it on screen), alpha. */
export interface LabelItem {
  text: string;
  x: number;
  y: number;
  size: number;
  alpha: number;
  /** Text height in world units; default from `size` (within 10…48). */
  height?: number;
}

/** All marker labels as one thin-instanced mesh over one text atlas. */
export interface LabelLayer {
  set(items: readonly LabelItem[]): void;
  /** Moves label `index` (same text) to a new place / size / alpha. */
  patch(index: number, item: LabelItem): void;
  /** The view's rotation in degrees: labels turn with it so text stays upright and under its marker. */
  setRotation(degrees: number): void;
  readonly mesh: Mesh;
  dispose(): void;
}

const VERTEX = `
precision highp float;
attribute vec3 position;
attribute vec2 uv;
attribute vec4 labelUv;
attribute vec4 labelData;
#ifdef INSTANCES
attribute vec4 world0;
attribute vec4 world1;
attribute vec4 world2;
attribute vec4 world3;
#endif
uniform mat4 world;
uniform mat4 viewProjection;
varying vec2 vUV;
varying float vAlpha;
void main() {
#ifdef INSTANCES
  mat4 finalWorld = world * mat4(world0, world1, world2, world3);
#else
  mat4 finalWorld = world;
#endif
  vUV = vec2(mix(labelUv.x, labelUv.z, uv.x), mix(labelUv.y, labelUv.w, uv.y));
  vAlpha = labelData.x;
  gl_Position = viewProjection * finalWorld * vec4(position, 1.0);
}`;

const FRAGMENT = `
precision highp float;
varying vec2 vUV;
varying float vAlpha;
uniform sampler2D atlas;
void main() {
  vec4 c = texture2D(atlas, vUV);
  if (c.a * vAlpha < 0.004) discard;
  gl_FragColor = vec4(c.rgb, c.a * vAlpha);
}`;

const FONT_PX = 28;
const ROW = 36;
const ATLAS_W = 1024;
const MAX_ATLAS_H = 4096;

function makeCanvas(w: number, h: number): HTMLCanvasElement | OffscreenCanvas | undefined {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(w, h);
  if (typeof document !== 'undefined')
    return Object.assign(document.createElement('canvas'), { width: w, height: h });
  return undefined;
}

/**
 * Creates the label layer, or `undefined` where no 2D canvas exists (Node
 * tests with NullEngine): labels are then simply not drawn.
 */
export function createLabelLayer(
  scene: Scene,
  layer: number,
  name = 'marker-labels',
): LabelLayer | undefined {
  if (!makeCanvas(1, 1)) return undefined;
  const mesh = CreatePlane(name, { size: 1 }, scene);
  mesh.renderingGroupId = layer;
  mesh.isPickable = false;
  mesh.alwaysSelectAsActiveMesh = true;
  mesh.setEnabled(false);
  const material = new ShaderMaterial(
    'marker-labels',
    scene,
    { vertexSource: VERTEX, fragmentSource: FRAGMENT },
    {
      attributes: ['position', 'uv', 'labelUv', 'labelData'],
      uniforms: ['world', 'viewProjection'],
      samplers: ['atlas'],
      needAlphaBlending: true,
    },
  );
  material.backFaceCulling = false;
  mesh.material = material;

  let texture: DynamicTexture | undefined;
  let atlasKey = '';
  let slots = new Map<string, { x: number; y: number; w: number }>();
  let atlasH = ROW;

  const buildAtlas = (texts: string[]): void => {
    const measure = makeCanvas(1, 1)!.getContext('2d') as CanvasRenderingContext2D;
    measure.font = `600 ${FONT_PX}px sans-serif`;
    slots = new Map();
    let x = 0;
    let y = 0;
    for (const t of texts) {
      const w = Math.min(ATLAS_W, Math.ceil(measure.measureText(t).width) + 8);
      if (x + w > ATLAS_W) {
        x = 0;
        y += ROW;
      }
      // Past the largest atlas (about a thousand distinct labels) the rest are not drawn.
      if (y + ROW > MAX_ATLAS_H) break;
      slots.set(t, { x, y, w });
      x += w;
    }
    atlasH = Math.min(MAX_ATLAS_H, 2 ** Math.ceil(Math.log2(Math.max(ROW, y + ROW))));
    texture?.dispose();
    texture = new DynamicTexture(
      'marker-label-atlas',
      { width: ATLAS_W, height: atlasH },
      scene,
      true,
      Texture.TRILINEAR_SAMPLINGMODE,
    );
    texture.hasAlpha = true;
    const g = texture.getContext() as CanvasRenderingContext2D;
    g.clearRect(0, 0, ATLAS_W, atlasH);
    g.font = `600 ${FONT_PX}px sans-serif`;
    g.textBaseline = 'middle';
    g.lineJoin = 'round';
    g.lineWidth = 5;
    g.strokeStyle = 'rgba(0,0,0,0.85)';
    g.fillStyle = '#ffffff';
    for (const [t, s] of slots) {
      g.strokeText(t, s.x + 4, s.y + ROW / 2, s.w - 8);
      g.fillText(t, s.x + 4, s.y + ROW / 2, s.w - 8);
    }
    texture.update(true);
    material.setTexture('atlas', texture);
  };

  let matrices = new Float32Array(0);
  let data = new Float32Array(0);
  let items: readonly LabelItem[] = [];
  let rotation = 0;
  const write = (i: number, item: LabelItem): void => {
    const s = slots.get(item.text);
    const o = i * 16;
    matrices.fill(0, o, o + 16);
    if (!s) return; // no room in the atlas: a zero matrix draws nothing
    const h = item.height ?? Math.max(10, Math.min(48, item.size * 0.4));
    const w = (h * s.w) / ROW;
    // The camera rolls by the view rotation; turning the quad by the same
    // angle keeps the text upright, and "down" on screen is (sin, -cos).
    const a = (rotation * Math.PI) / 180;
    const cos = Math.cos(a);
    const sin = Math.sin(a);
    const drop = item.size / 2 + h / 2 + 2;
    matrices[o] = w * cos;
    matrices[o + 1] = w * sin;
    matrices[o + 4] = -h * sin;
    matrices[o + 5] = h * cos;
    matrices[o + 10] = 1;
    matrices[o + 12] = item.x + sin * drop;
    matrices[o + 13] = item.y - cos * drop;
    matrices[o + 15] = 1;
    data[i * 4] = item.alpha;
  };

  return {
    mesh,
    set(next) {
      items = next;
      const texts = [...new Set(items.map((i) => i.text))].sort();
      const key = texts.join('\u0000');
      if (key !== atlasKey) {
        atlasKey = key;
        if (texts.length > 0) buildAtlas(texts);
      }
      const n = items.length;
      matrices = new Float32Array(n * 16);
      const uvs = new Float32Array(n * 4);
      data = new Float32Array(n * 4);
      items.forEach((item, i) => {
        write(i, item);
        const s = slots.get(item.text);
        if (s)
          uvs.set([s.x / ATLAS_W, 1 - (s.y + ROW) / atlasH, (s.x + s.w) / ATLAS_W, 1 - s.y / atlasH], i * 4);
      });
      mesh.thinInstanceSetBuffer('matrix', matrices, 16, false);
      mesh.thinInstanceSetBuffer('labelUv', uvs, 4, false);
      mesh.thinInstanceSetBuffer('labelData', data, 4, false);
      mesh.setEnabled(n > 0);
    },
    setRotation(degrees) {
      if (degrees === rotation) return;
      rotation = degrees;
      items.forEach((item, i) => write(i, item));
      if (items.length > 0) mesh.thinInstanceBufferUpdated('matrix');
    },
    patch(index, item) {
      items = items.map((old, i) => (i === index ? item : old));
      write(index, item);
      mesh.thinInstancePartialBufferUpdate('matrix', 1, index);
      mesh.thinInstancePartialBufferUpdate('labelData', 1, index);
    },
    dispose() {
      texture?.dispose();
      material.dispose();
      mesh.dispose();
    },
  };
}
