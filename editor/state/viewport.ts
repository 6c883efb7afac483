import type { ViewportTransform } from '../../engine/render';
import { registry } from '../../engine/generated/schemas';
import type { StageProps } from '../../engine/generated/stageProps';
import { VIEW_GROUP } from './plugins';

/**
 * The per-user viewport lives in the view plugin's local-only properties,
 * whose keys mirror the renderer's ViewportTransform (offset, zoom,
 * rotation). These helpers move between the two, so tools set the viewport
 * through the property sink like every other edit.
 */
export { VIEW_GROUP };

/** The view properties' values for a transform, each clamped into its declared range. */
export function viewportEdits(t: ViewportTransform): [string[], unknown][] {
  const out: [string[], unknown][] = [];
  if (!VIEW_GROUP) return out;
  for (const [key, raw] of Object.entries(t)) {
    const prop = registry.byPath([VIEW_GROUP, key]);
    if (!prop) continue;
    const decl = prop.decl as { min?: number; max?: number };
    const clamp = (v: number) => Math.min(decl.max ?? Infinity, Math.max(decl.min ?? -Infinity, v));
    let value: unknown = raw;
    if (typeof raw === 'number') value = clamp(key === 'rotation' ? normaliseAngle(raw) : raw);
    else if (typeof raw === 'object' && raw !== null) {
      const p = raw as { x: number; y: number };
      value = { x: clamp(Math.round(p.x * 100) / 100), y: clamp(Math.round(p.y * 100) / 100) };
    }
    out.push([[VIEW_GROUP, key], value]);
  }
  return out;
}

/** The transform the view plugin's properties hold, if this scene has them. */
export function viewportOf(props: StageProps): ViewportTransform | undefined {
  const group = VIEW_GROUP
    ? (props as unknown as Record<string, Record<string, unknown> | undefined>)[VIEW_GROUP]
    : undefined;
  if (!group) return undefined;
  const offset = group.offset as { x: number; y: number } | undefined;
  const zoom = group.zoom;
  const rotation = group.rotation;
  if (!offset || typeof zoom !== 'number' || typeof rotation !== 'number') return undefined;
  return { offset, zoom, rotation };
}

function normaliseAngle(deg: number): number {
  let a = ((deg % 360) + 360) % 360;
  if (a > 180) a -= 360;
  return a;
}
