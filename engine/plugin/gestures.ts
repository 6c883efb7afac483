import { panBy } from '../render';
import type { Point } from '../schema';
import type { ToolContext, ToolGesture } from './tools';

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
