/**
 * Turns the raw WebSocket frames of one connection into whole Y.js protocol
 * messages, enforcing limits on the way in.
 *
 * YPartyKitProvider (y-partykit/provider) sends a message above 1 MB as a
 * text frame `y-pk-batch#{"id","type":"start","size","count"}`, `count`
 * binary frames, then a matching `end` marker (workerd refuses single frames
 * above 1 MiB). This reader reassembles such batches, but — unlike
 * y-partykit's own `handleChunked` — it checks every marker, bounds the total
 * size before buffering, and rate-limits messages and bytes, so one hostile
 * connection cannot grow the room's memory or starve the others.
 */

/** Limits for one connection. */
export interface FrameLimits {
  /** Largest reassembled message, in bytes. */
  readonly maxMessageBytes: number;
  /** Messages a connection may send in a burst; refilled at `messagesPerSecond`. */
  readonly messageBurst: number;
  readonly messagesPerSecond: number;
  /** Bytes a connection may send in a burst; refilled at `bytesPerSecond`. */
  readonly byteBurst: number;
  readonly bytesPerSecond: number;
}

/** Generous for a GM dragging markers with cursors on, far below what would hurt the room. */
export const DEFAULT_FRAME_LIMITS: FrameLimits = {
  maxMessageBytes: 8 * 1024 * 1024,
  messageBurst: 600,
  messagesPerSecond: 300,
  byteBurst: 24 * 1024 * 1024,
  bytesPerSecond: 8 * 1024 * 1024,
};

/** What one frame amounted to. */
export type FrameResult =
  | { readonly kind: 'message'; readonly data: Uint8Array }
  | { readonly kind: 'pending' }
  | { readonly kind: 'reject'; readonly reason: string; readonly why: RejectKind };

/** Why a frame was refused: broken protocol, too big, or too many. */
export type RejectKind = 'malformed' | 'too-large' | 'flood';

const BATCH_SENTINEL = 'y-pk-batch';
/** y-partykit's chunk size; frames of a batch larger than workerd's frame limit never reach us anyway. */
const MAX_CHUNK_BYTES = 1024 * 1024;

interface BatchMarker {
  readonly id: string;
  readonly type: 'start' | 'end';
  readonly size: number;
  readonly count: number;
}

function parseMarker(text: string): BatchMarker | string {
  const hash = text.indexOf('#');
  if (hash < 0 || text.slice(0, hash) !== BATCH_SENTINEL)
    return 'text frames are only accepted as batch markers';
  if (text.length > 512) return 'batch marker is too long';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(hash + 1));
  } catch {
    return 'batch marker is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'batch marker is not an object';
  const { id, type, size, count } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || id.length > 64) return 'batch marker has no valid id';
  if (type !== 'start' && type !== 'end') return 'batch marker type must be start or end';
  if (!Number.isSafeInteger(size) || (size as number) < 0)
    return 'batch marker size must be a non-negative integer';
  if (!Number.isSafeInteger(count) || (count as number) < 0)
    return 'batch marker count must be a non-negative integer';
  return { id, type, size: size as number, count: count as number };
}

function toBytes(frame: ArrayBuffer | ArrayBufferView): Uint8Array {
  return frame instanceof ArrayBuffer
    ? new Uint8Array(frame)
    : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
}

/** A token bucket: `take` fails once the burst is spent faster than the refill rate. */
class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }
  take(amount: number, now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

/** Per-connection frame reader; see the module comment. */
export class FrameReader {
  private batch: { marker: BatchMarker; chunks: Uint8Array[]; count: number; bytes: number } | undefined;
  private readonly messages: Bucket;
  private readonly bytes: Bucket;

  constructor(
    private readonly limits: FrameLimits = DEFAULT_FRAME_LIMITS,
    now: number = Date.now(),
    /**
     * Check batches but keep none of their bytes and never deliver them. For read-only connections: a
     * message that needs a batch (> 1 MB) can only be a sync step 2 or update, which the room drops from
     * them anyway — buffering it would let each player connection pin megabytes of the room's memory.
     */
    private readonly discardBatches = false,
  ) {
    this.messages = new Bucket(limits.messageBurst, limits.messagesPerSecond, now);
    this.bytes = new Bucket(limits.byteBurst, limits.bytesPerSecond, now);
  }

  /** Feeds one frame; returns a whole message, nothing yet, or why the connection must be closed. */
  accept(frame: string | ArrayBuffer | ArrayBufferView, now: number = Date.now()): FrameResult {
    const size = typeof frame === 'string' ? frame.length : frame.byteLength;
    if (!this.messages.take(1, now)) return reject('too many messages: slow down', 'flood');
    if (!this.bytes.take(size, now)) return reject('too many bytes per second', 'flood');
    if (typeof frame === 'string') return this.acceptMarker(frame);
    const bytes = toBytes(frame);
    if (!this.batch) {
      if (bytes.byteLength > this.limits.maxMessageBytes) return reject('message too large', 'too-large');
      return { kind: 'message', data: bytes };
    }
    const batch = this.batch;
    if (bytes.byteLength > MAX_CHUNK_BYTES) return reject('batch chunk larger than 1 MB', 'too-large');
    if (batch.count >= batch.marker.count)
      return reject('batch is larger than its start marker said (too many chunks)', 'too-large');
    if (batch.bytes + bytes.byteLength > batch.marker.size)
      return reject('batch is larger than its start marker said', 'too-large');
    // Copy: the runtime may reuse the frame's buffer.
    if (!this.discardBatches) batch.chunks.push(bytes.slice());
    batch.count++;
    batch.bytes += bytes.byteLength;
    return { kind: 'pending' };
  }

  private acceptMarker(text: string): FrameResult {
    const marker = parseMarker(text);
    if (typeof marker === 'string') return reject(marker);
    if (marker.type === 'start') {
      if (this.batch) return reject('batch started inside another batch');
      if (marker.size > this.limits.maxMessageBytes) return reject('batched message too large', 'too-large');
      if (marker.count === 0 || marker.count > marker.size || marker.count > 4096)
        return reject('batch chunk count does not fit its size');
      this.batch = { marker, chunks: [], count: 0, bytes: 0 };
      return { kind: 'pending' };
    }
    const batch = this.batch;
    this.batch = undefined;
    if (!batch) return reject('batch end without a start');
    if (marker.id !== batch.marker.id) return reject('batch end marker does not match its start');
    if (marker.count !== batch.count || marker.size !== batch.bytes || batch.bytes !== batch.marker.size)
      return reject('batch end marker does not match the chunks received');
    if (this.discardBatches) return { kind: 'pending' };
    const data = new Uint8Array(batch.bytes);
    let at = 0;
    for (const chunk of batch.chunks) {
      data.set(chunk, at);
      at += chunk.byteLength;
    }
    return { kind: 'message', data };
  }
}

function reject(reason: string, why: RejectKind = 'malformed'): FrameResult {
  return { kind: 'reject', reason, why };
}
