import type { ToolContext, ToolDefinition } from '../../engine/plugin';
import { PING_SEQ_WRAP } from './presence';

/** How long a ping stays in presence: long enough for every view to see it, short enough that late joiners don't replay it. */
export const PING_HOLD_MS = 2500;

/**
 * The ping tool: a press pings the spot (Shift: a "pull view" ping that
 * also moves players' own views there). The ping is this user's presence,
 * cleared again after {@link PING_HOLD_MS}; every view draws the ring.
 */
function pingTool(): ToolDefinition {
  let n = Math.floor(Math.random() * PING_SEQ_WRAP);
  const timers = new WeakMap<ToolContext, ReturnType<typeof setTimeout>>();
  return {
    id: 'ping',
    label: 'Ping',
    key: 'g',
    hint: 'Click to ping a spot on every view, the TV included; Shift + click also pulls players’ views there',
    cursor: 'pointer',
    order: 71,
    onPointerDown(ctx, p) {
      n = (n + 1) % PING_SEQ_WRAP;
      ctx.setPresence({ x: p.scene.x, y: p.scene.y, n, ...(p.shiftKey ? { pull: true } : {}) });
      clearTimeout(timers.get(ctx));
      timers.set(
        ctx,
        setTimeout(() => ctx.setPresence(null), PING_HOLD_MS),
      );
      return undefined;
    },
  };
}

export const pingTools: readonly ToolDefinition[] = [pingTool()];
