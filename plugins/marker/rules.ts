import type { Point } from '../../engine/schema';
import type { PluginInfo } from '../../engine/schema';
import type { RenderView } from '../../engine/render';
import type { MarkerProps } from '../../engine/generated/stageProps';
import { markerWidth } from './cells';

/** Alpha of markers the GM sees dimmed: GM-only, hidden until hovered, or shown to players only. */
export const DIMMED_ALPHA = 0.45;

/** True when the member matches the collection's `gmOnlyWhen` (read from the registry, not hard-coded). */
export function isGmOnly(plugin: PluginInfo, member: object): boolean {
  const values = member as Record<string, unknown>;
  for (const [key, gmValues] of plugin.gmOnlyWhen)
    if ((gmValues as readonly unknown[]).includes(values[key])) return true;
  return false;
}

/**
 * How a marker shows in a view: its alpha, or `0` when it is not drawn at
 * all. GM-only markers are dimmed for the GM and absent for players;
 * hover-visibility markers are dimmed for the GM until hovered, and drawn
 * for players whenever their document has one — the room sends it only
 * while a GM hovers it or holds it selected (room.ts); player-only markers
 * are drawn for players and dimmed for the GM, who still needs to find and
 * edit them.
 */
export function markerAlpha(plugin: PluginInfo, m: MarkerProps, view: RenderView, hovered: boolean): number {
  if (view === 'player') return isGmOnly(plugin, m) ? 0 : 1;
  const hidden = isGmOnly(plugin, m) || (m.visibility === 'hover' && !hovered);
  return hidden || m.visibility === 'player-only' ? DIMMED_ALPHA : 1;
}

/**
 * True when `p` (scene units) is inside the marker's shape (bounding circle,
 * or box for squares); `cell` is the grid's cell size (the marker's size is in cells).
 */
export function hitsMarker(m: MarkerProps, p: Point, cell: number): boolean {
  const r = markerWidth(m.size, cell) / 2;
  const dx = p.x - m.position.x;
  const dy = p.y - m.position.y;
  if (m.shape === 'square') return Math.abs(dx) <= r && Math.abs(dy) <= r;
  return dx * dx + dy * dy <= r * r;
}

/**
 * The topmost marker at `p` that the view can see (drawn last = on top), or
 * undefined. Linear in the number of markers — 1,000 take microseconds.
 */
export function markerAt(
  plugin: PluginInfo,
  markers: Readonly<Record<string, MarkerProps>>,
  p: Point,
  view: RenderView,
  cell: number,
): string | undefined {
  const ids = Object.keys(markers);
  for (let i = ids.length - 1; i >= 0; i--) {
    const id = ids[i]!;
    const m = markers[id]!;
    // Hover markers stay pickable while dimmed, or they could never be hovered into view.
    const pickable = markerAlpha(plugin, m, view, true) > 0;
    if (pickable && hitsMarker(m, p, cell)) return id;
  }
  return undefined;
}
