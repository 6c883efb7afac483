import { NO_GESTURE, type ToolContext, type ToolDefinition, type ToolPointer } from '../../engine/plugin';
import type { Point } from '../../engine/schema';
import type { FogMask } from './mask';
import { polygon, type FogMode } from './tools';

/** A click this close (CSS px) to the last corner (a double-click) or the first one closes the polygon. */
const CLOSE_PX = 6;

/** The schema's name of the mask channel. */
const TILES = 'tiles';

/** The corners clicked so far (scene units), per tool context: one polygon in progress per page. */
const corners = new WeakMap<ToolContext, Point[]>();

const near = (ctx: ToolContext, a: Point, screen: Point): boolean => {
  const s = ctx.sceneToScreen(a);
  return Math.hypot(s.x - screen.x, s.y - screen.y) <= CLOSE_PX;
};

/** Draws the corners so far and, while hovering, the edge to the pointer. */
function showOutline(ctx: ToolContext, pts: readonly Point[], pointer?: Point): void {
  if (pts.length === 0) return ctx.preview(undefined);
  const screen = [...pts.map((p) => ctx.sceneToScreen(p)), ...(pointer ? [pointer] : [])];
  const xs = screen.map((p) => p.x);
  const ys = screen.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  ctx.preview({
    kind: 'polygon',
    x,
    y,
    width: Math.max(...xs) - x,
    height: Math.max(...ys) - y,
    points: screen,
  });
}

function reset(ctx: ToolContext): void {
  corners.delete(ctx);
  ctx.preview(undefined);
}

/** Reveals (or covers) the polygon clicked so far, in one write, and starts over. */
function close(ctx: ToolContext, mode: FogMode): void {
  const pts = corners.get(ctx) ?? [];
  reset(ctx);
  const tiles = ctx.channel<FogMask>(TILES);
  if (!tiles || pts.length < 3) return;
  const changes = polygon(tiles.state, pts, mode);
  if (changes.size > 0) tiles.apply(changes);
}

const modeOf = (p: { altKey: boolean }): FogMode => (p.altKey ? 'cover' : 'reveal');

/**
 * Polygon reveal, for rooms: click each corner; a double-click (a click on
 * the last corner), a click on the first corner or Enter closes it and
 * reveals the inside (Alt: covers). Backspace drops the last corner, Escape
 * the whole outline.
 */
export const fogPolygonTool: ToolDefinition = {
  id: 'fogPolygon',
  label: 'Polygon',
  key: 'o',
  hint: 'Click the corners of an area; double-click (or click the first corner, or Enter) reveals it (Alt: covers)',
  cursor: 'crosshair',
  order: 24,
  onPointerDown(ctx, p: ToolPointer) {
    const pts = corners.get(ctx) ?? [];
    const last = pts.at(-1);
    const closing = pts.length >= 3 && (near(ctx, last!, p.screen) || near(ctx, pts[0]!, p.screen));
    if (closing) close(ctx, modeOf(p));
    else if (!(last && near(ctx, last, p.screen))) {
      pts.push(p.scene);
      corners.set(ctx, pts);
      showOutline(ctx, pts);
    }
    return NO_GESTURE;
  },
  onHover(ctx, p) {
    const pts = corners.get(ctx);
    if (pts?.length) showOutline(ctx, pts, p.screen);
  },
  onKey(ctx, key) {
    const pts = corners.get(ctx);
    if (!pts?.length) return false;
    if (key.key === 'Enter') close(ctx, modeOf(key));
    else if (key.key === 'Escape') reset(ctx);
    else if (key.key === 'Backspace') {
      pts.pop();
      showOutline(ctx, pts);
    } else return false;
    return true;
  },
  onDeactivate: reset,
};
