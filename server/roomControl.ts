import type { AppDeps } from './context';

/** How long the app server waits for a room to answer a reload before giving up. */
const ROOM_TIMEOUT_MS = 5000;

export type RoomReloadResult = { ok: true } | { ok: false; reason: string };

/** Posts a room-control action to the game-session room and says whether the room answered 2xx. */
async function gameSessionRoomAction(
  deps: Pick<AppDeps, 'partykitUrl' | 'internalSecret'>,
  gameSessionId: string,
  body: Record<string, unknown>,
): Promise<RoomReloadResult> {
  if (!deps.partykitUrl) return { ok: false, reason: 'no PartyKit server configured' };
  const url = `${deps.partykitUrl.replace(/\/$/, '')}/parties/game_session/${encodeURIComponent(gameSessionId)}`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${deps.internalSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ROOM_TIMEOUT_MS),
    });
    if (!res.ok)
      return { ok: false, reason: `the room answered ${res.status}: ${(await res.text()).slice(0, 200)}` };
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `the room server could not be reached: ${(e as Error).message}` };
  }
}

/**
 * Asks the live game-session room to re-read `sceneIds` from the database
 * (PartyKit `onRequest`, action `reload`). A room that is not running loads
 * from the database when it starts, so a failure here loses nothing; the
 * result says whether the room answered.
 */
export function reloadRoomScenes(
  deps: Pick<AppDeps, 'partykitUrl' | 'internalSecret' | 'log'>,
  gameSessionId: string,
  sceneIds: readonly string[],
): Promise<RoomReloadResult> {
  return gameSessionRoomAction(deps, gameSessionId, { action: 'reload', sceneIds });
}

/**
 * Asks the game-session room to save its unsaved edits now (action `flush`,
 * answered once the save is done), so a read of the database right after
 * sees what the GMs see. A room that is not running has nothing unsaved.
 */
export function flushRoom(
  deps: Pick<AppDeps, 'partykitUrl' | 'internalSecret'>,
  gameSessionId: string,
): Promise<RoomReloadResult> {
  return gameSessionRoomAction(deps, gameSessionId, { action: 'flush' });
}

/** A room's answer: its status and JSON body, or why it could not be asked. */
export type RoomAnswer = { ok: true; status: number; body: unknown } | { ok: false; reason: string };

/** Posts a control action to the game-session room and returns its answer whatever the status. */
export async function askRoom(
  deps: Pick<AppDeps, 'partykitUrl' | 'internalSecret'>,
  gameSessionId: string,
  body: Record<string, unknown>,
): Promise<RoomAnswer> {
  if (!deps.partykitUrl) return { ok: false, reason: 'no PartyKit server configured' };
  const url = `${deps.partykitUrl.replace(/\/$/, '')}/parties/game_session/${encodeURIComponent(gameSessionId)}`;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${deps.internalSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ROOM_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { ok: true, status: res.status, body: parsed };
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

/** The parties' close code for sockets of a replaced link (partykit/core/syncRoom.ts `CLOSE.linkReplaced`). */
export const LINK_REPLACED_CLOSE_CODE = 4410;

/**
 * Tells the party's live rooms (its party room and each game-session room)
 * that `role` links older than `version` are replaced: they close those
 * sockets at once and refuse them from now on. A room that is not running
 * learns the version from the internal API when it next accepts a socket.
 * Returns the rooms that could not be told (logged, not fatal: the rooms
 * re-check the version within seconds anyway).
 */
export async function revokeRoomLinks(
  deps: Pick<AppDeps, 'partykitUrl' | 'internalSecret' | 'log'>,
  partyId: string,
  gameSessionIds: readonly string[],
  versions: { readonly gm: number; readonly player: number },
): Promise<string[]> {
  if (!deps.partykitUrl) return [];
  const base = deps.partykitUrl.replace(/\/$/, '');
  const rooms = [
    `party/${encodeURIComponent(partyId)}`,
    ...gameSessionIds.map((id) => `game_session/${encodeURIComponent(id)}`),
  ];
  const failed: string[] = [];
  await Promise.all(
    rooms.map(async (room) => {
      try {
        const res = await fetch(`${base}/parties/${room}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${deps.internalSecret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'links', partyId, versions }),
          signal: AbortSignal.timeout(ROOM_TIMEOUT_MS),
        });
        if (!res.ok) throw new Error(`answered ${res.status}`);
      } catch (e) {
        failed.push(room);
        deps.log(`room ${room} not told about replaced links: ${(e as Error).message}`);
      }
    }),
  );
  return failed;
}
