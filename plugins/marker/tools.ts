import {
  NO_GESTURE,
  type ToolContext,
  type ToolDefinition,
  type ToolGesture,
  type ToolPointer,
} from '../../engine/plugin';
import { beginMarkerDrag } from './drag';

/** Adds a marker where the GM clicks and selects it. */
export const addMarkerTool: ToolDefinition = {
  id: 'marker',
  label: 'Add marker',
  key: 'm',
  hint: 'Click to add a marker',
  cursor: 'crosshair',
  order: 10,
  onPointerDown(ctx, p) {
    const id = ctx.addMember({ position: { x: Math.round(p.scene.x), y: Math.round(p.scene.y) } });
    if (id) ctx.select({ collection: ctx.plugin.key, id });
    return NO_GESTURE;
  },
};

/**
 * Moving a marker (started by the select tool): one edit gesture, so the
 * whole drag is one undo step; the grab offset is kept; Shift snaps through
 * the tool host (the grid offers snapping); cancel puts the marker back.
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
      ctx.queuePropertyUpdate(path, drag.moveTo(p.scene, p.shiftKey ? (q) => ctx.snap(q) : undefined));
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
