import type { ToolContext, ToolDefinition, ToolGesture, ToolPointer } from '../../engine/plugin';
import type { GridProps, TemplateProps } from '../../engine/generated/stageProps';
import type { Point } from '../../engine/schema';

type Shape = TemplateProps['shape'];

/** Degrees clockwise from +x (scene y down) from `a` towards `b`, rounded to whole degrees. */
export const directionTo = (a: Point, b: Point): number =>
  Math.round((Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI);

/**
 * Placing a template: press at its origin (snapped to the grid unless Alt is
 * held), drag to aim it — one member write on press, then one edit gesture
 * for the direction, so placing is two undo-able writes and aiming travels
 * as a preview. Sizes start at the shape's usual 20 ft (line 30 × 5 ft) in the grid's units.
 */
function placeTool(shape: Shape, label: string, order: number, key?: string): ToolDefinition {
  return {
    id: `template-${shape}`,
    label,
    ...(key ? { key } : {}),
    hint: `Click to place a ${label.toLowerCase()}; drag to aim it (Alt: no snapping)`,
    cursor: 'crosshair',
    order,
    onPointerDown(ctx: ToolContext, p: ToolPointer): ToolGesture | undefined {
      const grid: GridProps = ctx.props().grid;
      const origin = p.altKey ? p.scene : ctx.snap(p.scene);
      const perCell = grid.unitDistance;
      const size = shape === 'line' ? 6 * perCell : 4 * perCell;
      const id = ctx.addMember({
        shape,
        origin: { x: Math.round(origin.x), y: Math.round(origin.y) },
        size,
        width: perCell,
      });
      if (!id) return undefined;
      ctx.select({ collection: ctx.plugin.key, id });
      const path = [ctx.plugin.key, id, 'direction'];
      let aiming = false;
      return {
        move(q) {
          if (Math.hypot(q.scene.x - origin.x, q.scene.y - origin.y) < grid.size / 4) return;
          if (!aiming) ctx.beginEdit(path);
          aiming = true;
          ctx.queuePropertyUpdate(path, directionTo(origin, q.scene));
        },
        end() {
          if (aiming) ctx.endEdit(path);
        },
        cancel() {
          if (aiming) ctx.endEdit(path);
          ctx.removeMember(id);
        },
      };
    },
  };
}

export const templateTools: readonly ToolDefinition[] = [
  placeTool('circle', 'Sphere template', 40, 't'),
  placeTool('cone', 'Cone template', 41),
  placeTool('square', 'Cube template', 42),
  placeTool('line', 'Line template', 43),
];

/**
 * Moving a template with the select tool: one edit gesture on its origin
 * (one undo step); Shift snaps the origin to the grid.
 */
export function dragTemplate(ctx: ToolContext, id: string, start: ToolPointer): ToolGesture | undefined {
  const member = ctx.props().templates[id];
  if (!member) return undefined;
  const from = member.origin;
  const grab = { x: from.x - start.scene.x, y: from.y - start.scene.y };
  const path = [ctx.plugin.key, id, 'origin'];
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
      ctx.queuePropertyUpdate(path, from);
      ctx.endEdit(path);
    },
  };
}
