import type { AppDeps } from './context';

/** How long the app server waits for a room to answer a reload before giving up. */
const ROOM_TIMEOUT_MS = 5000;

export type RoomReloadResult = { ok: true } | { ok: false; reason: string };

/**
 * Asks the live game-session room to re-read `sceneIds` from the database
 * (PartyKit `onRequest`, action `reload`). A room that is not running loads
 * from the database when it starts, so a failure here loses nothing; the
 * result says whether the room answered.
 */
export async function reloadRoomScenes(
  deps: Pick<AppDeps, 'partykitUrl' | 'internalSecret' | 'log'>,
  gameSessionId: string,
  sceneIds: readonly string[],
): Promise<RoomReloadResult> {
  if (!deps.partykitUrl) return { ok: false, reason: 'no PartyKit server configured' };
  const url = `${deps.partykitUrl.replace(/\/$/, '')}/parties/game_session/${encodeURIComponent(gameSessionId)}`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${deps.internalSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'reload', sceneIds }),
      signal: AbortSignal.timeout(ROOM_TIMEOUT_MS),
    });
    if (!res.ok)
      return { ok: false, reason: `the room answered ${res.status}: ${(await res.text()).slice(0, 200)}` };
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `the room server could not be reached: ${(e as Error).message}` };
  }
}

/** Fire-and-forget variant for after a public-API change: a failure is logged, never surfaced. */
export function notifyRoom(deps: AppDeps, gameSessionId: string, sceneIds: readonly string[]): void {
  if (!deps.partykitUrl) return;
  void reloadRoomScenes(deps, gameSessionId, sceneIds).then((r) => {
    if (!r.ok) deps.log(`room ${gameSessionId} not told to reload: ${r.reason}`);
  });
}
