import { NO_GESTURE, panGesture, type ToolDefinition } from '../../engine/plugin';

/**
 * Selects what the pointer is on; dragging a member moves it with the drag
 * its own plugin defines. On empty space it deselects and pans.
 */
export const selectTool: ToolDefinition = {
  id: 'select',
  label: 'Select',
  key: 'v',
  hint: 'Select and move markers; drag empty space to pan',
  order: 0,
  selects: true,
  onPointerDown(ctx, p) {
    const hit = ctx.pick(p.screen);
    const member = hit && ctx.memberOf(hit);
    if (!member) {
      ctx.select(undefined);
      return panGesture(ctx, p.screen);
    }
    ctx.select(member);
    return ctx.dragMember(member, p) ?? NO_GESTURE;
  },
};

/** Drags the view. */
export const panTool: ToolDefinition = {
  id: 'pan',
  label: 'Pan',
  key: 'h',
  hint: 'Drag to pan',
  cursor: 'grab',
  order: 90,
  onPointerDown: (ctx, p) => panGesture(ctx, p.screen),
};
