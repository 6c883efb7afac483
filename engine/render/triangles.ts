import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { VertexData } from '@babylonjs/core/Meshes/mesh.vertexData';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import type { RenderContext } from './types';

const VERTEX = `
precision highp float;
attribute vec3 position;
attribute vec4 color;
uniform mat4 world;
uniform mat4 viewProjection;
varying vec4 vColor;
void main() {
  vColor = color;
  gl_Position = viewProjection * world * vec4(position, 1.0);
}`;

const FRAGMENT = `
precision highp float;
varying vec4 vColor;
void main() {
  if (vColor.a <= 0.0) discard;
  gl_FragColor = vColor;
}`;

/** Flat-coloured triangles in scene units, built by {@link TriangleBuilder} and drawn in one call. */
export interface TriangleLayer {
  /** Replaces every triangle (an empty builder hides the layer). */
  set(triangles: TriangleBuilder): void;
  dispose(): void;
}

/**
 * Collects flat-coloured triangles in scene coordinates (y down): filled
 * polygons, thick polylines, cells. Plugins that draw many small shapes
 * (area templates, strokes) build one of these per change and hand it to a
 * {@link TriangleLayer}, so the whole set is one draw call.
 */
export class TriangleBuilder {
  // Growable typed arrays: millions of plain-array pushes cost seconds; these cost milliseconds.
  #pos: Float32Array;
  #col: Float32Array;
  #count = 0;

  /** `capacity`: triangles to make room for at once, when the caller knows (no regrowing on the way). */
  constructor(capacity = 64) {
    const n = Math.max(1, Math.ceil(capacity));
    this.#pos = new Float32Array(9 * n);
    this.#col = new Float32Array(12 * n);
  }

  get count(): number {
    return this.#count;
  }

  /** Positions (x, y, 0 per vertex, Babylon world: y up) of the triangles so far. */
  get positions(): Float32Array {
    return this.#pos.subarray(0, this.#count * 9);
  }

  /** RGBA per vertex. */
  get colors(): Float32Array {
    return this.#col.subarray(0, this.#count * 12);
  }

  #reserve(more: number): void {
    const need = (this.#count + more) * 9;
    if (need <= this.#pos.length) return;
    const size = Math.max(need, this.#pos.length * 2) / 9;
    const pos = new Float32Array(size * 9);
    pos.set(this.positions);
    const col = new Float32Array(size * 12);
    col.set(this.colors);
    this.#pos = pos;
    this.#col = col;
  }

  triangle(
    ax: number,
    ay: number,
    bx: number,
    by: number,
    cx: number,
    cy: number,
    rgba: readonly number[],
  ): void {
    this.#reserve(1);
    const p = this.#count * 9;
    // Scene y points down, Babylon world y up.
    this.#pos[p] = ax;
    this.#pos[p + 1] = -ay;
    this.#pos[p + 3] = bx;
    this.#pos[p + 4] = -by;
    this.#pos[p + 6] = cx;
    this.#pos[p + 7] = -cy;
    const c = this.#count * 12;
    for (let i = 0; i < 3; i++) for (let k = 0; k < 4; k++) this.#col[c + i * 4 + k] = rgba[k]!;
    this.#count++;
  }

  /** Appends every triangle of `other` (e.g. a cached per-shape builder). */
  append(other: TriangleBuilder): void {
    this.#reserve(other.count);
    this.#pos.set(other.positions, this.#count * 9);
    this.#col.set(other.colors, this.#count * 12);
    this.#count += other.count;
  }

  /** A convex polygon (or a star-shaped one seen from its first vertex) as a fan. */
  fan(points: readonly { x: number; y: number }[], rgba: readonly number[]): void {
    const o = points[0];
    if (!o) return;
    for (let i = 1; i + 1 < points.length; i++) {
      const a = points[i]!;
      const b = points[i + 1]!;
      this.triangle(o.x, o.y, a.x, a.y, b.x, b.y, rgba);
    }
  }

  /** A polyline `width` scene units wide (square joints; round enough for thin strokes). */
  polyline(
    points: readonly { x: number; y: number }[],
    width: number,
    rgba: readonly number[],
    closed = false,
  ): void {
    const h = width / 2;
    const n = points.length;
    const segments = closed ? n : n - 1;
    for (let i = 0; i < segments; i++) {
      const a = points[i]!;
      const b = points[(i + 1) % n]!;
      const len = Math.hypot(b.x - a.x, b.y - a.y);
      if (len === 0) continue;
      // Extend each segment by half the width so joints overlap instead of leaving notches.
      const ux = ((b.x - a.x) / len) * h;
      const uy = ((b.y - a.y) / len) * h;
      const [nx, ny] = [-uy, ux];
      const [a0x, a0y, b0x, b0y] = [a.x - ux, a.y - uy, b.x + ux, b.y + uy];
      this.triangle(a0x + nx, a0y + ny, b0x + nx, b0y + ny, b0x - nx, b0y - ny, rgba);
      this.triangle(a0x + nx, a0y + ny, b0x - nx, b0y - ny, a0x - nx, a0y - ny, rgba);
    }
    if (n === 1) {
      const p = points[0]!;
      this.fan(
        [
          { x: p.x - h, y: p.y - h },
          { x: p.x + h, y: p.y - h },
          { x: p.x + h, y: p.y + h },
          { x: p.x - h, y: p.y + h },
        ],
        rgba,
      );
    }
  }
}

/**
 * One mesh in the plugin's layer drawing a {@link TriangleBuilder}'s triangles
 * with alpha blending. Several layers of one plugin blend in `order` (lower
 * first; Babylon's alpha index), so a plugin may split its triangles into
 * chunks and rebuild only the chunk that changed.
 */
export function createTriangleLayer(ctx: RenderContext, name: string, order = 0): TriangleLayer {
  const material = new ShaderMaterial(
    name,
    ctx.scene,
    { vertexSource: VERTEX, fragmentSource: FRAGMENT },
    { attributes: ['position', 'color'], uniforms: ['world', 'viewProjection'], needAlphaBlending: true },
  );
  material.backFaceCulling = false;
  let mesh: Mesh | undefined;
  return {
    set(t) {
      mesh?.dispose();
      mesh = undefined;
      if (t.count === 0) return;
      mesh = new Mesh(name, ctx.scene);
      const data = new VertexData();
      data.positions = t.positions;
      data.colors = t.colors;
      const indices = new Uint32Array(t.count * 3);
      for (let i = 0; i < indices.length; i++) indices[i] = i;
      data.indices = indices;
      data.applyToMesh(mesh);
      mesh.hasVertexAlpha = true;
      mesh.material = material;
      mesh.renderingGroupId = ctx.layer;
      mesh.alphaIndex = order;
      mesh.isPickable = false;
      mesh.alwaysSelectAsActiveMesh = true;
    },
    dispose() {
      mesh?.dispose();
      material.dispose();
    },
  };
}
