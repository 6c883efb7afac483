/**
 * Persistence of a room's Y.Doc in PartyKit room storage, with Y.js garbage
 * collection left ON.
 *
 * Why not y-partykit's `persist` option: it forces `gc: false`, so the
 * stored state keeps every overwritten value and grows and slows for as long
 * as people edit (DESIGN.md, performance facts). Instead the room keeps
 *
 * - a snapshot: `encodeStateAsUpdateV2(doc)` split into chunks below the
 *   storage's 128 KiB value limit, under a generation number, with a small
 *   head record pointing at the current generation (written atomically, so a
 *   crash mid-compaction leaves the previous snapshot intact);
 * - an append-only log of the updates applied since that snapshot, written
 *   as they are applied. Durable Objects hold outgoing messages until the
 *   writes issued before them are stored ("output gates"), so anything a
 *   client has seen acknowledged — echoed back or broadcast — survives a
 *   crash.
 *
 * A fresh snapshot replaces the log once the log outweighs it (or holds
 * many entries): `compactIfDue`, which the room calls on a debounce and
 * when the last client leaves. Snapshotting after every pause in editing
 * instead rewrote the whole document ~400 times per table-hour (bench metric
 * 11), most of the room's storage bill. The log is just as durable, and a
 * load replays at most about one snapshot's worth of it. The store knows the
 * keys it wrote, so dropping the old snapshot and log lists nothing (a
 * Durable Object `list` reads, and bills, every value it returns).
 */
import * as Y from 'yjs';
import type * as Party from 'partykit/server';

/** Below Cloudflare's 128 KiB per-value limit, leaving room for serialisation overhead. */
export const CHUNK_BYTES = 96 * 1024;
/** Cloudflare accepts at most 128 keys per put/delete call. */
const KEYS_PER_CALL = 128;
/** The log is due for a snapshot past this many bytes, or the snapshot's size if larger… */
export const LOG_BYTES_DUE = 16 * 1024;
/** …or past this many entries (each is a storage key to read at load). */
export const LOG_ENTRIES_DUE = 256;

/** One logged update: its sequence number, its keys and its size. */
interface LogEntry {
  readonly seq: number;
  readonly keys: readonly string[];
  readonly bytes: number;
}

interface Head {
  readonly gen: number;
  readonly chunks: number;
  readonly bytes: number;
}

function splitBytes(data: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < data.byteLength; at += CHUNK_BYTES) parts.push(data.slice(at, at + CHUNK_BYTES));
  if (parts.length === 0) parts.push(new Uint8Array(0));
  return parts;
}

function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

async function putAll(storage: Party.Storage, entries: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(entries);
  for (let i = 0; i < keys.length; i += KEYS_PER_CALL) {
    const slice: Record<string, unknown> = {};
    for (const k of keys.slice(i, i + KEYS_PER_CALL)) slice[k] = entries[k];
    await storage.put(slice);
  }
}

async function deleteAll(storage: Party.Storage, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += KEYS_PER_CALL) await storage.delete(keys.slice(i, i + KEYS_PER_CALL));
}

/** Snapshot + update log of one Y.Doc under a key prefix; see the module comment. */
export class DocStore {
  private seq = 0;
  private gen = 0;
  /** Chunks of the current snapshot, and its size. */
  private chunks = 0;
  private snapshotBytes = 0;
  /** The log since the current snapshot, in order. */
  private log: LogEntry[] = [];
  private compacting: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly storage: Party.Storage,
    private readonly prefix: string,
  ) {}

  private get headKey() {
    return `${this.prefix}head`;
  }
  private chunkKey(gen: number, i: number) {
    return `${this.prefix}snap:${pad(gen, 8)}:${pad(i, 5)}`;
  }
  private logPrefix() {
    return `${this.prefix}log:`;
  }

  /** Number of log entries written since the last snapshot. */
  get pendingLogEntries(): number {
    return this.log.length;
  }

  /** True when the log outweighs the snapshot it follows (see the module comment). */
  get snapshotDue(): boolean {
    const bytes = this.log.reduce((n, e) => n + e.bytes, 0);
    return bytes >= Math.max(LOG_BYTES_DUE, this.snapshotBytes) || this.log.length >= LOG_ENTRIES_DUE;
  }

  /** Applies the stored snapshot and log to `doc`. Returns false when nothing was stored. */
  async load(doc: Y.Doc, origin: unknown): Promise<boolean> {
    const head = await this.storage.get<Head>(this.headKey);
    let found = false;
    if (head) {
      const keys = Array.from({ length: head.chunks }, (_, i) => this.chunkKey(head.gen, i));
      const parts: Uint8Array[] = [];
      for (let i = 0; i < keys.length; i += KEYS_PER_CALL) {
        const got = await this.storage.get<Uint8Array>(keys.slice(i, i + KEYS_PER_CALL));
        for (const k of keys.slice(i, i + KEYS_PER_CALL)) {
          const part = got.get(k);
          if (!part) throw new Error(`room snapshot is missing chunk ${k}`);
          parts.push(part);
        }
      }
      const snapshot = joinBytes(parts);
      if (snapshot.byteLength !== head.bytes) throw new Error('room snapshot has the wrong size');
      Y.applyUpdateV2(doc, snapshot, origin);
      this.gen = head.gen;
      this.chunks = head.chunks;
      this.snapshotBytes = head.bytes;
      found = true;
    }
    // Log entries: `log:<seq>:<part>`, each update split like the snapshot.
    const stored = await this.storage.list<Uint8Array>({ prefix: this.logPrefix() });
    const bySeq = new Map<number, { keys: string[]; parts: Uint8Array[] }>();
    for (const [key, value] of stored) {
      const [seqText] = key.slice(this.logPrefix().length).split(':');
      const seq = Number(seqText);
      if (!bySeq.has(seq)) bySeq.set(seq, { keys: [], parts: [] });
      bySeq.get(seq)!.keys.push(key);
      bySeq.get(seq)!.parts.push(value);
    }
    const seqs = [...bySeq.keys()].sort((a, b) => a - b);
    this.log = [];
    for (const seq of seqs) {
      const { keys, parts } = bySeq.get(seq)!;
      const update = joinBytes(parts);
      Y.applyUpdate(doc, update, origin);
      this.seq = Math.max(this.seq, seq);
      this.log.push({ seq, keys, bytes: update.byteLength });
    }
    // Leftovers of a compaction that crashed before switching the head.
    const stale = [...(await this.storage.list({ prefix: `${this.prefix}snap:` })).keys()].filter(
      (k) => !k.startsWith(`${this.prefix}snap:${pad(this.gen, 8)}:`),
    );
    if (stale.length) await deleteAll(this.storage, stale);
    return found || seqs.length > 0;
  }

  /**
   * Appends an update (V1) to the log. Not awaited by callers on purpose: the
   * runtime's output gate holds every message sent afterwards until this
   * write is durable.
   */
  append(update: Uint8Array): Promise<void> {
    const seq = ++this.seq;
    const entries: Record<string, Uint8Array> = {};
    splitBytes(update).forEach((part, i) => {
      entries[`${this.logPrefix()}${pad(seq, 12)}:${pad(i, 4)}`] = part;
    });
    this.log.push({ seq, keys: Object.keys(entries), bytes: update.byteLength });
    return putAll(this.storage, entries);
  }

  /** Snapshots `doc` when the log is due for it (see the module comment); otherwise keeps logging. */
  compactIfDue(doc: Y.Doc): Promise<void> {
    return this.snapshotDue ? this.compact(doc) : (this.compacting ?? Promise.resolve());
  }

  /** Writes a fresh snapshot of `doc` and drops the log it replaces. Serialised; safe to call often. */
  compact(doc: Y.Doc): Promise<void> {
    if (this.compacting) {
      this.again = true;
      return this.compacting;
    }
    this.compacting = (async () => {
      try {
        do {
          this.again = false;
          await this.compactOnce(doc);
        } while (this.again);
      } finally {
        this.compacting = undefined;
      }
    })();
    return this.compacting;
  }

  /** Removes the stored doc (snapshot, head and log); waits for a compaction in flight first. */
  async clear(): Promise<void> {
    await this.compacting;
    const keys = [...(await this.storage.list({ prefix: this.prefix })).keys()];
    await deleteAll(this.storage, keys);
    this.seq = 0;
    this.gen = 0;
    this.chunks = 0;
    this.snapshotBytes = 0;
    this.log = [];
  }

  private async compactOnce(doc: Y.Doc): Promise<void> {
    // Everything up to `upTo` is in the snapshot taken synchronously here.
    const upTo = this.seq;
    const snapshot = Y.encodeStateAsUpdateV2(doc);
    const gen = this.gen + 1;
    const parts = splitBytes(snapshot);
    const entries: Record<string, Uint8Array> = {};
    parts.forEach((part, i) => {
      entries[this.chunkKey(gen, i)] = part;
    });
    await putAll(this.storage, entries);
    const head: Head = { gen, chunks: parts.length, bytes: snapshot.byteLength };
    await this.storage.put(this.headKey, head);
    const old = Array.from({ length: this.chunks }, (_, i) => this.chunkKey(this.gen, i));
    const replaced = this.log.filter((e) => e.seq <= upTo);
    this.gen = gen;
    this.chunks = parts.length;
    this.snapshotBytes = snapshot.byteLength;
    // Appends made meanwhile (seq > upTo) stay in the log.
    this.log = this.log.filter((e) => e.seq > upTo);
    await deleteAll(this.storage, [...old, ...replaced.flatMap((e) => e.keys)]);
  }
}
