import type * as Party from 'partykit/server';
import { onConnect } from 'y-partykit';

/**
 * The benchmarks' baseline room: stock y-partykit, persisting with its own
 * `persist` option (snapshot mode), which turns Y.js GC off — the design the
 * original product used. No auth, no validation, no limits.
 */
export default class BaselineRoom implements Party.Server {
  constructor(readonly room: Party.Room) {}

  onConnect(conn: Party.Connection): Promise<void> {
    return onConnect(conn, this.room, { persist: { mode: 'snapshot' } });
  }
}
