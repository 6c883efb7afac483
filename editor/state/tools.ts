import { rotateAbout, zoomAt, type ViewportTransform } from '../../engine/render';
import type { Point } from '../../engine/schema';
import {
  panGesture,
  toolContexts,
  type ToolContext,
  type ToolGesture,
  type ToolHostBackend,
  type ToolPointer,
} from '../../engine/plugin';
import { toolById, type ToolInfo } from './plugins';

/**
 * The editor's tool host: the page-wide backend (store + renderer + preview)
 * and the per-plugin contexts tools act through. The core runs whatever tool
 * is active; it knows no tool by name.
 */
export interface ToolHost {
  readonly backend: ToolHostBackend;
  /** The tool context of a plugin (by name). */
  context(plugin: string): ToolContext | undefined;
}

export function createToolHost(backend: ToolHostBackend): ToolHost {
  return { backend, context: toolContexts(backend) };
}

/** A DOM pointer event as tools see it. */
export function toolPointer(host: ToolHost, screen: Point, e: PointerEvent | MouseEvent): ToolPointer {
  return {
    screen,
    scene: host.backend.screenToScene(screen),
    button: e.button,
    altKey: e.altKey,
    shiftKey: e.shiftKey,
  };
}

/**
 * Starts the gesture of a tool (or stored tool id) at a screen point (CSS px,
 * relative to the canvas). The middle and right buttons always pan, whatever
 * the tool: that is the editor's, not a plugin's.
 */
export function startGesture(
  tool: ToolInfo | string | undefined,
  host: ToolHost,
  screen: Point,
  e: PointerEvent,
): ToolGesture | undefined {
  if (e.button === 1 || e.button === 2) return panGesture(host.backend, screen);
  const info = typeof tool === 'object' ? tool : toolById(tool);
  const ctx = info && host.context(info.plugin);
  return ctx && info.definition.onPointerDown(ctx, toolPointer(host, screen, e));
}

/** Pointer moves with no gesture in progress: the active tool's hover handler, if it has one. */
export function hoverTool(tool: ToolInfo | undefined, host: ToolHost, screen: Point, e: PointerEvent): void {
  const ctx = tool?.definition.onHover && host.context(tool.plugin);
  if (ctx) tool.definition.onHover?.(ctx, toolPointer(host, screen, e));
}

/** Wheel: zoom at the pointer; with Shift, rotate about it. */
export function wheelViewport(t: ViewportTransform, at: Point, e: WheelEvent): ViewportTransform {
  if (e.shiftKey) return rotateAbout(t, at, e.deltaY > 0 ? 15 : -15);
  return zoomAt(t, at, Math.exp(-e.deltaY * 0.0015));
}
