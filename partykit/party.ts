import type * as Party from 'partykit/server';
import { gateConnect, gateRequest } from './roomGate';
import { meterRoom, usageResponse, type UsageMeter } from './core/usageMeter';
import { registry } from '../engine/generated';
import { PartyRoom } from './partyState/room';

/**
 * Party `party`: one room per party (room id = partyId), reached at
 * `/parties/party/<partyId>?ticket=…`. A thin adapter from PartyKit's hooks
 * to {@link PartyRoom}.
 */
export default class PartyServer implements Party.Server {
  readonly options: Party.ServerOptions = { hibernate: false };
  private readonly party: PartyRoom;

  /** Bench metric 11's usage meter, when the room runs with BENCH_METER=1 (core/usageMeter.ts). */
  private readonly meter: UsageMeter | undefined;

  constructor(readonly room: Party.Room) {
    this.meter = meterRoom(room);
    this.party = new PartyRoom(room, registry);
  }

  /** Refuses, before any room exists, connections without a valid ticket for this party's room (roomGate.ts). */
  static onBeforeConnect(req: Party.Request, lobby: Party.Lobby): Promise<Party.Request | Response> {
    return gateConnect(req, lobby, 'party');
  }

  /** Plain HTTP is the app server's room control; anyone else is refused before a room exists. */
  static onBeforeRequest(req: Party.Request, lobby: Party.Lobby): Party.Request | Response {
    return gateRequest(req, lobby);
  }

  async onStart(): Promise<void> {
    try {
      await this.party.start();
    } catch (e) {
      console.error('party start failed', e);
    }
  }

  onConnect(conn: Party.Connection, ctx: Party.ConnectionContext): Promise<void> {
    if (this.meter) this.meter.counts.connections++;
    return this.party.connect(conn, ctx);
  }

  onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection): void {
    this.meter?.message(message);
    this.party.message(sender, message);
  }

  onClose(conn: Party.Connection): void {
    this.party.close(conn);
    // Complete the close handshake: with this compatibility date workerd does not answer a client's close
    // frame by itself, so a client that closes (provider.disconnect()) would wait for its close timeout.
    try {
      conn.close();
    } catch {
      // already closed
    }
  }

  onError(conn: Party.Connection): void {
    this.party.close(conn);
  }

  async onRequest(req: Party.Request): Promise<Response> {
    return (await usageResponse(this.meter, req)) ?? this.party.request(req);
  }

  onAlarm(): Promise<void> {
    return this.party.alarm();
  }
}
