import type { ToolContext, ToolKey } from '../../engine/plugin';
import type { Point } from '../../engine/schema';

/** The schema's brush-size bounds and step (kept in step with `fogOfWar.schema.ts`). */
const MIN = 8;
const MAX = 400;
const STEP = 4;

/** The brush property's key in the plugin's group. */
const BRUSH_SIZE = 'brushSize';

/** The brush diameter on screen, CSS px (the GM's own, local-only). */
export const brushDiameter = (ctx: ToolContext): number => ctx.props().fogOfWar.brushSize;

/**
 * The brush radius in scene units for the current view: the diameter is on
 * screen, so the brush feels the same at every zoom of the view or the map.
 */
export const brushRadius = (ctx: ToolContext): number =>
  brushDiameter(ctx) / 2 / Math.max(1e-6, ctx.viewport.zoom * ctx.content.zoom);

/** Where the pointer last hovered (screen px), so a resize redraws the outline in place. */
const lastPointer = new WeakMap<ToolContext, Point>();

/** Shows the brush outline (a circle the brush's size) centred on a screen point. */
export function showBrush(ctx: ToolContext, at: Point): void {
  lastPointer.set(ctx, at);
  const r = brushDiameter(ctx) / 2;
  ctx.preview({ kind: 'ellipse', x: at.x - r, y: at.y - r, width: 2 * r, height: 2 * r });
}

/** `[` shrinks and `]` grows the brush (by a step; Shift: by a quarter), within the schema's bounds. */
export function resizeBrushKey(ctx: ToolContext, key: ToolKey): boolean {
  if (key.key !== '[' && key.key !== ']' && key.key !== '{' && key.key !== '}') return false;
  const grow = key.key === ']' || key.key === '}';
  const now = brushDiameter(ctx);
  const by = key.shiftKey ? Math.max(STEP, Math.round(now / 4 / STEP) * STEP) : STEP;
  const next = Math.min(MAX, Math.max(MIN, now + (grow ? by : -by)));
  ctx.queuePropertyUpdate([ctx.plugin.key, BRUSH_SIZE], next);
  const at = lastPointer.get(ctx);
  if (at) showBrush(ctx, at);
  return true;
}

/** Hides the outline when the brush is put down. */
export function hideBrush(ctx: ToolContext): void {
  lastPointer.delete(ctx);
  ctx.preview(undefined);
}
