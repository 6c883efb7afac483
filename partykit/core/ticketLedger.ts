/**
 * The tickets a room has accepted (engine/auth/tickets.ts), so each opens one
 * connection: a ticket seen in a log or copied from a URL is already spent.
 * A ticket is bound to one room, and one room runs in one place, so the room's
 * memory is where single use can be enforced. Entries last until the ticket
 * expires anyway; a room that restarts forgets them, and its tickets then
 * expire within a minute.
 */
export class TicketLedger {
  readonly #spent = new Map<string, number>();

  /** True the first time `jti` is seen (until `exp`, seconds since the epoch); false when it was spent. */
  spend(jti: string, exp: number, nowMs = Date.now()): boolean {
    for (const [id, until] of this.#spent) if (until * 1000 <= nowMs) this.#spent.delete(id);
    if (this.#spent.has(jti)) return false;
    this.#spent.set(jti, exp);
    return true;
  }
}

/** Close reason (with 4401) for a ticket used a second time. */
export const TICKET_SPENT_REASON = 'ticket refused (spent): a ticket opens one connection; fetch a new one';
