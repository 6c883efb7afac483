import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { Scene } from '@babylonjs/core/scene';
import '@babylonjs/core/Meshes/thinInstanceMesh';
import { MARKER_FRAGMENT, MARKER_VERTEX, QUAD_HALF } from './shader';

/** Per-instance data of one marker in a batch. */
export interface MarkerInstance {
  x: number;
  /** World y (already flipped). */
  y: number;
  size: number;
  shape: number;
  rgb: [number, number, number];
  selected: boolean;
  alpha: number;
}

/**
 * One draw call's worth of markers: a quad mesh with thin instances and the
 * marker shader. Plain markers share one batch; markers with an image share
 * one batch per image, so draw calls grow with distinct images, not markers.
 */
export class MarkerBatch {
  readonly mesh: Mesh;
  readonly material: ShaderMaterial;
  private texture: Texture | undefined;
  private capacity = 0;
  private cos = 1;
  private sin = 0;
  private matrices = new Float32Array(0);
  private colors = new Float32Array(0);
  private data = new Float32Array(0);

  constructor(scene: Scene, layer: number, image: string, onImageLoad: () => void) {
    this.mesh = CreatePlane(`markers:${image || 'plain'}`, { size: 2 * QUAD_HALF }, scene);
    this.mesh.renderingGroupId = layer;
    this.mesh.isPickable = false;
    this.mesh.alwaysSelectAsActiveMesh = true;
    this.material = new ShaderMaterial(
      `markers:${image || 'plain'}`,
      scene,
      { vertexSource: MARKER_VERTEX, fragmentSource: MARKER_FRAGMENT },
      {
        attributes: ['position', 'markerColor', 'markerData'],
        uniforms: ['world', 'viewProjection', 'unitsPerPixel', 'selectionColor'],
        samplers: image ? ['image'] : [],
        defines: image ? ['#define IMAGE'] : [],
        needAlphaBlending: true,
      },
    );
    this.material.backFaceCulling = false;
    this.material.setColor3('selectionColor', new Color3(0.2, 0.6, 1));
    if (image) {
      this.texture = new Texture(
        image,
        scene,
        false,
        true,
        Texture.TRILINEAR_SAMPLINGMODE,
        onImageLoad,
        (message) => console.warn(`marker image ${image.slice(0, 80)}: ${message ?? 'cannot load'}`),
      );
      this.texture.wrapU = Texture.CLAMP_ADDRESSMODE;
      this.texture.wrapV = Texture.CLAMP_ADDRESSMODE;
      this.material.setTexture('image', this.texture);
    }
    this.mesh.material = this.material;
  }

  /** Replaces every instance; buffers are reused while the count fits. */
  set(instances: readonly MarkerInstance[]): void {
    const n = instances.length;
    if (n > this.capacity) {
      this.capacity = Math.max(n, this.capacity * 2, 16);
      this.matrices = new Float32Array(this.capacity * 16);
      this.colors = new Float32Array(this.capacity * 4);
      this.data = new Float32Array(this.capacity * 4);
    }
    for (let i = 0; i < n; i++) this.write(i, instances[i]!);
    this.mesh.thinInstanceSetBuffer('matrix', this.matrices.subarray(0, n * 16), 16, false);
    this.mesh.thinInstanceSetBuffer('markerColor', this.colors.subarray(0, n * 4), 4, false);
    this.mesh.thinInstanceSetBuffer('markerData', this.data.subarray(0, n * 4), 4, false);
    this.mesh.setEnabled(n > 0);
  }

  /** Rewrites one instance in place (a dragged or recoloured marker) and uploads only its slice. */
  patch(index: number, instance: MarkerInstance): void {
    if (index >= this.count) throw new Error(`marker batch has no instance ${index}`);
    this.write(index, instance);
    // Upload just this instance's slice, not the whole buffer.
    for (const kind of ['matrix', 'markerColor', 'markerData'])
      this.mesh.thinInstancePartialBufferUpdate(kind, 1, index);
  }

  private write(i: number, m: MarkerInstance): void {
    const s = m.size / 2;
    const o = i * 16;
    // Column-major TRS: uniform scale, turned with the view so shapes and images stay upright.
    this.matrices.fill(0, o, o + 16);
    this.matrices[o] = s * this.cos;
    this.matrices[o + 1] = s * this.sin;
    this.matrices[o + 4] = -s * this.sin;
    this.matrices[o + 5] = s * this.cos;
    this.matrices[o + 10] = 1;
    this.matrices[o + 12] = m.x;
    this.matrices[o + 13] = m.y;
    this.matrices[o + 15] = 1;
    this.colors[i * 4] = m.rgb[0];
    this.colors[i * 4 + 1] = m.rgb[1];
    this.colors[i * 4 + 2] = m.rgb[2];
    this.colors[i * 4 + 3] = 1;
    this.data[i * 4] = m.shape;
    this.data[i * 4 + 1] = m.size;
    this.data[i * 4 + 2] = m.selected ? 1 : 0;
    this.data[i * 4 + 3] = m.alpha;
  }

  /** The view's rotation in degrees; every instance turns with it (the camera rolls the other way). */
  setRotation(degrees: number): void {
    const a = (degrees * Math.PI) / 180;
    if (Math.cos(a) === this.cos && Math.sin(a) === this.sin) return;
    this.cos = Math.cos(a);
    this.sin = Math.sin(a);
    const n = this.count;
    for (let i = 0; i < n; i++) {
      const s = this.data[i * 4 + 1]! / 2;
      const o = i * 16;
      this.matrices[o] = s * this.cos;
      this.matrices[o + 1] = s * this.sin;
      this.matrices[o + 4] = -s * this.sin;
      this.matrices[o + 5] = s * this.cos;
    }
    if (n > 0) this.mesh.thinInstanceBufferUpdated('matrix');
  }

  get count(): number {
    return this.mesh.thinInstanceCount;
  }

  setUnitsPerPixel(u: number): void {
    this.material.setFloat('unitsPerPixel', u);
  }

  dispose(): void {
    this.texture?.dispose();
    this.material.dispose();
    this.mesh.dispose();
  }
}
