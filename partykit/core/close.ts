/**
 * How the rooms close a WebSocket: the application close codes (4000–4999)
 * clients act on — engine/sync/connection.ts stops reconnecting after 4401,
 * 4403 and 4410 — and a close that respects WebSocket's reason length.
 */
import type * as Party from 'partykit/server';

/** WebSocket close codes the rooms use (4000–4999 are for applications). */
export const CLOSE = {
  unauthorized: 4401,
  forbidden: 4403,
  malformed: 4400,
  tooLarge: 4413,
  /** Too many frames, or presence (awareness) updates past the connection's budget. */
  flood: 4429,
  unavailable: 4503,
  /** The token's link was replaced (a GM made a new GM or player link); the client shows "link replaced". */
  linkReplaced: 4410,
  /** A read-only client's document diverged from the room's; it must reconnect with a fresh Y.Doc. */
  stale: 4409,
} as const;

/** Close reason for a replaced link (the client recognises the code; the words are for people). */
export const LINK_REPLACED_REASON = 'link replaced: the game master made a new link; ask them for it';

/**
 * Close reason for 4503: the same words whatever failed, since the cause names
 * internal addresses (the app server's URL) that clients must not learn; the
 * room logs the cause.
 */
export const UNAVAILABLE_REASON = 'room unavailable: its data could not be loaded; retrying';

/** Closes a socket, cutting the reason to the 123 bytes WebSocket allows. */
export function closeWith(conn: Party.Connection, code: number, reason: string): void {
  let text = reason;
  while (new TextEncoder().encode(text).byteLength > 123) text = text.slice(0, -1);
  try {
    conn.close(code, text);
  } catch {
    // already closed
  }
}
