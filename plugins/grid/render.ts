import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Vector2 } from '@babylonjs/core/Maths/math.vector';
import { SCENE_PLANE_VERTEX, defineRenderPlugin, hexToRgb, type RenderContext } from '../../engine/render';
import type { GridProps } from '../../engine/generated/stageProps';
import { hexLattice } from './snap';

// Distance to the nearest line in scene units, turned into device pixels with
// the host's units-per-pixel: lines keep their pixel width at every zoom
// without screen-space derivatives.
const FRAGMENT = `
precision highp float;
varying vec2 vScene;
uniform float cellSize;
uniform vec2 gridOffset;
uniform float flatHex;
uniform float hexMode;
uniform float hexRadius;
uniform float unitsPerPixel;
uniform float lineWidthPx;
uniform vec3 color;
uniform float opacity;
void main() {
  float d;
  vec2 q = vScene - gridOffset;
  if (hexMode > 0.5) {
    // Flat-top hexes are pointy-top ones with x and y swapped.
    if (flatHex > 0.5) q = q.yx;
    vec2 s = vec2(cellSize, 3.0 * hexRadius);
    vec2 p = q - vec2(cellSize * 0.5, hexRadius);
    vec2 ga = mod(p, s) - s * 0.5;
    vec2 gb = mod(p - s * 0.5, s) - s * 0.5;
    vec2 g = dot(ga, ga) < dot(gb, gb) ? ga : gb;
    g = abs(g);
    d = cellSize * 0.5 - max(g.x, 0.5 * g.x + 0.8660254 * g.y);
  } else {
    vec2 f = mod(q, cellSize);
    vec2 e = min(f, vec2(cellSize) - f);
    d = min(e.x, e.y);
  }
  float px = d / unitsPerPixel;
  float hw = 0.5 * lineWidthPx;
  float cover = 1.0 - smoothstep(hw - 0.5, hw + 0.5, px);
  if (cover <= 0.0) discard;
  gl_FragColor = vec4(color, cover * opacity);
}`;

/**
 * The grid plugin: square or hex lines computed per pixel by a shader on a
 * plane that always covers the visible area, so lines stay crisp (constant
 * pixel width) at any zoom and the grid is unbounded.
 */
export const gridRender = defineRenderPlugin<GridProps>({
  create(ctx) {
    const mesh = CreatePlane('grid', { size: 1 }, ctx.scene);
    mesh.renderingGroupId = ctx.layer;
    mesh.isPickable = false;
    mesh.alwaysSelectAsActiveMesh = true;
    mesh.setEnabled(false);
    const material = new ShaderMaterial(
      'grid',
      ctx.scene,
      { vertexSource: SCENE_PLANE_VERTEX, fragmentSource: FRAGMENT },
      {
        attributes: ['position'],
        uniforms: [
          'world',
          'viewProjection',
          'cellSize',
          'gridOffset',
          'flatHex',
          'hexMode',
          'hexRadius',
          'unitsPerPixel',
          'lineWidthPx',
          'color',
          'opacity',
        ],
        needAlphaBlending: true,
      },
    );
    material.backFaceCulling = false;
    mesh.material = material;

    const cover = (c: RenderContext): void => {
      const r = c.viewport.visibleRect;
      const centre = c.toWorld({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
      mesh.position.set(centre.x, centre.y, 0);
      mesh.scaling.set(r.width * 1.05 + 1, r.height * 1.05 + 1, 1);
      material.setFloat('unitsPerPixel', c.viewport.unitsPerPixel);
      material.setFloat('lineWidthPx', lineWidth * c.viewport.pixelRatio);
    };
    let lineWidth = 1;

    return {
      update(_prev, next, c) {
        lineWidth = next.lineWidth;
        material.setFloat('cellSize', next.size);
        material.setFloat('hexMode', next.type === 'hex' ? 1 : 0);
        material.setVector2('gridOffset', new Vector2(next.offset.x, next.offset.y));
        material.setFloat('flatHex', next.hexOrientation === 'flat' ? 1 : 0);
        material.setFloat('hexRadius', hexLattice(next.size).radius);
        const [r, g, b] = hexToRgb(next.color);
        material.setColor3('color', new Color3(r, g, b));
        material.setFloat('opacity', next.opacity);
        mesh.setEnabled(next.visible && next.opacity > 0);
        cover(c);
      },
      viewChanged: cover,
      dispose() {
        material.dispose();
        mesh.dispose();
      },
    };
  },
});
