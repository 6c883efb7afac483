import {
  NO_GESTURE,
  type ToolContext,
  type ToolDefinition,
  type ToolGesture,
  type ToolPointer,
} from '../../engine/plugin';
import { beginMarkerDrag } from './drag';

/** The marker's size in cells, as snapping reads it (a 2×2 marker sits on a cell corner). */
const cellsOf = (ctx: ToolContext, id: string | undefined): number =>
  (id && ctx.props().markers[id]?.size) || 1;

/**
 * Snaps a marker position through the tool host unless Alt is held (placing
 * freely, to whole units). Snapped points keep two decimals: hex centres are
 * not whole numbers.
 */
function snapped(ctx: ToolContext, p: { x: number; y: number }, alt: boolean, cells: number) {
  const q = alt ? p : ctx.snap(p, { cells });
  // Nothing snapped it (Alt, or snapping off): whole units, as the position's step asks.
  if (q === p) return { x: Math.round(p.x), y: Math.round(p.y) };
  return { x: Math.round(q.x * 100) / 100, y: Math.round(q.y * 100) / 100 };
}

/** Adds a marker where the GM clicks (on the grid cell there while snapping is on; Alt: exactly there) and selects it. */
export const addMarkerTool: ToolDefinition = {
  id: 'marker',
  label: 'Add marker',
  key: 'm',
  hint: 'Click to add a marker (it lands on a grid cell while snapping is on; Alt: place freely)',
  cursor: 'crosshair',
  order: 10,
  onPointerDown(ctx, p) {
    const id = ctx.addMember({ position: snapped(ctx, p.scene, p.altKey, cellsOf(ctx, undefined)) });
    if (id) ctx.select({ collection: ctx.plugin.key, id });
    return NO_GESTURE;
  },
};

/**
 * Moving a marker (started by the select tool): one edit gesture, so the
 * whole drag is one undo step; the grab offset is kept; the position snaps
 * through the tool host (the grid offers snapping while its toggle is on)
 * unless Alt is held; cancel puts the marker back.
 */
export function dragMarker(ctx: ToolContext, id: string, start: ToolPointer): ToolGesture | undefined {
  const position = ctx.props().markers[id]?.position;
  if (!position) return undefined;
  const path = [ctx.plugin.key, id, 'position'];
  const drag = beginMarkerDrag(id, position, start.scene);
  let moved = false;
  return {
    move(p) {
      if (!moved) ctx.beginEdit(path);
      moved = true;
      const cells = cellsOf(ctx, id);
      ctx.queuePropertyUpdate(
        path,
        drag.moveTo(p.scene, (q) => snapped(ctx, q, p.altKey, cells)),
      );
    },
    end() {
      if (moved) ctx.endEdit(path);
    },
    cancel() {
      if (!moved) return;
      ctx.queuePropertyUpdate(path, drag.start);
      ctx.endEdit(path);
    },
  };
}
