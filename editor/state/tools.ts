import type { StageRenderer } from '../../engine/render';
import { TOOL_PATH } from '../../plugins/scene/view';
import { panBy, rotateAbout, zoomAt, type ViewportTransform } from '../../engine/render';
import type { Point, PropInfo } from '../../engine/schema';
import { humanize } from '../../engine/schema';
import { registry } from '../../engine/generated/schemas';
import type { StageProps } from '../../engine/generated/stageProps';
import {
  beginMarkerDrag,
  brush,
  ellipse,
  rectangle,
  type FogChanges,
  type FogMask,
  type FogMode,
  type MarkerDrag,
} from '../../plugins';

/** A member of a collection, named the way the renderer's pick names it. */
export interface MemberRef {
  /** Collection key in StageProps (e.g. the markers collection). */
  readonly collection: string;
  readonly id: string;
}

/** What a tool may do to the scene: everything goes through the property sink or the fog blobs. */
export interface ToolHost {
  readonly renderer: StageRenderer;
  props(): StageProps;
  queuePropertyUpdate(path: string[], value: unknown): { ok: boolean; reason?: string };
  beginEdit(path: string[]): void;
  endEdit(path: string[]): void;
  selection(): MemberRef | undefined;
  select(member: MemberRef | undefined): void;
  /** Adds a member to a collection at a scene point; returns its id. */
  addMember(collection: string, at: Point): string | undefined;
  /** The current scene's fog mask (tools mutate it), and where their changes go. */
  fogMask(): FogMask;
  applyFog(changes: FogChanges): void;
  /** The per-user viewport; the tools change it through the local-only view properties. */
  setViewport(t: ViewportTransform): void;
  /** Shows (or hides, with `undefined`) the dashed preview of a rectangle / ellipse drag, in CSS px. */
  preview(
    shape: { kind: 'rect' | 'ellipse'; x: number; y: number; width: number; height: number } | undefined,
  ): void;
}

/** One pointer gesture of a tool. */
export interface Gesture {
  move(screen: Point, e: PointerEvent): void;
  end(screen: Point, e: PointerEvent): void;
  cancel(): void;
}

/** An editor tool as the toolbar shows it. */
export interface ToolInfo {
  readonly id: string;
  readonly label: string;
  /** Single key that selects the tool. */
  readonly key: string;
  readonly hint: string;
}

/**
 * The editor's tools come from the view plugin's local-only `tool` property:
 * its enum values are the tools, in order. Known ones get a key and a hint;
 * a tool a schema adds without an implementation falls back to selecting.
 */
export { TOOL_PATH };
const toolProp: PropInfo | undefined = registry.byPath(TOOL_PATH);

const KNOWN: Record<string, { key: string; hint: string; label?: string }> = {
  select: { key: 'v', hint: 'Select and move markers; drag empty space to pan' },
  marker: { key: 'm', hint: 'Click to add a marker', label: 'Add marker' },
  fogReveal: { key: 'r', hint: 'Brush: reveal fog (Alt: cover)', label: 'Reveal' },
  fogCover: { key: 'c', hint: 'Brush: cover with fog (Alt: reveal)', label: 'Cover' },
  fogRect: { key: 'x', hint: 'Drag a rectangle to reveal (Alt: cover)', label: 'Rectangle' },
  fogEllipse: { key: 'e', hint: 'Drag an ellipse to reveal (Alt: cover)', label: 'Ellipse' },
  pan: { key: 'h', hint: 'Drag to pan', label: 'Pan' },
};

export const TOOLS: readonly ToolInfo[] = (
  toolProp?.decl.kind === 'enum' ? toolProp.decl.values : ['select']
).map((id) => ({
  id,
  label: KNOWN[id]?.label ?? humanize(id),
  key: KNOWN[id]?.key ?? '',
  hint: KNOWN[id]?.hint ?? humanize(id),
}));

/** The first property of a collection that holds a position (its `point` property), found in the registry. */
export function positionProp(collection: string): PropInfo | undefined {
  return registry.collection(collection)?.props.find((p) => p.decl.kind === 'point');
}

/** Brush radius in CSS pixels; the scene radius follows the zoom so the brush feels the same at every zoom. */
export const BRUSH_RADIUS_PX = 28;

/** Starts the gesture of `tool` at a screen point (CSS px, relative to the canvas). */
export function startGesture(
  tool: string,
  host: ToolHost,
  screen: Point,
  e: PointerEvent,
): Gesture | undefined {
  // Middle or right button always pans, whatever the tool.
  if (e.button === 1 || e.button === 2 || tool === 'pan') return panGesture(host, screen);
  const scene = host.renderer.screenToScene(screen);
  switch (tool) {
    case 'marker':
      return addMarkerGesture(host, scene);
    case 'fogReveal':
    case 'fogCover':
      return brushGesture(host, scene, modeOf(tool === 'fogReveal' ? 'reveal' : 'cover', e.altKey));
    case 'fogRect':
    case 'fogEllipse':
      return shapeGesture(host, screen, tool === 'fogRect' ? 'rect' : 'ellipse');
    default:
      return selectGesture(host, screen, scene);
  }
}

const modeOf = (mode: FogMode, invert: boolean): FogMode =>
  invert ? (mode === 'reveal' ? 'cover' : 'reveal') : mode;

function panGesture(host: ToolHost, start: Point): Gesture {
  let last = start;
  return {
    move(p) {
      host.setViewport(panBy(host.renderer.viewport, p.x - last.x, p.y - last.y));
      last = p;
    },
    end() {},
    cancel() {},
  };
}

function collectionOfPlugin(pluginName: string): string | undefined {
  const info = registry.plugin(pluginName);
  return info?.attachTo === 'collection' ? info.key : undefined;
}

function selectGesture(host: ToolHost, screen: Point, scene: Point): Gesture {
  const hit = host.renderer.pick(screen.x, screen.y);
  const collection = hit ? collectionOfPlugin(hit.plugin) : undefined;
  if (!hit || !collection) {
    host.select(undefined);
    return panGesture(host, screen);
  }
  host.select({ collection, id: hit.id });
  const prop = positionProp(collection);
  const members = (host.props() as unknown as Record<string, unknown>)[collection] as
    Record<string, Record<string, unknown>> | undefined;
  const position = prop ? (members?.[hit.id]?.[prop.key] as Point | undefined) : undefined;
  if (!prop || !position) return { move() {}, end() {}, cancel() {} };
  const path = [collection, hit.id, prop.key];
  const drag: MarkerDrag = beginMarkerDrag(hit.id, position, scene);
  let moved = false;
  return {
    move(p) {
      if (!moved) host.beginEdit(path);
      moved = true;
      host.queuePropertyUpdate(path, drag.moveTo(host.renderer.screenToScene(p)));
    },
    end() {
      if (moved) host.endEdit(path);
    },
    cancel() {
      if (moved) {
        host.queuePropertyUpdate(path, drag.start);
        host.endEdit(path);
      }
    },
  };
}

function addMarkerGesture(host: ToolHost, scene: Point): Gesture {
  const collection = registry.collections[0]?.key;
  const id = collection
    ? host.addMember(collection, { x: Math.round(scene.x), y: Math.round(scene.y) })
    : undefined;
  if (collection && id) host.select({ collection, id });
  return { move() {}, end() {}, cancel() {} };
}

function brushGesture(host: ToolHost, start: Point, mode: FogMode): Gesture {
  const radius = () => BRUSH_RADIUS_PX / host.renderer.viewport.zoom;
  let last = start;
  host.applyFog(brush(host.fogMask(), { points: [start], radius: radius() }, mode));
  return {
    move(p) {
      const next = host.renderer.screenToScene(p);
      const changes = brush(host.fogMask(), { points: [last, next], radius: radius() }, mode);
      last = next;
      if (changes.size > 0) host.applyFog(changes);
    },
    end() {},
    cancel() {},
  };
}

function shapeGesture(host: ToolHost, start: Point, kind: 'rect' | 'ellipse'): Gesture {
  const box = (p: Point) => ({
    kind,
    x: Math.min(start.x, p.x),
    y: Math.min(start.y, p.y),
    width: Math.abs(p.x - start.x),
    height: Math.abs(p.y - start.y),
  });
  return {
    move(p) {
      host.preview(box(p));
    },
    end(p, e) {
      host.preview(undefined);
      const a = host.renderer.screenToScene(start);
      const b = host.renderer.screenToScene(p);
      const rect = { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y };
      const mode = modeOf('reveal', e.altKey);
      const changes = (kind === 'rect' ? rectangle : ellipse)(host.fogMask(), rect, mode);
      if (changes.size > 0) host.applyFog(changes);
    },
    cancel() {
      host.preview(undefined);
    },
  };
}

/** Wheel: zoom at the pointer; with Shift, rotate about it. */
export function wheelViewport(t: ViewportTransform, at: Point, e: WheelEvent): ViewportTransform {
  if (e.shiftKey) return rotateAbout(t, at, e.deltaY > 0 ? 15 : -15);
  return zoomAt(t, at, Math.exp(-e.deltaY * 0.0015));
}
