import type { ToolContext, ToolDefinition, ToolPointer } from '../../engine/plugin';
import type { Point } from '../../engine/schema';
import { MAX_RULER_POINTS, rulerWire } from './presence';

/** A press released within this many CSS px of where it started is a click: it places a waypoint. */
const CLICK_SLOP_PX = 4;

/** Where a ruler point goes: the snapped cell centre, or the exact point while Alt is held. */
const pointAt = (ctx: ToolContext, p: ToolPointer): Point => (p.altKey ? p.scene : ctx.snap(p.scene));

const same = (a: Point, b: Point): boolean => a.x === b.x && a.y === b.y;

/**
 * The ruler. Drag to measure; release ends it and it disappears (Shift at
 * release pins it until the next ruler). A click instead of a drag fixes a
 * waypoint and keeps measuring to the pointer; clicking the last waypoint
 * again ends. The ruler is this user's presence (awareness, sent with the
 * cursor tick): everyone in the scene sees it live, the document never does.
 */
function rulerTool(): ToolDefinition {
  // The open ruler of a page (waypoints placed by clicks), its last point following the pointer.
  const open = new WeakMap<ToolContext, Point[]>();
  const publish = (ctx: ToolContext, pts: readonly Point[], pin = false): void =>
    ctx.setPresence(rulerWire(pts, pin));
  const finish = (ctx: ToolContext, pts: readonly Point[], pin: boolean): void => {
    open.delete(ctx);
    if (pin) publish(ctx, pts, true);
    else ctx.setPresence(null);
  };

  return {
    id: 'ruler',
    label: 'Ruler',
    key: 'u',
    hint: 'Drag to measure (Alt: no snapping); click to add a waypoint; Shift at release pins the ruler',
    cursor: 'crosshair',
    order: 70,
    players: true,
    onPointerDown(ctx, p) {
      const here = pointAt(ctx, p);
      let pts = open.get(ctx);
      if (pts && same(here, pts[pts.length - 2]!)) {
        finish(ctx, pts.slice(0, -1), p.shiftKey);
        return undefined;
      }
      if (pts) {
        pts[pts.length - 1] = here;
        if (pts.length < MAX_RULER_POINTS) pts.push(here);
      } else open.set(ctx, (pts = [here, here]));
      publish(ctx, pts);
      const ruler = pts;
      let dragged = false;
      return {
        move(q) {
          dragged ||= Math.hypot(q.screen.x - p.screen.x, q.screen.y - p.screen.y) > CLICK_SLOP_PX;
          ruler[ruler.length - 1] = pointAt(ctx, q);
          publish(ctx, ruler);
        },
        end(q) {
          if (!dragged) return; // a click: the waypoint stays, measuring goes on to the pointer
          ruler[ruler.length - 1] = pointAt(ctx, q);
          finish(ctx, ruler, q.shiftKey);
        },
        cancel() {
          finish(ctx, ruler, false);
        },
      };
    },
    onHover(ctx, p) {
      const pts = open.get(ctx);
      if (!pts) return;
      const here = pointAt(ctx, p);
      if (same(here, pts[pts.length - 1]!)) return;
      pts[pts.length - 1] = here;
      publish(ctx, pts);
    },
  };
}

export const rulerTools: readonly ToolDefinition[] = [rulerTool()];
