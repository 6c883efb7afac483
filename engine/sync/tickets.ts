/**
 * How clients reach a room without putting their link token in a URL: before
 * every connection attempt (the first and each reconnect) they fetch a room
 * ticket from the app server, sending the token in a header, and the WebSocket
 * URL carries only the ticket (engine/auth/tickets.ts), which opens that room
 * once, within a minute.
 *
 * YPartyKitProvider builds its socket synchronously from a fixed URL and
 * reconnects by itself; {@link ticketedWebSocket} is the WebSocket class it is
 * given, which fetches a fresh ticket first and then opens the real socket.
 */
import type { RoomTarget } from '../auth';

/** Fetches a ticket for one room; rejects with {@link TicketRefused} when retrying cannot help. */
export type TicketSource = (target: RoomTarget) => Promise<string>;

/**
 * The app server refused a ticket for good or for now; `code` is the room
 * close code the refusal stands for (partykit/core/close.ts): 4401 bad token,
 * 4403 another party's room, 4404 no such game session, 4410 link replaced.
 */
export class TicketRefused extends Error {
  override name = 'TicketRefused';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const CLOSE_OF_STATUS: Readonly<Record<number, number>> = { 401: 4401, 403: 4403, 404: 4404, 410: 4410 };
/** Close code when no ticket could be fetched for a passing reason (server down): retried like a lost room. */
const UNAVAILABLE = 4503;

/**
 * Tickets from the app server at `appUrl` (`''`: this page's origin) for
 * `token`: `POST /api/tickets`, the token as `Authorization: Bearer`.
 */
export function ticketsFromApp(appUrl: string, token: string): TicketSource {
  return async (target) => {
    const res = await fetch(`${appUrl}/api/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ party: target.party, room: target.room }),
    });
    const body = (await res.json().catch(() => ({}))) as { ticket?: unknown; error?: unknown };
    if (res.ok && typeof body.ticket === 'string') return body.ticket;
    const message = typeof body.error === 'string' ? body.error : `the app server answered ${res.status}`;
    const code = CLOSE_OF_STATUS[res.status];
    throw code === undefined ? new Error(message) : new TicketRefused(code, message);
  };
}

type Listener = (event: unknown) => void;
const EVENTS = ['open', 'message', 'error', 'close'] as const;

/**
 * A WebSocket class for YPartyKitProvider's `WebSocketPolyfill`: each instance
 * fetches a ticket from `tickets` for `target`, then opens a `Base` socket at
 * the URL it was given plus `ticket=`. A refused ticket surfaces as a close
 * with the refusal's code and message, as if the room had refused.
 */
export function ticketedWebSocket(
  Base: typeof WebSocket,
  tickets: TicketSource,
  target: RoomTarget,
): typeof WebSocket {
  class TicketedWebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    #inner: WebSocket | undefined;
    #closed = false;
    #binaryType: BinaryType = 'blob';
    readonly #listeners = new Map<string, Set<Listener>>();

    constructor(url: string) {
      tickets(target).then(
        (ticket) => {
          if (this.#closed) return;
          const withTicket = new URL(url);
          withTicket.searchParams.set('ticket', ticket);
          const ws = new Base(withTicket.toString());
          ws.binaryType = this.#binaryType;
          this.#inner = ws;
          for (const type of EVENTS) ws.addEventListener(type, (event) => this.#emit(type, event));
        },
        (e: unknown) => {
          if (this.#closed) return;
          this.#closed = true;
          const code = e instanceof TicketRefused ? e.code : UNAVAILABLE;
          const reason = `no ticket for the room: ${e instanceof Error ? e.message : String(e)}`;
          this.#emit('close', { type: 'close', code, reason, wasClean: false });
        },
      );
    }

    get readyState(): number {
      return this.#inner?.readyState ?? (this.#closed ? this.CLOSED : this.CONNECTING);
    }

    get binaryType(): BinaryType {
      return this.#binaryType;
    }

    set binaryType(value: BinaryType) {
      this.#binaryType = value;
      if (this.#inner) this.#inner.binaryType = value;
    }

    addEventListener(type: string, listener: Listener): void {
      let set = this.#listeners.get(type);
      if (!set) this.#listeners.set(type, (set = new Set()));
      set.add(listener);
    }

    removeEventListener(type: string, listener: Listener): void {
      this.#listeners.get(type)?.delete(listener);
    }

    send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (!this.#inner) throw new Error('the socket is not open yet');
      this.#inner.send(data);
    }

    close(code?: number, reason?: string): void {
      if (this.#inner) return this.#inner.close(code, reason);
      if (this.#closed) return;
      this.#closed = true;
      // Closed while its ticket was on the way: the socket never opens.
      queueMicrotask(() => this.#emit('close', { type: 'close', code: 1000, reason: '', wasClean: true }));
    }

    #emit(type: string, event: unknown): void {
      for (const listener of [...(this.#listeners.get(type) ?? [])]) listener(event);
    }
  }
  return TicketedWebSocket as unknown as typeof WebSocket;
}
