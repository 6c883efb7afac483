/**
 * A y-websocket client with an unreliable transport of its own, for the
 * convergence fuzz: every message it sends or receives waits a random delay
 * in a queue and queued messages leave in random order (reordering), and
 * `drop()` disconnects with the outgoing queue thrown away (what a network
 * drop does to updates in flight). `connect()` runs the normal sync
 * handshake again, which is what must repair all of it.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Rng } from './seed';

interface Queued {
  readonly data: Uint8Array;
  readonly due: number;
}

export class FuzzClient {
  readonly doc = new Y.Doc();
  private ws: WebSocket | undefined;
  private outgoing: Queued[] = [];
  private incoming: Queued[] = [];
  private timer: ReturnType<typeof setInterval>;
  /** Sync step 2 received on the current connection. */
  synced = false;
  /** Set when the server closed a connection with an application code (a protocol verdict). */
  refused: { code: number; reason: string } | undefined;

  constructor(
    /** A fresh room URL (a new one-use ticket) for each connection. */
    private readonly url: () => Promise<string>,
    private readonly rng: Rng,
    /** Largest random delay per message, ms (0: in order, immediately). */
    public maxDelayMs: number,
  ) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      // Offline, an update is simply not sent: the next handshake has to bring it over.
      if (origin === this || !this.connected) return;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      syncProtocol.writeUpdate(e, update);
      this.enqueue(this.outgoing, encoding.toUint8Array(e));
    });
    this.timer = setInterval(() => this.pump(), 5);
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Messages still waiting in either direction. */
  get queued(): number {
    return this.outgoing.length + this.incoming.length;
  }

  private enqueue(queue: Queued[], data: Uint8Array): void {
    queue.push({ data, due: Date.now() + (this.maxDelayMs ? this.rng.int(0, this.maxDelayMs) : 0) });
  }

  /** Delivers due messages, in random order among the due ones. */
  private pump(): void {
    const now = Date.now();
    for (const [queue, deliver] of [
      [this.incoming, (d: Uint8Array) => this.receive(d)],
      [this.outgoing, (d: Uint8Array) => this.ws?.send(d)],
    ] as const) {
      if (queue === this.outgoing && !this.connected) continue;
      const due = queue.filter((q) => q.due <= now);
      if (!due.length) continue;
      const rest = queue.filter((q) => q.due > now);
      queue.length = 0;
      queue.push(...rest);
      for (let i = due.length - 1; i > 0; i--) {
        const j = this.rng.int(0, i);
        [due[i], due[j]] = [due[j]!, due[i]!];
      }
      for (const q of due) deliver(q.data);
    }
  }

  /** Opens a connection and starts the handshake (the server's step 1 is answered by `receive`). */
  async connect(): Promise<void> {
    this.synced = false;
    const ws = new WebSocket(await this.url());
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (ws !== this.ws || !isBinary) return;
      this.enqueue(this.incoming, new Uint8Array(data));
    });
    ws.on('close', (code, reason) => {
      if (code >= 4000) this.refused = { code, reason: reason.toString() };
    });
    return new Promise((done, fail) => {
      ws.once('open', () => {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, 0);
        syncProtocol.writeSyncStep1(e, this.doc);
        ws.send(encoding.toUint8Array(e));
        done();
      });
      ws.once('error', fail);
    });
  }

  private receive(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== 0) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    const sub = syncProtocol.readSyncMessage(decoder, e, this.doc, this);
    if (sub === syncProtocol.messageYjsSyncStep2) this.synced = true;
    // The answer to the server's step 1 goes out directly: it is the repair, not traffic to disturb.
    if (encoding.length(e) > 1 && this.connected) this.ws!.send(encoding.toUint8Array(e));
  }

  /** Disconnects; updates not yet sent are lost (the handshake on reconnect must recover them). */
  drop(): void {
    this.outgoing = [];
    this.ws?.close();
    this.ws = undefined;
    this.synced = false;
  }

  /** Delivers everything queued now, in order, and stops disturbing. */
  settle(): void {
    this.maxDelayMs = 0;
    for (const q of [...this.outgoing, ...this.incoming]) (q as { due: number }).due = 0;
  }

  destroy(): void {
    clearInterval(this.timer);
    this.ws?.close();
    this.doc.destroy();
  }
}
