/**
 * Tells game-session rooms that the party's shown scene (or its settings:
 * what players may publish) changed, so they re-read and re-project for their players (see session/shownScene.ts, which also reads
 * the value itself at hydration: a lost nudge is repaired by the next one or
 * the next hydration). Both the newly active game session and the one it
 * replaced are told — the old one must take its scene away from players.
 */
import type * as Party from 'partykit/server';
import { PARTY_STATE_KEYS } from '../../engine/sync/docLayout';
import { readEnv } from '../auth';

interface Shown {
  readonly gameSessionId: string | null;
  readonly sceneId: string | null;
  /** The party settings, as JSON. */
  readonly settings: string;
}

/** See the module comment. */
export class ShownNotifier {
  private last: Shown | undefined;

  constructor(private readonly room: Pick<Party.Room, 'env' | 'context'>) {}

  /** Compares the party state and settings with what was last announced and nudges the rooms concerned. */
  check(
    state: ReadonlyMap<string, unknown> | { get(key: string): unknown },
    settings: Readonly<Record<string, unknown>> = {},
  ): void {
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const next: Shown = {
      gameSessionId: str(state.get(PARTY_STATE_KEYS.activeGameSessionId)),
      sceneId: str(state.get(PARTY_STATE_KEYS.activeSceneId)),
      settings: JSON.stringify(settings),
    };
    const before = this.last;
    if (
      before &&
      before.gameSessionId === next.gameSessionId &&
      before.sceneId === next.sceneId &&
      before.settings === next.settings
    )
      return;
    this.last = next;
    // After a restart the previous value is unknown: nudging the active room anyway costs one re-read.
    const rooms = new Set([before?.gameSessionId ?? null, next.gameSessionId].filter((id) => id !== null));
    for (const id of rooms) void this.nudge(id);
  }

  private async nudge(gameSessionId: string): Promise<void> {
    try {
      const stub = this.room.context.parties.game_session?.get(gameSessionId);
      if (!stub) return;
      const res = await stub.fetch({
        method: 'POST',
        headers: {
          authorization: `Bearer ${readEnv(this.room.env).INTERNAL_SECRET}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ action: 'shown' }),
      });
      if (!res.ok) console.warn(`game session ${gameSessionId} not told the shown scene: ${res.status}`);
    } catch (e) {
      console.warn(
        `game session ${gameSessionId} not told the shown scene: ${e instanceof Error ? e.message : e}`,
      );
    }
  }
}
