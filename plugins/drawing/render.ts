import { TriangleBuilder, defineRenderPlugin, hexToRgb } from '../../engine/render';
import type { DrawingProps } from '../../engine/generated/stageProps';
import { isGmOnly } from '../marker/rules';
import { StrokeChunks } from './chunks';
import { hitsStroke, strokePath } from './geometry';

type Strokes = Readonly<Record<string, DrawingProps>>;

/** Alpha factor of GM-layer strokes in the GM view, so the GM tells them apart (players never receive them). */
export const GM_LAYER_DIM = 0.6;

/**
 * The drawing plugin: every stroke as thick-line triangles, in chunks of
 * strokes (see chunks.ts). A stroke is re-triangulated only when its props
 * changed identity (immutable snapshots), and only its chunk is re-uploaded:
 * adding the 1,001st stroke costs about one stroke, not a thousand.
 */
export const drawingRender = defineRenderPlugin<Strokes>({
  create(ctx) {
    const chunks = new StrokeChunks(ctx);
    let strokes: Strokes = {};
    const drawn = new Map<string, DrawingProps>();

    const geometry = (s: DrawingProps): TriangleBuilder => {
      const [r, g, b] = hexToRgb(s.color);
      const a = s.opacity * (isGmOnly(ctx.plugin, s) ? GM_LAYER_DIM : 1);
      const { points, closed } = strokePath(s);
      // Two triangles a segment (a single point: a square, two as well).
      const t = new TriangleBuilder(2 * Math.max(1, points.length));
      t.polyline(points, s.width, [r, g, b, a], closed);
      return t;
    };

    return {
      update(_prev, next, c) {
        strokes = next;
        for (const [id, s] of Object.entries(next)) {
          if (c.view === 'player' && isGmOnly(c.plugin, s)) continue;
          if (drawn.get(id) === s) continue;
          drawn.set(id, s);
          chunks.set(id, geometry(s));
        }
        for (const [id, s] of drawn)
          if (next[id] !== s) {
            drawn.delete(id);
            chunks.delete(id);
          }
        chunks.flush();
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
        chunks.dispose();
      },
    };
  },
});
