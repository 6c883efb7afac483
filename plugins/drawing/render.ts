import { TriangleBuilder, createTriangleLayer, defineRenderPlugin, hexToRgb } from '../../engine/render';
import type { DrawingProps } from '../../engine/generated/stageProps';
import { isGmOnly } from '../marker/rules';
import { hitsStroke, strokePath } from './geometry';

type Strokes = Readonly<Record<string, DrawingProps>>;

/** Alpha factor of GM-layer strokes in the GM view, so the GM tells them apart (players never receive them). */
export const GM_LAYER_DIM = 0.6;

/**
 * The drawing plugin: every stroke as thick-line triangles in one draw call.
 * Each stroke's triangles are cached by the identity of its props (immutable
 * snapshots), so adding the 1,001st stroke re-triangulates one stroke, not all.
 */
export const drawingRender = defineRenderPlugin<Strokes>({
  create(ctx) {
    const layer = createTriangleLayer(ctx, 'strokes');
    let strokes: Strokes = {};
    const cache = new Map<string, { src: DrawingProps; t: TriangleBuilder }>();

    const geometry = (s: DrawingProps): TriangleBuilder => {
      const t = new TriangleBuilder();
      const [r, g, b] = hexToRgb(s.color);
      const a = s.opacity * (isGmOnly(ctx.plugin, s) ? GM_LAYER_DIM : 1);
      const { points, closed } = strokePath(s);
      t.polyline(points, s.width, [r, g, b, a], closed);
      return t;
    };

    return {
      update(_prev, next, c) {
        strokes = next;
        const all = new TriangleBuilder();
        for (const [id, s] of Object.entries(next)) {
          if (c.view === 'player' && isGmOnly(c.plugin, s)) continue;
          let hit = cache.get(id);
          if (!hit || hit.src !== s) cache.set(id, (hit = { src: s, t: geometry(s) }));
          all.append(hit.t);
        }
        for (const id of cache.keys()) if (!(id in next)) cache.delete(id);
        layer.set(all);
        c.requestRender();
      },
      pick(point, c) {
        const slop = 4 * c.viewport.unitsPerPixel * c.viewport.pixelRatio;
        const ids = Object.keys(strokes);
        for (let i = ids.length - 1; i >= 0; i--) {
          const s = strokes[ids[i]!]!;
          if (c.view === 'player' && isGmOnly(c.plugin, s)) continue;
          if (hitsStroke(s, point, slop)) return { plugin: c.plugin.name, id: ids[i]!, point };
        }
        return undefined;
      },
      dispose() {
        layer.dispose();
      },
    };
  },
});
