import type { ToolContext, ToolDefinition, ToolGesture, ToolPointer } from '../../engine/plugin';
import type { Point } from '../../engine/schema';
import { brushRadius, hideBrush, resizeBrushKey, showBrush } from './brushSize';
import type { FogMask } from './mask';
import { fogPolygonTool } from './polygonTool';
import { brush, ellipse, rectangle, type FogMode } from './tools';

/** The schema's name of the mask channel. */
export const TILES = 'tiles';

const invert = (mode: FogMode, alt: boolean): FogMode =>
  alt ? (mode === 'reveal' ? 'cover' : 'reveal') : mode;

function brushGesture(ctx: ToolContext, start: ToolPointer, mode: FogMode): ToolGesture | undefined {
  const tiles = ctx.channel<FogMask>(TILES);
  if (!tiles) return undefined;
  const radius = () => brushRadius(ctx);
  let last = start.scene;
  tiles.apply(brush(tiles.state, { points: [last], radius: radius() }, mode));
  return {
    move(p) {
      showBrush(ctx, p.screen);
      const changes = brush(tiles.state, { points: [last, p.scene], radius: radius() }, mode);
      last = p.scene;
      if (changes.size > 0) tiles.apply(changes);
    },
    end() {},
    cancel() {},
  };
}

function shapeGesture(
  ctx: ToolContext,
  start: ToolPointer,
  kind: 'rect' | 'ellipse',
): ToolGesture | undefined {
  const tiles = ctx.channel<FogMask>(TILES);
  if (!tiles) return undefined;
  const box = (p: Point) => ({
    kind,
    x: Math.min(start.screen.x, p.x),
    y: Math.min(start.screen.y, p.y),
    width: Math.abs(p.x - start.screen.x),
    height: Math.abs(p.y - start.screen.y),
  });
  return {
    move(p) {
      ctx.preview(box(p.screen));
    },
    end(p) {
      ctx.preview(undefined);
      const a = start.scene;
      const b = p.scene;
      const rect = { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y };
      const changes = (kind === 'rect' ? rectangle : ellipse)(tiles.state, rect, invert('reveal', p.altKey));
      if (changes.size > 0) tiles.apply(changes);
    },
    cancel() {
      ctx.preview(undefined);
    },
  };
}

/** The brushes' shared handlers: the outline under the pointer, [ and ] for its size. */
const brushHandlers = {
  onHover: (ctx: ToolContext, p: ToolPointer) => showBrush(ctx, p.screen),
  onKey: resizeBrushKey,
  onDeactivate: hideBrush,
} satisfies Partial<ToolDefinition>;

/** The fog tools: two brushes, a rectangle, an ellipse and a polygon; Alt swaps reveal and cover. */
export const fogTools: readonly ToolDefinition[] = [
  {
    id: 'fogReveal',
    label: 'Reveal',
    key: 'r',
    hint: 'Brush: reveal fog (Alt: cover; [ / ]: brush size)',
    cursor: 'crosshair',
    order: 20,
    onPointerDown: (ctx, p) => brushGesture(ctx, p, invert('reveal', p.altKey)),
    ...brushHandlers,
  },
  {
    id: 'fogCover',
    label: 'Cover',
    key: 'c',
    hint: 'Brush: cover with fog (Alt: reveal; [ / ]: brush size)',
    cursor: 'crosshair',
    order: 21,
    onPointerDown: (ctx, p) => brushGesture(ctx, p, invert('cover', p.altKey)),
    ...brushHandlers,
  },
  {
    id: 'fogRect',
    label: 'Rectangle',
    key: 'x',
    hint: 'Drag a rectangle to reveal (Alt: cover)',
    cursor: 'crosshair',
    order: 22,
    onPointerDown: (ctx, p) => shapeGesture(ctx, p, 'rect'),
  },
  {
    id: 'fogEllipse',
    label: 'Ellipse',
    key: 'e',
    hint: 'Drag an ellipse to reveal (Alt: cover)',
    cursor: 'crosshair',
    order: 23,
    onPointerDown: (ctx, p) => shapeGesture(ctx, p, 'ellipse'),
  },
  fogPolygonTool,
];
