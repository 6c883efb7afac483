import type * as Party from 'partykit/server';
import { registry } from '../engine/generated';
import { roomPlugins } from './generated/roomPlugins';
import { gateConnect, gateRequest } from './roomGate';
import { benchTimeScale, meterRoom, usageResponse, type UsageMeter } from './core/usageMeter';
import { DEFAULT_SAVE_TIMING } from './session/saveLoop';
import { DEFAULT_SNAPSHOT_DELAYS } from './core/syncRoom';
import { GameSessionRoom, IDLE_MS } from './session/room';

/**
 * Party `game_session`: one room per game session (room id = gameSessionId),
 * reached at `/parties/game_session/<gameSessionId>?ticket=…`. A thin adapter
 * from PartyKit's hooks to {@link GameSessionRoom}.
 */
export default class GameSessionServer implements Party.Server {
  readonly options: Party.ServerOptions = { hibernate: false };
  private readonly session: GameSessionRoom;

  /** Bench metric 11's usage meter, when the room runs with BENCH_METER=1 (core/usageMeter.ts). */
  private readonly meter: UsageMeter | undefined;

  constructor(readonly room: Party.Room) {
    this.meter = meterRoom(room);
    const scale = benchTimeScale(room.env);
    this.session =
      scale === 1
        ? new GameSessionRoom(room, registry, roomPlugins)
        : new GameSessionRoom(
            room,
            registry,
            roomPlugins,
            {
              ...DEFAULT_SAVE_TIMING,
              delayMs: DEFAULT_SAVE_TIMING.delayMs / scale,
              maxDelayMs: DEFAULT_SAVE_TIMING.maxDelayMs / scale,
              retryBaseMs: DEFAULT_SAVE_TIMING.retryBaseMs / scale,
              retryMaxMs: DEFAULT_SAVE_TIMING.retryMaxMs / scale,
            },
            {
              compactDelayMs: DEFAULT_SNAPSHOT_DELAYS.compactDelayMs / scale,
              compactMaxDelayMs: DEFAULT_SNAPSHOT_DELAYS.compactMaxDelayMs / scale,
              idleMs: IDLE_MS / scale,
            },
          );
  }

  /**
   * Refuses, in the worker and before any room or storage exists, connections without a valid ticket
   * for this very room (roomGate.ts): the app server signs none for made-up ids or another party's session.
   */
  static onBeforeConnect(req: Party.Request, lobby: Party.Lobby): Promise<Party.Request | Response> {
    return gateConnect(req, lobby, 'game_session');
  }

  /** Plain HTTP is the app server's room control; anyone else is refused before a room exists. */
  static onBeforeRequest(req: Party.Request, lobby: Party.Lobby): Party.Request | Response {
    return gateRequest(req, lobby);
  }

  async onStart(): Promise<void> {
    try {
      await this.session.start();
    } catch (e) {
      // A failed start must not wedge the room: PartyKit never calls onStart twice.
      console.error('game_session start failed', e);
    }
  }

  onConnect(conn: Party.Connection, ctx: Party.ConnectionContext): Promise<void> {
    if (this.meter) this.meter.counts.connections++;
    return this.session.connect(conn, ctx);
  }

  onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection): void {
    this.meter?.message(message);
    this.session.message(sender, message);
  }

  onClose(conn: Party.Connection): void {
    this.session.close(conn);
    // Complete the close handshake: with this compatibility date workerd does not answer a client's close
    // frame by itself, so a client that closes (provider.disconnect()) would wait for its close timeout.
    try {
      conn.close();
    } catch {
      // already closed
    }
  }

  onError(conn: Party.Connection): void {
    this.session.close(conn);
  }

  async onRequest(req: Party.Request): Promise<Response> {
    return (await usageResponse(this.meter, req)) ?? this.session.request(req);
  }

  onAlarm(): Promise<void> {
    return this.session.alarm();
  }
}
