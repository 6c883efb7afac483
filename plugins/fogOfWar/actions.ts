import type { PluginAction, ToolContext, WriteResult } from '../../engine/plugin';
import type { FogMask } from './mask';
import { fillAll, type FogMode } from './tools';

/** The schema's name of the mask channel. */
const TILES = 'tiles';

/** Reveals or covers the whole scene: every stored tile goes, the fill changes (a few bytes, one undo step). */
function fillScene(ctx: ToolContext, mode: FogMode): WriteResult {
  const tiles = ctx.channel<FogMask>(TILES);
  if (!tiles) return { ok: false, reason: 'the fog has no mask channel' };
  return tiles.apply(fillAll(tiles.state, mode));
}

/** The toolbar's "Reveal all" and "Cover all". */
export const fogActions: readonly PluginAction[] = [
  {
    id: 'fog-reveal-all',
    label: 'Reveal all',
    hint: 'Remove all fog from the scene (undo brings it back)',
    run: (ctx) => fillScene(ctx, 'reveal'),
  },
  {
    id: 'fog-cover-all',
    label: 'Cover all',
    hint: 'Cover the whole scene with fog',
    run: (ctx) => fillScene(ctx, 'cover'),
  },
];
