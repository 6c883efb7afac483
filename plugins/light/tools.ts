import {
  NO_GESTURE,
  type ToolContext,
  type ToolDefinition,
  type ToolGesture,
  type ToolPointer,
} from '../../engine/plugin';

/** Places a light where the GM clicks (Shift snaps it to a cell centre) and selects it. */
export const placeLightTool: ToolDefinition = {
  id: 'light',
  label: 'Place light',
  key: 'l',
  hint: 'Click to place a light (Shift: on a cell centre)',
  cursor: 'crosshair',
  order: 60,
  onPointerDown(ctx, p) {
    const at = p.shiftKey ? ctx.snap(p.scene) : p.scene;
    const id = ctx.addMember({ position: { x: Math.round(at.x), y: Math.round(at.y) } });
    if (id) ctx.select({ collection: ctx.plugin.key, id });
    return NO_GESTURE;
  },
};

/**
 * Moving a light by its handle (started by the select tool): one edit
 * gesture, the grab offset kept, Shift snaps, cancel puts it back.
 */
export function dragLight(ctx: ToolContext, id: string, start: ToolPointer): ToolGesture | undefined {
  const origin = ctx.props().lights[id]?.position;
  if (!origin) return undefined;
  const path = [ctx.plugin.key, id, 'position'];
  const grab = { x: origin.x - start.scene.x, y: origin.y - start.scene.y };
  let moved = false;
  return {
    move(p) {
      if (!moved) ctx.beginEdit(path);
      moved = true;
      const raw = { x: Math.round(p.scene.x + grab.x), y: Math.round(p.scene.y + grab.y) };
      ctx.queuePropertyUpdate(path, p.shiftKey ? ctx.snap(raw) : raw);
    },
    end() {
      if (moved) ctx.endEdit(path);
    },
    cancel() {
      if (!moved) return;
      ctx.queuePropertyUpdate(path, origin);
      ctx.endEdit(path);
    },
  };
}
