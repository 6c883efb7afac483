import {
  panGesture,
  type PluginAction,
  type ToolContext,
  type ToolDefinition,
  type ToolGesture,
  type WriteResult,
} from '../../engine/plugin';
import { frameCorners, sceneToScreen, screenToScene, type ViewFrame } from '../../engine/render';
import type { Point } from '../../engine/schema';
import type { DisplayProps } from '../../engine/generated/stageProps';
import { fitFrame, frameContains, frameOf, inchSquaresSize, propsOf, turnFrame, worldCorners } from './frame';

/** How close (CSS px) to a frame corner a drag scales the frame instead of moving it. */
const CORNER_GRAB_PX = 16;

const display = (ctx: ToolContext): DisplayProps => ctx.props().display;

const path = (ctx: ToolContext, key: keyof DisplayProps): string[] => [ctx.plugin.key, key];

/** Writes a frame (centre, size and rotation) in one go; the first refusal wins. */
function writeFrame(ctx: ToolContext, frame: ViewFrame): WriteResult {
  const { center, size } = propsOf(frame);
  const writes: [keyof DisplayProps, unknown][] = [
    ['center', center],
    ['size', size],
    ['rotation', String(frame.rotation)],
  ];
  for (const [key, value] of writes) {
    const r = ctx.queuePropertyUpdate(path(ctx, key), value);
    if (!r.ok) return r;
  }
  return { ok: true };
}

/** The aspect (width / height) of the players' display: the largest one reporting, else the frame's own. */
function displayAspect(ctx: ToolContext, frame: ViewFrame): number {
  const d = ctx.displays()[0];
  return d ? d.width / d.height : frame.width / frame.height;
}

const worldOf = (ctx: ToolContext, scene: Point): Point => sceneToScreen(ctx.content, scene);

/**
 * Moves the players' frame with a drag inside it, scales it about its centre
 * with a drag from a corner, and pans the view outside it. One edit gesture,
 * so a drag is one undo step.
 */
export const frameTool: ToolDefinition = {
  id: 'display-frame',
  label: 'Frame',
  key: 'y',
  hint: "Drag the players' frame to move it, drag a corner to zoom it; drag outside to pan",
  cursor: 'move',
  order: 60,
  onPointerDown(ctx, p) {
    const start = frameOf(display(ctx));
    const w0 = worldOf(ctx, p.scene);
    const corner = frameCorners(start).some((c) => {
      const s = sceneToScreen(ctx.viewport, c);
      return Math.hypot(s.x - p.screen.x, s.y - p.screen.y) <= CORNER_GRAB_PX;
    });
    if (!corner && !frameContains(start, w0)) return panGesture(ctx, p.screen);
    const paths = [path(ctx, 'center'), path(ctx, 'size')];
    let moved = false;
    const gesture: ToolGesture = {
      move(q) {
        if (!moved) for (const x of paths) ctx.beginEdit(x);
        moved = true;
        const w = worldOf(ctx, q.scene);
        if (corner) {
          const d0 = Math.max(1e-6, Math.hypot(w0.x - start.center.x, w0.y - start.center.y));
          const k = Math.hypot(w.x - start.center.x, w.y - start.center.y) / d0;
          writeFrame(ctx, { ...start, width: start.width * k, height: start.height * k });
        } else {
          const center = { x: start.center.x + w.x - w0.x, y: start.center.y + w.y - w0.y };
          writeFrame(ctx, { ...start, center });
        }
      },
      end() {
        if (moved) for (const x of paths) ctx.endEdit(x);
      },
      cancel() {
        if (!moved) return;
        writeFrame(ctx, start);
        for (const x of paths) ctx.endEdit(x);
      },
    };
    return gesture;
  },
};

/** The map plugin, whose drawing "fit frame to map" fits. */
const MAP_PLUGIN = 'map';

/** The map in world corners (everything drawn when there is no map), or undefined when nothing is. */
function contentCorners(ctx: ToolContext): Point[] | undefined {
  const b = ctx.contentBounds(MAP_PLUGIN) ?? ctx.contentBounds();
  return b ? worldCorners(b, ctx.content) : undefined;
}

/** Fits the frame, with the display's aspect, around the map. */
export function fitFrameToContent(ctx: ToolContext): WriteResult {
  const frame = frameOf(display(ctx));
  const corners = contentCorners(ctx);
  if (!corners) return { ok: false, reason: 'There is no map to fit the frame to yet.' };
  return writeFrame(ctx, fitFrame(corners, displayAspect(ctx, frame), frame.rotation));
}

export const fitFrameAction: PluginAction = {
  id: 'display-fit-map',
  label: 'Fit frame to map',
  hint: "Size and place the players' frame so the whole map shows on their display",
  run: fitFrameToContent,
};

export const frameViewAction: PluginAction = {
  id: 'display-frame-view',
  label: 'Frame what I see',
  hint: 'Show the players what this viewport shows',
  run(ctx) {
    const frame = frameOf(display(ctx));
    const s = ctx.screenSize();
    const corners = [
      { x: 0, y: 0 },
      { x: s.width, y: 0 },
      { x: s.width, y: s.height },
      { x: 0, y: s.height },
    ].map((c) => screenToScene(ctx.viewport, c));
    return writeFrame(ctx, fitFrame(corners, displayAspect(ctx, frame), frame.rotation));
  },
};

export const turnFrameAction: PluginAction = {
  id: 'display-turn',
  label: 'Turn frame 90°',
  hint: "Turn the players' frame a quarter clockwise (for a TV lying the other way round)",
  run: (ctx) => writeFrame(ctx, turnFrame(frameOf(display(ctx)), 1)),
};

/** Sizes the frame so one grid cell measures one inch on the players' display. */
export const inchSquaresAction: PluginAction = {
  id: 'display-inch-squares',
  label: '1-inch squares',
  hint: "Size the players' frame so each grid square is one inch on the TV (set the screen diagonal first)",
  run(ctx) {
    const d = display(ctx);
    const screen = ctx.displays()[0];
    if (!(d.diagonal > 0)) return { ok: false, reason: "Enter the players' screen diagonal first." };
    if (!screen) return { ok: false, reason: "Open the player view on the players' screen first." };
    const cell = ctx.props().grid.size * ctx.content.zoom;
    const size = inchSquaresSize(cell, screen, d.diagonal, d.diagonalUnit);
    return writeFrame(ctx, { ...frameOf(d), ...size });
  },
};
