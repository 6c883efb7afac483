import {
  TriangleBuilder,
  createTriangleLayer,
  defineRenderPlugin,
  hexToRgb,
  type RenderContext,
} from '../../engine/render';
import { defaultGridProps, type GridProps, type TemplateProps } from '../../engine/generated/stageProps';
import type { Point } from '../../engine/schema';
import { isGmOnly } from '../marker/rules';
import { cellCentre, type Cell, type GridUnits } from '../grid/distance';
import { hexLattice } from '../grid/snap';
import { coveredCells, insidePolygon, outline } from './geometry';

type Templates = Readonly<Record<string, TemplateProps>>;

/** Alpha factor of GM-only templates in the GM view (players never receive them). */
export const GM_ONLY_DIM = 0.5;
const SELECTED = [0.2, 0.6, 1, 1] as const;

/** The grid the templates measure against: the grid plugin's group, or its defaults before it arrives. */
export function gridOf(ctx: RenderContext): GridUnits {
  return (ctx.stage().grid as GridProps | undefined) ?? defaultGridProps;
}

/** A cell's outline: a square, or a pointy-top hexagon. */
export function cellPolygon(c: Cell, grid: GridUnits): Point[] {
  const centre = cellCentre(c, grid);
  if (grid.type === 'square') {
    const h = grid.size / 2;
    return [
      { x: centre.x - h, y: centre.y - h },
      { x: centre.x + h, y: centre.y - h },
      { x: centre.x + h, y: centre.y + h },
      { x: centre.x - h, y: centre.y + h },
    ];
  }
  const r = hexLattice(grid.size).radius;
  return Array.from({ length: 6 }, (_, i) => {
    const a = ((60 * i - 90) * Math.PI) / 180;
    return { x: centre.x + Math.cos(a) * r, y: centre.y + Math.sin(a) * r };
  });
}

/**
 * The template plugin: every template's covered cells filled at its opacity
 * (per the grid's type and diagonal rule), its exact shape lightly over them
 * and its outline, all in one draw call. Reads the grid's group (cell size,
 * units, diagonal rule) through the host's `ctx.stage()`.
 */
export const templateRender = defineRenderPlugin<Templates>({
  create(ctx) {
    const layer = createTriangleLayer(ctx, 'templates');
    let templates: Templates = {};
    let selected: ReadonlySet<string> = new Set();

    let lastGrid: unknown;
    const rebuild = (c: RenderContext): void => {
      const grid = gridOf(c);
      lastGrid = grid;
      const t = new TriangleBuilder();
      const line = Math.max(1, grid.size / 32);
      for (const [id, m] of Object.entries(templates)) {
        const gmOnly = isGmOnly(c.plugin, m);
        if (gmOnly && c.view === 'player') continue;
        const [r, g, b] = hexToRgb(m.color);
        const a = m.opacity * (gmOnly ? GM_ONLY_DIM : 1);
        for (const cell of coveredCells(m, grid)) t.fan(cellPolygon(cell, grid), [r, g, b, a]);
        const shape = outline(m, grid);
        t.polyline(shape, line, selected.has(id) ? SELECTED : [r, g, b, Math.min(1, a * 2.5)], true);
      }
      layer.set(t);
      c.requestRender();
    };

    return {
      update(_prev, next, c) {
        templates = next;
        rebuild(c);
      },
      // The grid (cell size, units, diagonal rule) lives in another plugin's group: redraw when the stage changes.
      stageChanged(stage, c) {
        if (stage.grid !== lastGrid) rebuild(c);
      },
      select(ids, c) {
        selected = ids;
        rebuild(c);
      },
      pick(point, c) {
        const grid = gridOf(c);
        const ids = Object.keys(templates);
        for (let i = ids.length - 1; i >= 0; i--) {
          const m = templates[ids[i]!]!;
          if (c.view === 'player' && isGmOnly(c.plugin, m)) continue;
          if (insidePolygon(point, outline(m, grid))) return { plugin: c.plugin.name, id: ids[i]!, point };
        }
        return undefined;
      },
      dispose() {
        layer.dispose();
      },
    };
  },
});
