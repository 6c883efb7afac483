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
import { PLUGINS, toolById, type ToolInfo } from './plugins';

/**
 * The editor's tool host: the page-wide backend (store + renderer + preview)
 * and the per-plugin contexts tools act through. The core runs whatever tool
 * is active; it knows no tool by name.
 */
export interface ToolHost {
  readonly backend: ToolHostBackend;
  /** The tool context of a plugin (by name). */
  context(plugin: string): ToolContext | undefined;
  /** Whether this page may use a plugin's tools and hold (a GM: every plugin; a player: those allowed). */
  allows(plugin: string): boolean;
}

export function createToolHost(
  backend: ToolHostBackend,
  allows: (plugin: string) => boolean = () => true,
): ToolHost {
  return { backend, context: toolContexts(backend), allows };
}

/**
 * A press held still (click and hold): offered to the plugins' `onHold` in
 * registry order — not to the active tool's own plugin, nor to one this page
 * may not use. True when one took it.
 */
export function holdPress(
  tool: ToolInfo | undefined,
  host: ToolHost,
  screen: Point,
  e: PointerEvent | MouseEvent,
): boolean {
  for (const runtime of PLUGINS) {
    if (!runtime.onHold || runtime.name === tool?.plugin || !host.allows(runtime.name)) continue;
    const ctx = host.context(runtime.name);
    if (ctx && runtime.onHold(ctx, toolPointer(host, screen, e))) return true;
  }
  return false;
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
