import { defineRenderPlugin, hexToRgb, type RenderContext, type SceneRect } from '../../engine/render';
import type { MarkerProps } from '../../engine/generated/stageProps';
import { MarkerBatch, type MarkerInstance } from './batch';
import { createLabelLayer, type LabelItem, type LabelLayer } from './labels';
import { markerAlpha, markerAt } from './rules';
import { GRID_PLUGIN, markerWidth } from './cells';
import { MARKER_SHAPES } from './shader';

type Markers = Readonly<Record<string, MarkerProps>>;

/** The scene's grid cell size from the stage snapshot (marker sizes are in cells). */
function cellSize(c: RenderContext): number {
  const grid = c.stage()[GRID_PLUGIN] as { size?: unknown } | undefined;
  return markerWidth(1, grid?.size);
}

/**
 * The marker plugin: every member of the `markers` collection drawn with thin
 * instances — one draw call for all plain markers, one per distinct image,
 * one for all labels — whatever the number of markers. Handles selection
 * highlight, GM-only dimming (absent for players) and hover visibility, and
 * picks markers for the editor's select and drag tools.
 */
export const markerRender = defineRenderPlugin<Markers>({
  create(ctx) {
    let markers: Markers = {};
    let hovered: string | undefined;
    let selected: ReadonlySet<string> = new Set();
    let cell = cellSize(ctx);
    const batches = new Map<string, MarkerBatch>();
    const labels: LabelLayer | undefined = createLabelLayer(ctx.scene, ctx.layer);

    /** Where each drawn marker sits: its batch (by image), instance index and label index. */
    let slots = new Map<string, { index: number; label: number }>();

    const instanceOf = (id: string, m: MarkerProps, alpha: number, c: RenderContext): MarkerInstance => {
      const w = c.toWorld(m.position);
      return {
        x: w.x,
        y: w.y,
        size: markerWidth(m.size, cell),
        shape: Math.max(0, MARKER_SHAPES.indexOf(m.shape)),
        rgb: hexToRgb(m.color),
        selected: selected.has(id),
        alpha,
      };
    };
    const labelOf = (m: MarkerProps, inst: MarkerInstance): LabelItem => ({
      text: m.label,
      x: inst.x,
      y: inst.y,
      size: inst.size,
      alpha: inst.alpha,
    });

    /**
     * The fast path for edits that keep every marker in its batch and label
     * slot (a drag, a colour or size change): rewrite just those instances.
     * Returns false when the edit needs a rebuild (members added, removed,
     * re-imaged, relabelled, or changing visibility).
     */
    const patch = (prev: Markers, next: Markers, c: RenderContext): boolean => {
      const prevKeys = Object.keys(prev);
      const nextKeys = Object.keys(next);
      if (prevKeys.length !== nextKeys.length) return false;
      const changed: string[] = [];
      for (let i = 0; i < nextKeys.length; i++) {
        const id = nextKeys[i]!;
        if (prevKeys[i] !== id) return false;
        if (prev[id] !== next[id]) changed.push(id);
      }
      if (changed.length > 64) return false;
      for (const id of changed) {
        const a = prev[id]!;
        const b = next[id]!;
        if (a.image !== b.image || a.label !== b.label || a.visibility !== b.visibility) return false;
      }
      for (const id of changed) {
        const slot = slots.get(id);
        const m = next[id]!;
        if (!slot) continue; // not drawn in this view, and still not drawn
        const inst = instanceOf(id, m, markerAlpha(c.plugin, m, c.view, id === hovered), c);
        batches.get(m.image)!.patch(slot.index, inst);
        if (slot.label >= 0) labels?.patch(slot.label, labelOf(m, inst));
      }
      return true;
    };

    const rebuild = (c: RenderContext): void => {
      const groups = new Map<string, MarkerInstance[]>();
      const texts: LabelItem[] = [];
      slots = new Map();
      for (const [id, m] of Object.entries(markers)) {
        const alpha = markerAlpha(c.plugin, m, c.view, id === hovered);
        if (alpha <= 0) continue;
        const list = groups.get(m.image) ?? [];
        groups.set(m.image, list);
        const inst = instanceOf(id, m, alpha, c);
        slots.set(id, { index: list.length, label: m.label ? texts.length : -1 });
        list.push(inst);
        if (m.label) texts.push(labelOf(m, inst));
      }
      for (const [image, batch] of batches)
        if (!groups.has(image)) {
          batch.dispose();
          batches.delete(image);
        }
      for (const [image, list] of groups) {
        let batch = batches.get(image);
        if (!batch) {
          batch = new MarkerBatch(c.scene, c.layer, image, () => c.requestRender());
          batches.set(image, batch);
        }
        batch.setUnitsPerPixel(c.viewport.unitsPerPixel);
        batch.setRotation(c.viewport.current.rotation);
        batch.set(list);
      }
      labels?.set(texts);
      c.requestRender();
    };

    return {
      update(prev, next, c) {
        markers = next;
        const now = cellSize(c);
        const resized = now !== cell;
        cell = now;
        if (prev && !resized && patch(prev, next, c)) c.requestRender();
        else rebuild(c);
      },
      stageChanged(_stage, c) {
        // The grid's cell size changed: every marker's drawn size did.
        const now = cellSize(c);
        if (now === cell) return;
        cell = now;
        rebuild(c);
      },
      viewChanged(c) {
        for (const batch of batches.values()) {
          batch.setUnitsPerPixel(c.viewport.unitsPerPixel);
          batch.setRotation(c.viewport.current.rotation);
        }
        labels?.setRotation(c.viewport.current.rotation);
      },
      pick(point, c) {
        const id = markerAt(c.plugin, markers, point, c.view, cell);
        return id === undefined ? undefined : { plugin: c.plugin.name, id, point };
      },
      hover(id, c) {
        if (id === hovered) return;
        const was = hovered;
        hovered = id;
        // Only hover-visibility markers look different when hovered.
        const affected = [was, id].some((k) => k !== undefined && markers[k]?.visibility === 'hover');
        if (affected) rebuild(c);
      },
      select(ids, c) {
        selected = new Set(ids);
        rebuild(c);
      },
      bounds(): SceneRect | undefined {
        const list = Object.values(markers);
        if (list.length === 0) return undefined;
        const r = (m: MarkerProps) => markerWidth(m.size, cell) / 2;
        const x0 = Math.min(...list.map((m) => m.position.x - r(m)));
        const y0 = Math.min(...list.map((m) => m.position.y - r(m)));
        const x1 = Math.max(...list.map((m) => m.position.x + r(m)));
        const y1 = Math.max(...list.map((m) => m.position.y + r(m)));
        return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
      },
      dispose() {
        for (const batch of batches.values()) batch.dispose();
        batches.clear();
        labels?.dispose();
      },
    };
  },
});
