import type { Point } from '../../engine/schema';
import {
  frameCorners,
  sceneToScreen,
  type SceneRect,
  type ScreenSize,
  type ViewFrame,
  type ViewportTransform,
} from '../../engine/render';
import type { DisplayProps } from '../../engine/generated/stageProps';

/** Centimetres per inch, for diagonals entered in cm. */
const CM_PER_INCH = 2.54;

/** The display's frame as the render host takes it, from the stored props. */
export function frameOf(d: Pick<DisplayProps, 'center' | 'size' | 'rotation'>): ViewFrame {
  return { center: d.center, width: d.size.x, height: d.size.y, rotation: Number(d.rotation) };
}

/** The stored props of a frame (size rounded to what the schema keeps). */
export function propsOf(frame: ViewFrame): Pick<DisplayProps, 'center' | 'size'> {
  return {
    center: { x: round2(frame.center.x), y: round2(frame.center.y) },
    size: { x: clampSize(frame.width), y: clampSize(frame.height) },
  };
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
// The schema keeps sizes in [1, 16384]; the frame's aspect survives clamping only when both fit.
const clampSize = (v: number): number => Math.min(16384, Math.max(1, round2(v)));

/** The world corners of a scene rectangle under the content transform (scene → world). */
export function worldCorners(rect: SceneRect, content: ViewportTransform): Point[] {
  return [
    { x: rect.x, y: rect.y },
    { x: rect.x + rect.width, y: rect.y },
    { x: rect.x + rect.width, y: rect.y + rect.height },
    { x: rect.x, y: rect.y + rect.height },
  ].map((p) => sceneToScreen(content, p));
}

/**
 * The smallest frame turned by `rotation` with the display's `aspect`
 * (width / height) that holds every point, centred on their bounding box in
 * the frame's own axes: "fit frame to map", "frame what I see".
 */
export function fitFrame(points: readonly Point[], aspect: number, rotation: number): ViewFrame {
  const a = (-rotation * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  // Into the frame's axes, where the frame is axis-aligned.
  const local = points.map((p) => ({ x: p.x * c - p.y * s, y: p.x * s + p.y * c }));
  const x0 = Math.min(...local.map((p) => p.x));
  const x1 = Math.max(...local.map((p) => p.x));
  const y0 = Math.min(...local.map((p) => p.y));
  const y1 = Math.max(...local.map((p) => p.y));
  const w = Math.max(1, x1 - x0);
  const h = Math.max(1, y1 - y0);
  const width = Math.max(w, h * aspect);
  const mid = { x: (x0 + x1) / 2, y: (y0 + y1) / 2 };
  // Back to the world.
  const center = { x: mid.x * c + mid.y * s, y: -mid.x * s + mid.y * c };
  return { center, width, height: width / aspect, rotation };
}

/** The frame's corners, for the editor's outline and hit tests. */
export { frameCorners };

/** CSS pixels per inch on a screen whose page is `screen` CSS px and whose diagonal is `diagonal` `unit`s. */
export function cssPixelsPerInch(screen: ScreenSize, diagonal: number, unit: 'in' | 'cm'): number {
  const inches = unit === 'cm' ? diagonal / CM_PER_INCH : diagonal;
  return Math.hypot(screen.width, screen.height) / inches;
}

/**
 * The frame size (world units) that makes one grid cell of `cellWorld`
 * world units measure one inch on a display of `screen` CSS px and the given
 * diagonal: the display then shows `cellWorld / pxPerInch` world units per
 * CSS pixel. The size follows the display's own axes (a frame turned 90°
 * still spans the display's width along its own x).
 */
export function inchSquaresSize(
  cellWorld: number,
  screen: ScreenSize,
  diagonal: number,
  unit: 'in' | 'cm',
): { width: number; height: number } {
  const perPx = cellWorld / cssPixelsPerInch(screen, diagonal, unit);
  return { width: screen.width * perPx, height: screen.height * perPx };
}

/** The frame turned a further quarter (`turns` × 90° clockwise) about its centre. */
export function turnFrame(frame: ViewFrame, turns: number): ViewFrame {
  const rotation = (((frame.rotation + 90 * turns) % 360) + 360) % 360;
  return { ...frame, rotation };
}

/** Whether a world point lies inside the frame. */
export function frameContains(frame: ViewFrame, p: Point): boolean {
  const a = (-frame.rotation * Math.PI) / 180;
  const dx = p.x - frame.center.x;
  const dy = p.y - frame.center.y;
  const x = dx * Math.cos(a) - dy * Math.sin(a);
  const y = dx * Math.sin(a) + dy * Math.cos(a);
  return Math.abs(x) <= frame.width / 2 && Math.abs(y) <= frame.height / 2;
}
