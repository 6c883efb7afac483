import type { Point } from '../schema';

/**
 * A per-user view of the scene: `screen = R(rotation) · (scene · zoom) + offset`,
 * with screen and scene both y-down, screen in CSS pixels from the canvas'
 * top-left corner and rotation in degrees, clockwise on screen. The default
 * `{offset: 0, zoom: 1, rotation: 0}` shows the scene 1:1 from its origin,
 * which is where a map's top-left corner sits by default.
 */
export interface ViewportTransform {
  offset: Point;
  zoom: number;
  rotation: number;
}

/** CSS-pixel size of the canvas. */
export interface ScreenSize {
  width: number;
  height: number;
}

export const IDENTITY_VIEWPORT: ViewportTransform = Object.freeze({
  offset: Object.freeze({ x: 0, y: 0 }),
  zoom: 1,
  rotation: 0,
});

const rad = (deg: number): number => (deg * Math.PI) / 180;

function rotate(p: Point, deg: number): Point {
  const c = Math.cos(rad(deg));
  const s = Math.sin(rad(deg));
  return { x: p.x * c - p.y * s, y: p.x * s + p.y * c };
}

/** Scene point → CSS pixel on the canvas. */
export function sceneToScreen(t: ViewportTransform, p: Point): Point {
  const r = rotate({ x: p.x * t.zoom, y: p.y * t.zoom }, t.rotation);
  return { x: r.x + t.offset.x, y: r.y + t.offset.y };
}

/** CSS pixel on the canvas → scene point (inverse of {@link sceneToScreen}). */
export function screenToScene(t: ViewportTransform, p: Point): Point {
  const r = rotate({ x: p.x - t.offset.x, y: p.y - t.offset.y }, -t.rotation);
  return { x: r.x / t.zoom, y: r.y / t.zoom };
}

/** Moves the view by a screen delta (a pan drag). */
export function panBy(t: ViewportTransform, dx: number, dy: number): ViewportTransform {
  return { ...t, offset: { x: t.offset.x + dx, y: t.offset.y + dy } };
}

/** Multiplies the zoom by `factor`, keeping the scene point under `at` (CSS px) in place (wheel zoom). */
export function zoomAt(
  t: ViewportTransform,
  at: Point,
  factor: number,
  min = 0.05,
  max = 20,
): ViewportTransform {
  const zoom = Math.min(max, Math.max(min, t.zoom * factor));
  const anchor = screenToScene(t, at);
  const moved = sceneToScreen({ ...t, zoom }, anchor);
  return { ...t, zoom, offset: { x: t.offset.x + at.x - moved.x, y: t.offset.y + at.y - moved.y } };
}

/** Rotates the view by `deg` about the screen point `at`; the result's rotation stays in [-180, 180]. */
export function rotateAbout(t: ViewportTransform, at: Point, deg: number): ViewportTransform {
  let rotation = t.rotation + deg;
  rotation = ((((rotation + 180) % 360) + 360) % 360) - 180;
  const anchor = screenToScene(t, at);
  const moved = sceneToScreen({ ...t, rotation }, anchor);
  return { ...t, rotation, offset: { x: t.offset.x + at.x - moved.x, y: t.offset.y + at.y - moved.y } };
}

/**
 * The transform that shows `rect` whole and centred with `padding` CSS pixels
 * around it, keeping `rotation`. Used by fit-to-screen and the player view.
 */
export function fitRect(
  rect: { x: number; y: number; width: number; height: number },
  screen: ScreenSize,
  padding = 0,
  rotation = 0,
): ViewportTransform {
  const corners = [
    { x: rect.x, y: rect.y },
    { x: rect.x + rect.width, y: rect.y },
    { x: rect.x, y: rect.y + rect.height },
    { x: rect.x + rect.width, y: rect.y + rect.height },
  ].map((p) => rotate(p, rotation));
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const w = Math.max(1e-6, Math.max(...xs) - Math.min(...xs));
  const h = Math.max(1e-6, Math.max(...ys) - Math.min(...ys));
  const availW = Math.max(1, screen.width - 2 * padding);
  const availH = Math.max(1, screen.height - 2 * padding);
  const zoom = Math.min(availW / w, availH / h);
  const centre = rotate(
    { x: (rect.x + rect.width / 2) * zoom, y: (rect.y + rect.height / 2) * zoom },
    rotation,
  );
  return { zoom, rotation, offset: { x: screen.width / 2 - centre.x, y: screen.height / 2 - centre.y } };
}

/** The axis-aligned scene rectangle covering the whole screen under `t`. */
export function visibleSceneRect(
  t: ViewportTransform,
  screen: ScreenSize,
): { x: number; y: number; width: number; height: number } {
  const pts = [
    { x: 0, y: 0 },
    { x: screen.width, y: 0 },
    { x: 0, y: screen.height },
    { x: screen.width, y: screen.height },
  ].map((p) => screenToScene(t, p));
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

/**
 * `outer ∘ inner`: the one transform that applies `inner` then `outer`
 * (both similarities, so the result is one too). The host composes the
 * user's view (world → screen) with the content transform (scene → world).
 */
export function composeTransforms(outer: ViewportTransform, inner: ViewportTransform): ViewportTransform {
  const o = rotate({ x: inner.offset.x * outer.zoom, y: inner.offset.y * outer.zoom }, outer.rotation);
  return {
    zoom: outer.zoom * inner.zoom,
    rotation: outer.rotation + inner.rotation,
    offset: { x: outer.offset.x + o.x, y: outer.offset.y + o.y },
  };
}

/**
 * A rectangle of the world a display shows: its centre, its extent along the
 * display's own horizontal and vertical axes, and how far it is turned
 * (degrees clockwise in the world). A frame turned 90° shows the world turned
 * back by 90°, so what lies along the frame's top edge is at the top of the screen.
 */
export interface ViewFrame {
  readonly center: Point;
  readonly width: number;
  readonly height: number;
  readonly rotation: number;
}

/**
 * The view (world → screen) that shows `frame` whole, centred, undistorted
 * and as large as `screen` allows; the screen's leftover bands (when the
 * aspects differ) are outside the frame.
 */
export function frameView(frame: ViewFrame, screen: ScreenSize): ViewportTransform {
  const zoom = Math.min(
    screen.width / Math.max(1e-6, frame.width),
    screen.height / Math.max(1e-6, frame.height),
  );
  const rotation = -frame.rotation;
  const c = rotate({ x: frame.center.x * zoom, y: frame.center.y * zoom }, rotation);
  return { zoom, rotation, offset: { x: screen.width / 2 - c.x, y: screen.height / 2 - c.y } };
}

/** The four corners of a frame in world units, clockwise from the display's top-left. */
export function frameCorners(frame: ViewFrame): Point[] {
  const hw = frame.width / 2;
  const hh = frame.height / 2;
  return [
    { x: -hw, y: -hh },
    { x: hw, y: -hh },
    { x: hw, y: hh },
    { x: -hw, y: hh },
  ].map((p) => {
    const r = rotate(p, frame.rotation);
    return { x: frame.center.x + r.x, y: frame.center.y + r.y };
  });
}
