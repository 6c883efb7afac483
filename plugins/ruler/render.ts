import {
  TriangleBuilder,
  createTriangleLayer,
  defineRenderPlugin,
  hexToRgb,
  type RenderContext,
} from '../../engine/render';
import type { PresenceEntry } from '../../engine/plugin';
import { defaultGridProps, type GridProps, type RulerProps } from '../../engine/generated/stageProps';
import { createLabelLayer, type LabelItem } from '../marker/labels';
import { rulerReadout } from './measure';
import { rulerPoints, type RulerValue } from './presence';

/** Line width, outline and point dots in CSS px: the ruler reads the same at every zoom. */
const LINE_PX = 3;
const OUTLINE_PX = 7;
const DOT_PX = 9;
/** Label text height in CSS px. */
const LABEL_PX = 18;

/**
 * Everyone's rulers in the scene on screen: the path (outlined so it shows
 * on any map), a dot at each point, each leg's length at its middle and the
 * total at the end, in grid units. A GM's ruler takes the scene's ruler
 * colour, a player's their own colour. Nothing is drawn once a ruler is
 * cleared: rulers exist only as presence.
 */
export const rulerRender = defineRenderPlugin<RulerProps>({
  create(ctx) {
    const layer = createTriangleLayer(ctx, 'ruler');
    const labels = createLabelLayer(ctx.scene, ctx.layer, 'ruler-labels');
    let color = '#ffd43b';
    let rulers: readonly PresenceEntry<RulerValue>[] = [];

    const draw = (c: RenderContext): void => {
      const grid = (c.stage().grid as GridProps | undefined) ?? defaultGridProps;
      // Scene units per CSS pixel at the current zoom.
      const k = c.viewport.unitsPerPixel * c.viewport.pixelRatio;
      const t = new TriangleBuilder();
      const items: LabelItem[] = [];
      for (const r of rulers) {
        const pts = rulerPoints(r.value);
        const [red, green, blue] = hexToRgb(r.user.role === 'player' ? r.user.color : color);
        t.polyline(pts, OUTLINE_PX * k, [0, 0, 0, 0.45]);
        t.polyline(pts, LINE_PX * k, [red, green, blue, 1]);
        for (const p of pts) t.polyline([p], DOT_PX * k, [red, green, blue, 1]);
        const readout = rulerReadout(pts, grid);
        for (const label of [...readout.legs, readout.total]) {
          const w = c.toWorld(label.at);
          items.push({ text: label.text, x: w.x, y: w.y, size: DOT_PX * k, alpha: 1, height: LABEL_PX * k });
        }
      }
      layer.set(t);
      if (labels) {
        // What the labels say, for anyone checking what a view shows (the TV's end-to-end tests).
        labels.mesh.metadata = { texts: items.map((i) => i.text) };
        labels.setRotation(c.viewport.current.rotation);
        labels.set(items);
      }
      c.requestRender();
    };

    return {
      update(_prev, next, c) {
        if (next.color === color) return;
        color = next.color;
        if (rulers.length) draw(c);
      },
      presence(entries, c) {
        const next = entries as readonly PresenceEntry<RulerValue>[];
        if (next.length === 0 && rulers.length === 0) return;
        rulers = next;
        draw(c);
      },
      stageChanged(_stage, c) {
        if (rulers.length) draw(c);
      },
      viewChanged(c) {
        if (rulers.length) draw(c);
      },
      dispose() {
        layer.dispose();
        labels?.dispose();
      },
    };
  },
});
