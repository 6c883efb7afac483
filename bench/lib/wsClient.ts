/**
 * A minimal y-websocket client on a `ws` socket for load benchmarks: it
 * syncs a Y.Doc like YPartyKitProvider does, counts every byte it receives,
 * and can stop applying what it receives once synced (a writer that only
 * sends, so a benchmark measures the server and not this process).
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import {
  MESSAGE_PRESENCE_DELTA,
  applyPresenceDelta,
  encodeQueryAwareness,
} from '../../engine/sync/presenceDelta';
import { sleep } from './stats';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

export interface BenchClientOptions {
  /** Apply incoming document updates after the initial sync (default true). */
  readonly applyUpdates?: boolean;
  /** Decode incoming awareness (default true). */
  readonly applyAwareness?: boolean;
}

export class BenchClient {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  bytesIn = 0;
  /** WebSocket frame header bytes of the messages received (server frames are unmasked). */
  headerBytesIn = 0;
  messagesIn = 0;
  /** Presence states (awareness entries, delta entries) received, decoded or not. */
  presenceStatesIn = 0;
  messagesOut = 0;
  synced = false;
  readonly openedAt: number;
  syncedAt = NaN;
  /** Bytes received up to and including the sync step 2. */
  syncBytes = 0;
  closed = false;
  /** Close code and reason, when the server closed the connection. */
  closeReason = '';

  private constructor(
    readonly ws: WebSocket,
    readonly options: BenchClientOptions,
  ) {
    this.openedAt = performance.now();
    this.awareness.setLocalState(null);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.bytesIn += data.byteLength;
      this.headerBytesIn += data.byteLength < 126 ? 2 : data.byteLength < 65_536 ? 4 : 10;
      this.messagesIn++;
      if (!isBinary) return;
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      this.presenceStatesIn += presenceStateCount(bytes);
      this.#receive(bytes);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = true;
      this.closeReason = `${code} ${reason.toString()}`;
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_SYNC);
      syncProtocol.writeUpdate(e, update);
      this.send(encoding.toUint8Array(e));
    });
  }

  /** Opens a connection and sends sync step 1; resolves once the socket is open. */
  static connect(url: string, options: BenchClientOptions = {}): Promise<BenchClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'nodebuffer';
      const client = new BenchClient(ws, options);
      ws.once('open', () => {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeSyncStep1(e, client.doc);
        client.send(encoding.toUint8Array(e));
        resolve(client);
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    });
  }

  #receive(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      if (this.synced && this.options.applyUpdates === false) return;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_SYNC);
      const sub = syncProtocol.readSyncMessage(decoder, e, this.doc, this);
      if (sub === syncProtocol.messageYjsSyncStep2 && !this.synced) {
        this.synced = true;
        this.syncedAt = performance.now();
        this.syncBytes = this.bytesIn;
      }
      if (encoding.length(e) > 1) this.send(encoding.toUint8Array(e));
    } else if (type === MESSAGE_AWARENESS && this.options.applyAwareness !== false) {
      applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    } else if (type === MESSAGE_PRESENCE_DELTA && this.options.applyAwareness !== false) {
      // Our rooms' per-tick presence (engine/sync/presenceDelta.ts); the baseline never sends it.
      if (!applyPresenceDelta(this.awareness, decoder, this)) this.send(encodeQueryAwareness());
    }
  }

  send(data: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.messagesOut++;
    this.ws.send(data);
  }

  /** Sets and sends this client's awareness state. */
  publishAwareness(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    this.send(encoding.toUint8Array(e));
  }

  /** Bytes queued on the socket but not yet written (backpressure). */
  get buffered(): number {
    return this.ws.bufferedAmount;
  }

  async whenSynced(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.synced) {
      if (this.closed) throw new Error('closed before syncing');
      if (Date.now() > deadline) throw new Error('sync timed out');
      await sleep(5);
    }
  }

  close(): void {
    this.awareness.destroy();
    this.ws.close();
  }
}

/** How many presence states a message holds (its entry count), read from its header only. */
function presenceStateCount(data: Uint8Array): number {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_PRESENCE_DELTA) return decoding.readVarUint(decoder);
    if (type !== MESSAGE_AWARENESS) return 0;
    decoding.readVarUint(decoder); // the update's length
    return decoding.readVarUint(decoder);
  } catch {
    return 0;
  }
}

/** Waits until `check()` is true, polling every few ms; throws `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}
