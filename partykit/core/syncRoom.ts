/**
 * The Y.js side of a room, written directly on y-protocols rather than on
 * y-partykit's `onConnect`.
 *
 * Why not y-partykit's server: it keeps one shared doc per room and sends
 * every connection the same bytes, so it cannot give players a projection
 * without GM data; its read-only mode cannot be chosen per connection; it
 * applies awareness updates from anyone for anyone; it rethrows malformed
 * chunk markers; it has no size or rate limits; and its persistence turns
 * Y.js GC off. The wire format is y-websocket's plus one message, presence
 * deltas (engine/sync/presenceDelta.ts), which clients teach their
 * YPartyKitProvider with `useRoomPresence` (engine/sync/roomPresence.ts).
 *
 * Shape: an authoritative `doc` (written by connections that may write, and
 * by the room) and a `viewDoc` read-only connections sync with — the same
 * doc, or a separate projection the subclass maintains. Every change goes
 * through {@link SyncRoom.commit}: the subclass validates / repairs and
 * projects (`beforeBroadcast`), then the updates of both docs are appended to
 * the storage log and sent, in that order, to the connections that see them.
 */
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type * as Party from 'partykit/server';
import { isCurrentLink, type LinkVersions, type TokenClaims } from '../../engine/auth';
import { CORE_PRESENCE, type PresenceSchema } from '../../engine/sync/presence';
import { THROTTLE_MS } from '../../engine/schema';
import { applyAwarenessEntries } from './awarenessApply';
import { AwarenessGate, DEFAULT_AWARENESS_LIMITS } from './awarenessGate';
import { CLOSE, LINK_REPLACED_REASON, UNAVAILABLE_REASON, closeWith } from './close';
import { DocStore } from './docStore';
import { FrameReader, type FrameLimits, DEFAULT_FRAME_LIMITS } from './frames';
import {
  DEFAULT_PRESENCE_LIMITS,
  PresenceBudget,
  PresenceQueue,
  type PresenceLimits,
} from './presenceBudget';
import { PresenceFanout } from './presenceFanout';
import { AudiencePresence, jsonMemo, type AudienceTick, type PresenceChange } from './presenceAudience';
import {
  ProtocolError,
  decodeClientMessage,
  decodeStateVectorSafe,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  unknownRanges,
} from './messages';

export { CLOSE, LINK_REPLACED_REASON, UNAVAILABLE_REASON, closeWith };

/** One accepted connection. */
export interface RoomConnection {
  readonly conn: Party.Connection;
  readonly claims: TokenClaims;
  /** GM connections write; player connections are read-only. */
  readonly writable: boolean;
  readonly frames: FrameReader;
  /** Awareness ownership key: the user id when the token has one. */
  readonly ownerKey: string;
  /**
   * Unique per socket. PartyKit connection ids are not: YPartyKitProvider
   * reconnects with the same `_pk` id, possibly before the old socket's
   * close arrives, so two live sockets can share one id.
   */
  readonly key: string;
  /** Sync / update messages dropped because the connection is read-only. */
  droppedWrites: number;
  /** Its awareness updates, budgeted and coalesced (see presenceBudget.ts). */
  readonly presence: PresenceQueue;
  /**
   * Awareness clients this connection was last sent whole outside the
   * per-tick deltas (handshake, query): their next change reaches it whole
   * too (presenceAudience.ts). Undefined when none is left.
   */
  wholePresence: Set<number> | undefined;
}

const NO_IDS: ReadonlySet<number> = new Set();

/** Largest backlog of updates waiting for missing dependencies before the sender is closed. */
const MAX_PENDING_BYTES = 2 * 1024 * 1024;

/** Origin of the room's own transactions, so observers can tell them from clients'. */
export const ROOM_ORIGIN = Symbol('room');

/** Options of a {@link SyncRoom}. */
export interface SyncRoomOptions {
  /** Read-only connections sync with a separate projection doc the subclass keeps current. */
  readonly projected: boolean;
  readonly frameLimits?: FrameLimits;
  readonly presenceLimits?: PresenceLimits;
  /** The presence fields the room accepts (default: the core ones; features add theirs with `with`). */
  readonly presence?: PresenceSchema;
  /** How long presence changes are gathered before going out together (default: the cursor window). */
  readonly presenceTickMs?: number;
  /** Debounce and maximum wait of snapshot compaction, ms. */
  readonly compactDelayMs?: number;
  readonly compactMaxDelayMs?: number;
}

/** Snapshot debounce and maximum wait when a room sets none, ms. */
export const DEFAULT_SNAPSHOT_DELAYS = { compactDelayMs: 2000, compactMaxDelayMs: 10_000 } as const;

/** See the module comment. Subclasses add hydration, validation, projection and saving. */
export abstract class SyncRoom {
  readonly doc: Y.Doc = new Y.Doc({ gc: true });
  readonly viewDoc: Y.Doc;
  readonly awareness: Awareness;
  /** Keyed by the socket object itself; see {@link RoomConnection.key}. */
  protected readonly conns = new Map<Party.Connection, RoomConnection>();
  private nextKey = 0;
  protected readonly docStore: DocStore;
  protected readonly viewStore: DocStore | undefined;
  private readonly gate: AwarenessGate;
  private pendingDoc: Uint8Array[] = [];
  private pendingView: Uint8Array[] = [];
  private committing = false;
  private compactTimer: ReturnType<typeof setTimeout> | undefined;
  private compactFirstDirty = 0;
  private readonly fanout: PresenceFanout;
  /** What each presence audience was last sent (presenceAudience.ts). */
  private readonly sentPresence = new Map<string, AudiencePresence>();
  /**
   * Awareness client id → key of the connection whose update set its current
   * state: that connection holds it already and is never sent it back. Not
   * the gate's owner: y-websocket clients echo every state they receive, and
   * an echo may claim an id its owner released, but an echo never applies
   * (its clock is not newer), so it makes no one the writer.
   */
  private readonly presenceWriters = new Map<number, string>();

  constructor(
    protected readonly room: Party.Room,
    protected readonly options: SyncRoomOptions,
  ) {
    this.viewDoc = options.projected ? new Y.Doc({ gc: true }) : this.doc;
    this.gate = new AwarenessGate(DEFAULT_AWARENESS_LIMITS, options.presence ?? CORE_PRESENCE);
    this.docStore = new DocStore(room.storage, 'doc:');
    this.viewStore = options.projected ? new DocStore(room.storage, 'view:') : undefined;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== LOAD_ORIGIN) this.pendingDoc.push(update);
    });
    if (options.projected)
      this.viewDoc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== LOAD_ORIGIN) this.pendingView.push(update);
      });
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null);
    // Changes go out coalesced, one delta message per connection per tick (presenceFanout.ts).
    this.fanout = new PresenceFanout(options.presenceTickMs ?? THROTTLE_MS.cursor, (ids) =>
      this.sendPresence(ids),
    );
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        // Connections' updates are applied with the connection as origin (see addConnection).
        const writer =
          origin instanceof Object && 'key' in origin ? (origin as RoomConnection).key : undefined;
        for (const ids of [added, updated])
          for (const id of ids)
            if (writer) this.presenceWriters.set(id, writer);
            else this.presenceWriters.delete(id);
        for (const id of removed) this.presenceWriters.delete(id);
        this.fanout.mark(added, updated, removed);
      },
    );
  }

  /**
   * The presence audience of a connection: connections of one audience are
   * sent the same view of every state (default: one audience).
   */
  protected presenceAudience(_c: RoomConnection): string {
    return 'all';
  }

  /** A presence state as `audience` may receive it (default: as it is); the same object when unchanged. */
  protected presenceView(
    _audience: string,
    state: Readonly<Record<string, unknown>>,
  ): Readonly<Record<string, unknown>> {
    return state;
  }

  /** The room sent `audience` something else for these clients (a removal): their next change goes out whole. */
  protected forgetSentPresence(audience: string, ids: Iterable<number>): void {
    this.sentPresence.get(audience)?.forget(ids);
  }

  /** One tick's presence: per audience, the changes encoded once; per connection, a concatenation of them. */
  private sendPresence(ids: readonly number[]): void {
    const states = this.awareness.getStates();
    const changes: PresenceChange[] = ids.map((clientId) => ({
      clientId,
      clock: this.awareness.meta.get(clientId)?.clock ?? 0,
      state: states.get(clientId) as Readonly<Record<string, unknown>> | undefined,
    }));
    const jsonOf = jsonMemo();
    const written = new Map<string, Set<number>>();
    for (const id of ids) {
      const writer = this.presenceWriters.get(id);
      if (writer === undefined) continue;
      let set = written.get(writer);
      if (!set) written.set(writer, (set = new Set()));
      set.add(id);
    }
    const ticks = new Map<string, AudienceTick>();
    for (const c of [...this.conns.values()]) {
      const audience = this.presenceAudience(c);
      let tick = ticks.get(audience);
      if (!tick) {
        let sent = this.sentPresence.get(audience);
        if (!sent) this.sentPresence.set(audience, (sent = new AudiencePresence()));
        const viewed = changes.map((ch) =>
          ch.state ? { ...ch, state: this.presenceView(audience, ch.state) } : ch,
        );
        ticks.set(audience, (tick = sent.tick(viewed, jsonOf)));
      }
      const message = tick.messageFor(written.get(c.key) ?? NO_IDS, c.wholePresence);
      if (c.wholePresence) {
        for (const id of ids) c.wholePresence.delete(id);
        if (!c.wholePresence.size) c.wholePresence = undefined;
      }
      if (message) this.send(c, message);
    }
    // An audience nobody received this tick falls behind: its next joiner starts from whole states.
    for (const audience of [...this.sentPresence.keys()])
      if (!ticks.has(audience)) this.sentPresence.delete(audience);
  }

  /** Sends a connection every awareness state whole (handshake, query). */
  private sendWholePresence(c: RoomConnection): void {
    const states = [...this.awareness.getStates().keys()];
    // Until each changes, the audience's deltas are relative to states this connection may not hold.
    c.wholePresence = new Set([...states, ...this.fanout.pending()]);
    if (states.length) this.send(c, encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, states)));
  }

  /** Restores both docs from room storage. Returns false for a room never stored before. */
  protected async loadStored(): Promise<boolean> {
    const found = await this.docStore.load(this.doc, LOAD_ORIGIN);
    if (this.viewStore) await this.viewStore.load(this.viewDoc, LOAD_ORIGIN);
    return found;
  }

  /** Validation, repair and projection; runs at the start of every commit. */
  protected abstract beforeBroadcast(): void;

  /** Runs `fn` as the room (origin {@link ROOM_ORIGIN}) and commits. */
  mutate(fn: () => void): void {
    this.doc.transact(fn, ROOM_ORIGIN);
    this.commit();
  }

  /** Validates, projects, logs and broadcasts everything applied since the last commit. */
  commit(): void {
    if (this.committing) return;
    this.committing = true;
    try {
      this.beforeBroadcast();
    } finally {
      this.committing = false;
    }
    const docUpdates = this.pendingDoc;
    // Awareness the room applied before this change must not arrive after it.
    if (docUpdates.length || this.pendingView.length) this.fanout.flush();
    const viewUpdates = this.pendingView;
    this.pendingDoc = [];
    this.pendingView = [];
    if (docUpdates.length) {
      const merged = docUpdates.length === 1 ? docUpdates[0]! : Y.mergeUpdates(docUpdates);
      void this.docStore.append(merged).catch((e) => console.error('room log write failed', e));
      const message = encodeSyncUpdate(merged);
      for (const c of this.conns.values()) if (c.writable || !this.options.projected) this.send(c, message);
    }
    if (viewUpdates.length && this.viewStore) {
      const merged = viewUpdates.length === 1 ? viewUpdates[0]! : Y.mergeUpdates(viewUpdates);
      void this.viewStore.append(merged).catch((e) => console.error('room view log write failed', e));
      const message = encodeSyncUpdate(merged);
      for (const c of this.conns.values()) if (!c.writable) this.send(c, message);
    }
    if (docUpdates.length || viewUpdates.length) this.scheduleCompaction();
  }

  /** Registers an accepted, authorised connection and starts the sync handshake. */
  protected addConnection(conn: Party.Connection, claims: TokenClaims): RoomConnection {
    const key = `socket:${++this.nextKey}`;
    const writable = claims.role === 'gm';
    const c: RoomConnection = {
      conn,
      claims,
      writable,
      frames: new FrameReader(this.options.frameLimits ?? DEFAULT_FRAME_LIMITS, Date.now(), !writable),
      ownerKey: claims.userId ? `user:${claims.userId}` : key,
      key,
      droppedWrites: 0,
      wholePresence: undefined,
      presence: new PresenceQueue(
        new PresenceBudget(this.options.presenceLimits ?? DEFAULT_PRESENCE_LIMITS),
        (entries) => {
          if (this.conns.get(conn) === c) applyAwarenessEntries(this.awareness, entries, c);
        },
        (reason) => this.drop(c, CLOSE.flood, reason),
      ),
    };
    this.conns.set(conn, c);
    this.send(c, encodeSyncStep1(this.docFor(c)));
    this.sendWholePresence(c);
    return c;
  }

  /** Forgets a connection and its awareness states. Returns true when it was the last one. */
  protected removeConnection(conn: Party.Connection): boolean {
    const c = this.conns.get(conn);
    if (!c) return false;
    this.conns.delete(conn);
    c.presence.destroy();
    const ids = this.gate.release(c.key, c.ownerKey);
    removeAwarenessStates(this.awareness, ids, null);
    return this.conns.size === 0;
  }

  /** Handles one WebSocket frame; a protocol violation closes that connection only. */
  protected handleFrame(conn: Party.Connection, frame: string | ArrayBuffer | ArrayBufferView): void {
    const c = this.conns.get(conn);
    if (!c) return;
    const result = c.frames.accept(frame);
    if (result.kind === 'pending') return;
    if (result.kind === 'reject') {
      const code = { malformed: CLOSE.malformed, 'too-large': CLOSE.tooLarge, flood: CLOSE.flood }[
        result.why
      ];
      this.drop(c, code, result.reason);
      return;
    }
    try {
      this.handleMessage(c, result.data);
    } catch (e) {
      // Whatever this connection sent may have half-applied: still validate and broadcast what did apply.
      this.commit();
      const reason = e instanceof ProtocolError ? e.message : `could not apply message: ${errorText(e)}`;
      this.drop(c, CLOSE.malformed, reason);
    }
  }

  private handleMessage(c: RoomConnection, data: Uint8Array): void {
    const message = decodeClientMessage(data);
    switch (message.type) {
      case 'sync-step1': {
        const target = this.docFor(c);
        const sv = decodeStateVectorSafe(message.stateVector);
        if (!c.writable && this.options.projected && unknownRanges(target, sv).size) {
          // A read-only client holding items the view doc never had (the room's storage was reset, or
          // it wrote locally) cannot be repaired through Y.js: it can never send them, and the room's
          // fresh writes would lose key conflicts to them. It must start again from a new Y.Doc.
          this.drop(
            c,
            CLOSE.stale,
            'stale document: the room has no record of your changes; reconnect with a new Y.Doc',
          );
          return;
        }
        this.send(c, encodeSyncStep2(target, message.stateVector));
        return;
      }
      case 'sync-update': {
        if (!c.writable) {
          c.droppedWrites++;
          return;
        }
        try {
          Y.applyUpdate(this.doc, message.update, c);
        } catch (e) {
          throw new ProtocolError(`malformed Y.js update (${errorText(e)})`);
        }
        this.commit();
        // Content whose dependencies never arrive waits in memory (and in every snapshot) for ever;
        // an honest client's gap closes within its sync handshake, so a large backlog is an attack.
        const store = this.doc.store as {
          pendingStructs: { update: Uint8Array } | null;
          pendingDs: Uint8Array | null;
        };
        const pending = (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0);
        if (pending > MAX_PENDING_BYTES) {
          store.pendingStructs = null;
          store.pendingDs = null;
          throw new ProtocolError('updates with missing dependencies piled up; they were dropped');
        }
        return;
      }
      case 'awareness': {
        // The id others see is the server's: the token's user id, else this socket's key.
        const identity = { id: c.claims.userId ?? c.key, role: c.claims.role };
        const { entries, flooded } = this.gate.filter(c.key, c.ownerKey, message.update, identity);
        if (flooded) {
          this.drop(c, CLOSE.flood, 'presence flood: a rate-limited presence field kept changing too fast');
          return;
        }
        c.presence.offer(entries);
        return;
      }
      case 'query-awareness':
        this.sendWholePresence(c);
        return;
      case 'auth':
        return;
    }
  }

  /**
   * The room's id for log lines. PartyKit throws on `room.id` in an instance
   * that an alarm woke (no request has named it yet): a log line must not
   * fail the alarm's save.
   */
  protected get label(): string {
    try {
      return this.room.id;
    } catch {
      return '(woken by an alarm)';
    }
  }

  /** The doc a connection syncs with. */
  protected docFor(c: RoomConnection): Y.Doc {
    return c.writable ? this.doc : this.viewDoc;
  }

  /** Closes a misbehaving connection; the room keeps serving the others. */
  protected drop(c: RoomConnection, code: number, reason: string): void {
    console.warn(`room ${this.label}: closing connection ${c.conn.id}: ${reason}`);
    this.removeConnection(c.conn);
    closeWith(c.conn, code, reason);
    this.onConnectionsChanged();
  }

  /** Closes every socket whose link is older than `versions` (the GM replaced it). */
  protected closeReplacedLinks(versions: LinkVersions): number {
    let closed = 0;
    for (const c of [...this.conns.values()]) {
      if (isCurrentLink(c.claims, versions)) continue;
      this.removeConnection(c.conn);
      closeWith(c.conn, CLOSE.linkReplaced, LINK_REPLACED_REASON);
      closed++;
    }
    if (closed) this.onConnectionsChanged();
    return closed;
  }

  /** Called after a connection leaves (subclasses flush when the room empties). */
  protected onConnectionsChanged(): void {}

  protected send(c: RoomConnection, message: Uint8Array): void {
    try {
      c.conn.send(message);
    } catch {
      this.removeConnection(c.conn);
    }
  }

  /**
   * Snapshots each doc whose log is due for it (docStore.ts), or both when
   * `force`d; the log a snapshot replaces is dropped.
   */
  protected async compactNow(force = false): Promise<void> {
    clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    this.compactFirstDirty = 0;
    const snapshot = (store: DocStore, doc: Y.Doc) => (force ? store.compact(doc) : store.compactIfDue(doc));
    await snapshot(this.docStore, this.doc);
    if (this.viewStore) await snapshot(this.viewStore, this.viewDoc);
  }

  private scheduleCompaction(): void {
    const now = Date.now();
    if (!this.compactFirstDirty) this.compactFirstDirty = now;
    const delay = this.options.compactDelayMs ?? DEFAULT_SNAPSHOT_DELAYS.compactDelayMs;
    const max = this.options.compactMaxDelayMs ?? DEFAULT_SNAPSHOT_DELAYS.compactMaxDelayMs;
    const wait = Math.max(0, Math.min(delay, this.compactFirstDirty + max - now));
    clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => {
      this.compactNow().catch((e) => console.error('room snapshot failed', e));
    }, wait);
  }

  /** Size of the authoritative state, V2-encoded (what the snapshot stores). */
  stateBytes(): number {
    return Y.encodeStateAsUpdateV2(this.doc).byteLength;
  }
}

/**
 * Origin of a compaction's epoch switch (epoch.ts): logged and broadcast like
 * the room's own writes, but not a change of any scene, so trackers skip it.
 */
export const EPOCH_ORIGIN = Symbol('epoch');

/** Origin of updates replayed from storage: they are not new, so they are neither logged nor broadcast. */
export const LOAD_ORIGIN = Symbol('load');

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Empties root types other than `allowed` (a client can create any root by
 * naming it in an update; only the layout's roots may hold data). Call
 * inside a transaction.
 */
export function clearUnknownRoots(doc: Y.Doc, allowed: ReadonlySet<string>): void {
  const tr = (doc as Y.Doc & { _transaction: Y.Transaction | null })._transaction;
  if (!tr) return;
  for (const [name, type] of doc.share) {
    if (allowed.has(name)) continue;
    for (const item of type._map.values()) if (!item.deleted) item.delete(tr);
    for (let item = type._start; item; item = item.right) if (!item.deleted) item.delete(tr);
  }
}
