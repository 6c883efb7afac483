import type { ToolContext, ToolDefinition, ToolPointer } from '../../engine/plugin';
import { PING_SEQ_WRAP } from './presence';

/** How long a ping stays in presence: long enough for every view to see it, short enough that late joiners don't replay it. */
export const PING_HOLD_MS = 2500;

let n = Math.floor(Math.random() * PING_SEQ_WRAP);
const timers = new WeakMap<ToolContext, ReturnType<typeof setTimeout>>();

/**
 * Pings the spot under the pointer (Shift: a "pull view" ping that also
 * moves players' own views there). The ping is this user's presence,
 * cleared again after {@link PING_HOLD_MS}; every view draws the ring.
 */
export function pingAt(ctx: ToolContext, p: ToolPointer): void {
  n = (n + 1) % PING_SEQ_WRAP;
  ctx.setPresence({ x: p.scene.x, y: p.scene.y, n, ...(p.shiftKey ? { pull: true } : {}) });
  clearTimeout(timers.get(ctx));
  timers.set(
    ctx,
    setTimeout(() => ctx.setPresence(null), PING_HOLD_MS),
  );
}

/** The ping tool: a press pings the spot (with any other tool, click and hold does: the runtime's `onHold`). */
const pingTool: ToolDefinition = {
  id: 'ping',
  label: 'Ping',
  key: 'g',
  hint: 'Click to ping a spot on every view, the TV included; Shift + click also pulls players’ views there',
  cursor: 'pointer',
  order: 71,
  players: true,
  onPointerDown(ctx, p) {
    pingAt(ctx, p);
    return undefined;
  },
};

export const pingTools: readonly ToolDefinition[] = [pingTool];
