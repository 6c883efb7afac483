/**
 * The two YPartyKitProviders of a PartyDataManager — `game_session` (room =
 * game session id) and `party` (room = party id) — and their status. No
 * token goes in a URL: each connection attempt fetches a one-use room ticket
 * (tickets.ts) and the URL carries that. Providers reconnect by themselves
 * with exponential backoff, each time with a fresh ticket.
 */
import type * as Y from 'yjs';
import YPartyKitProvider from 'y-partykit/provider';
import { createDebug } from './debug';
import { useRoomPresence } from './roomPresence';
import { ticketedWebSocket, type TicketSource } from './tickets';

const log = createDebug('tablestage:connection');

export type ConnectionState = 'disconnected' | 'connecting' | 'connected';

/** Both connections; `overall` is the weaker of the two. */
export interface ConnectionStatus {
  readonly gameSession: ConnectionState;
  readonly party: ConnectionState;
  readonly overall: ConnectionState;
  /** Why a room refused this client for good (bad or foreign token): reconnecting stops. */
  readonly refused?: string;
  /**
   * The room lost its history and no longer knows items this (read-only)
   * client's document holds: reconnecting with this document cannot converge.
   * Reconnecting stops; start over with a fresh manager (the player view reloads).
   */
  readonly stale?: true;
}

/**
 * Close codes after which retrying cannot help (partykit/core/syncRoom.ts
 * `CLOSE`, or the app server refusing a ticket, tickets.ts): the token is
 * invalid (4401), belongs to another party (4403), or its link was replaced
 * by a newer one (4410). Everything else — 4503 "room
 * could not load", network loss — is retried with backoff.
 */
const FINAL_CLOSE_CODES = new Set([4401, 4403, 4410]);
/** The room's "stale document" close (partykit/core/syncRoom.ts `CLOSE.stale`). */
const STALE_CLOSE_CODE = 4409;

export interface ConnectionOptions {
  /** A WebSocket implementation where there is no global one (Node 20). */
  readonly WebSocketPolyfill?: typeof WebSocket;
  /** `false` creates the providers without connecting (tests, offline work). Default true. */
  readonly connect?: boolean;
  readonly protocol?: 'ws' | 'wss';
  /** Longest reconnect backoff in ms (default 2,500). */
  readonly maxBackoffTime?: number;
}

const RANK: Record<ConnectionState, number> = { disconnected: 0, connecting: 1, connected: 2 };

function stateOf(provider: YPartyKitProvider): ConnectionState {
  if (provider.wsconnected) return 'connected';
  return provider.shouldConnect ? 'connecting' : 'disconnected';
}

export class Connections {
  readonly gameSession: YPartyKitProvider;
  readonly party: YPartyKitProvider;
  readonly #cleanup: (() => void)[] = [];
  #refused: string | undefined;
  #stale = false;

  constructor(
    host: string,
    ids: { readonly partyId: string; readonly gameSessionId: string },
    docs: { readonly gameSession: Y.Doc; readonly party: Y.Doc },
    tickets: TicketSource,
    options: ConnectionOptions,
    onChange: () => void,
  ) {
    const Base = options.WebSocketPolyfill ?? globalThis.WebSocket;
    const common = {
      connect: options.connect ?? true,
      // BroadcastChannel would pass updates between tabs behind the server's back — past its
      // validation and past the player projection — so it stays off.
      disableBc: true,
      ...(options.protocol ? { protocol: options.protocol } : {}),
      ...(options.maxBackoffTime ? { maxBackoffTime: options.maxBackoffTime } : {}),
    };
    log('connecting to', host, 'game session', ids.gameSessionId, 'party', ids.partyId);
    this.gameSession = new YPartyKitProvider(host, ids.gameSessionId, docs.gameSession, {
      ...common,
      party: 'game_session',
      WebSocketPolyfill: ticketedWebSocket(Base, tickets, { party: 'game_session', room: ids.gameSessionId }),
    });
    this.party = new YPartyKitProvider(host, ids.partyId, docs.party, {
      ...common,
      party: 'party',
      WebSocketPolyfill: ticketedWebSocket(Base, tickets, { party: 'party', room: ids.partyId }),
    });
    for (const [name, provider] of [
      ['game_session', this.gameSession],
      ['party', this.party],
    ] as const) {
      // Presence as our rooms exchange it: deltas in, only this client's own state out (roomPresence.ts).
      useRoomPresence(provider);
      const onStatus = ({ status }: { status: string }) => {
        log(name, status);
        onChange();
      };
      const onSync = (synced: boolean) => {
        log(name, synced ? 'synced' : 'not synced');
        onChange();
      };
      const onClose = (event: { code?: number; reason?: string }) => {
        if (event?.reason) log(name, 'closed:', event.code, event.reason);
        if (event?.code !== undefined && FINAL_CLOSE_CODES.has(event.code)) {
          this.#refused = event.reason || `refused by the ${name} room (${event.code})`;
          provider.disconnect();
          onChange();
        } else if (event?.code === STALE_CLOSE_CODE) {
          this.#stale = true;
          provider.disconnect();
          onChange();
        }
      };
      provider.on('status', onStatus);
      provider.on('sync', onSync);
      provider.on('connection-close', onClose);
      this.#cleanup.push(() => {
        provider.off('status', onStatus);
        provider.off('sync', onSync);
        provider.off('connection-close', onClose);
      });
    }
  }

  status(): ConnectionStatus {
    const gameSession = stateOf(this.gameSession);
    const party = stateOf(this.party);
    const overall = RANK[gameSession] <= RANK[party] ? gameSession : party;
    return {
      gameSession,
      party,
      overall,
      ...(this.#refused ? { refused: this.#refused } : {}),
      ...(this.#stale ? { stale: true as const } : {}),
    };
  }

  /** True once both docs have synced with their rooms since the last (re)connect. */
  isSynced(): boolean {
    return this.gameSession.synced && this.party.synced;
  }

  /** Closes both connections; edits keep working locally and merge on `connect`. */
  disconnect(): void {
    this.gameSession.disconnect();
    this.party.disconnect();
  }

  connect(): void {
    this.#refused = undefined;
    this.gameSession.connect();
    this.party.connect();
  }

  destroy(): void {
    for (const fn of this.#cleanup) fn();
    this.gameSession.destroy();
    this.party.destroy();
  }
}
