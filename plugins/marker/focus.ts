import type { MemberFocus, ToolContext } from '../../engine/plugin';
import { MAX_REVEALED, type MarkerFocusValue } from './presence';

/** What each editor last published, so an unchanged focus sends nothing. */
const published = new WeakMap<ToolContext, string>();

/**
 * The GM's focus on markers, published as the marker's presence: the hover
 * markers hovered or selected (hovered first), or nothing. The room shows
 * those on the TV while they are named (room.ts).
 */
export function publishMarkerFocus(ctx: ToolContext, focus: MemberFocus): void {
  const markers = ctx.props().markers;
  const ids = [...new Set([focus.hovered, ...focus.selected])]
    .filter((id): id is string => id !== undefined && markers[id]?.visibility === 'hover')
    .slice(0, MAX_REVEALED);
  const value: MarkerFocusValue | null = ids.length ? { ids } : null;
  const json = JSON.stringify(value);
  if (published.get(ctx) === json) return;
  published.set(ctx, json);
  ctx.setPresence(value);
}
