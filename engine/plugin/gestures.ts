import { panBy } from '../render';
import type { Point } from '../schema';
import type { ToolContext, ToolGesture } from './tools';

/** A press held this long (ms) without moving is a hold (click and hold: `PluginRuntime.onHold`). */
export const HOLD_MS = 500;
/** A press whose pointer strays farther than this (CSS px) is a drag, not a hold. */
export const HOLD_SLOP_PX = 6;

/** A drag that pans the user's view with the pointer (the pan tool, a drag on empty space, the right button). */
export function panGesture(ctx: Pick<ToolContext, 'viewport' | 'setViewport'>, start: Point): ToolGesture {
  let last = start;
  return {
    move(p) {
      ctx.setViewport(panBy(ctx.viewport, p.screen.x - last.x, p.screen.y - last.y));
      last = p.screen;
    },
    end() {},
    cancel() {},
  };
}
