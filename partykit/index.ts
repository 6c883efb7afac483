/**
 * The PartyKit side of Tablestage. `partykit.json` points PartyKit at the
 * party entry points (`gameSession.ts`, `party.ts`, `main.ts`); this index
 * names what other code (tests, tools) may use.
 *
 * Wire protocol: y-websocket's, as YPartyKitProvider speaks it; the URL
 * carries a one-use room ticket (`?ticket=`, engine/auth/tickets.ts) that the
 * client got from the app server's `POST /api/tickets`, never a link token.
 * Close codes a client should handle: 4401 bad or spent ticket, 4403 token for
 * another party, 4404 no such game session (the app server signs no ticket
 * for it; engine/sync/tickets.ts reports it as this code), 4503
 * room could not load its data (retry later), 4400 / 4413 / 4429 protocol
 * violations, 4409 a read-only client's document diverged from the room
 * (drop the Y.Doc and reconnect with a fresh one).
 *
 * Room control (HTTP, `Authorization: Bearer <INTERNAL_SECRET>`):
 * `POST /parties/game_session/<id>` with `{action: 'reload', sceneIds}`,
 * `{action: 'flush'}` (save dirty scenes now) or `{action: 'status'}`.
 */
export { CLOSE, ROOM_ORIGIN, SyncRoom, type RoomConnection, type SyncRoomOptions } from './core/syncRoom';
export { FrameReader, DEFAULT_FRAME_LIMITS, type FrameLimits, type FrameResult } from './core/frames';
export { AwarenessGate, DEFAULT_AWARENESS_LIMITS, type AwarenessLimits } from './core/awarenessGate';
export { DocStore, CHUNK_BYTES } from './core/docStore';
export { authenticate, refuseUnauthorised, readEnv, isInternal, type RoomEnv, type AuthResult } from './auth';
export { GameSessionRoom } from './session/room';
export { PartyRoom } from './partyState/room';
export { DEFAULT_SAVE_TIMING, type SaveTiming, type SaveStatus, type DirtyState } from './session/saveLoop';
