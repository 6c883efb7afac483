/**
 * The room's side of document compaction (protocol in engine/sync/epoch.ts):
 * copying the current values into the next epoch's roots, deciding when that
 * pays off, and keeping clients from rewriting the epoch record.
 */
import * as Y from 'yjs';
import {
  EPOCH_KEYS,
  EPOCH_ROOTS,
  epochOf,
  getEpochMap,
  mergeGcRuns,
  rootName,
  type EpochRecord,
} from '../../engine/sync/epoch';

type AnyType = Y.AbstractType<unknown>;

/** A fresh copy of a Y.Map / Y.Array tree: same values, none of its history. */
function copyType(from: AnyType): Y.Map<unknown> | Y.Array<unknown> {
  if (from instanceof Y.Array) {
    const to = new Y.Array<unknown>();
    to.insert(0, from.toArray().map(copyValue));
    return to;
  }
  const to = new Y.Map<unknown>();
  if (from instanceof Y.Map) for (const [k, v] of from.entries()) to.set(k, copyValue(v));
  return to;
}

function copyValue(v: unknown): unknown {
  if (v instanceof Y.AbstractType) return copyType(v as AnyType);
  // Binary values are stored by reference in Y.js; a copy keeps the two epochs independent.
  return v instanceof Uint8Array ? v.slice() : v;
}

function root(doc: Y.Doc, base: string, n: number): Y.Map<unknown> | Y.Array<unknown> {
  const name = rootName(base, n);
  return EPOCH_ROOTS[base] === Y.Array ? doc.getArray<unknown>(name) : doc.getMap<unknown>(name);
}

function fill(to: Y.Map<unknown> | Y.Array<unknown>, from: Y.Map<unknown> | Y.Array<unknown>): void {
  if (to instanceof Y.Array && from instanceof Y.Array) to.insert(0, from.toArray().map(copyValue));
  else if (to instanceof Y.Map && from instanceof Y.Map)
    for (const [k, v] of from.entries()) to.set(k, copyValue(v));
}

/** Deletes every entry of a root: its whole subtree is then garbage-collected to a few bytes. */
function clear(type: Y.Map<unknown> | Y.Array<unknown>): void {
  if (type instanceof Y.Array) {
    if (type.length) type.delete(0, type.length);
  } else for (const k of [...type.keys()]) type.delete(k);
}

/** A doc's state vector as a plain record (client id → next clock). */
export function stateVectorRecord(doc: Y.Doc): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) out[String(client)] = clock;
  return out;
}

/**
 * Moves `doc` to the next epoch: copies the current roots into fresh ones,
 * empties the old ones and writes the epoch record — one transaction, so a
 * client receives the switch as one update and never sees an empty scene.
 * Returns the new record.
 */
export function rotateEpoch(doc: Y.Doc, cut: Record<string, number>, origin: unknown): EpochRecord {
  const n = epochOf(doc);
  doc.transact(() => {
    for (const base of Object.keys(EPOCH_ROOTS)) {
      const from = root(doc, base, n);
      fill(root(doc, base, n + 1), from);
      clear(from);
    }
    const epoch = getEpochMap(doc);
    epoch.set(EPOCH_KEYS.cut, cut);
    epoch.set(EPOCH_KEYS.n, n + 1);
  }, origin);
  mergeGcRuns(doc);
  return { n: n + 1, cut };
}

/** V1 bytes of the current values alone, written once into a fresh doc: what a compaction leaves. */
export function liveBytes(doc: Y.Doc): number {
  const scratch = new Y.Doc({ gc: true });
  const n = epochOf(doc);
  scratch.transact(() => {
    for (const base of Object.keys(EPOCH_ROOTS)) fill(root(scratch, base, 0), root(doc, base, n));
  });
  const bytes = Y.encodeStateAsUpdate(scratch).byteLength;
  scratch.destroy();
  return bytes;
}

/** When a compaction pays off. */
export interface CompactionPolicy {
  /** Compact when the state a joiner receives exceeds this multiple of the live data… */
  readonly ratio: number;
  /** …and this many bytes (small docs are not worth an epoch switch). */
  readonly minBytes: number;
  /** Above this multiple the room compacts even while people are editing. */
  readonly busyRatio: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { ratio: 1.5, minBytes: 16 * 1024, busyRatio: 8 };

/**
 * Decides when to compact, cheaply: the full state is encoded (O(state)) only
 * when the room is about to snapshot anyway, and the live size (a scratch
 * copy) only when the state has grown past twice the last live size.
 */
export class CompactionGate {
  private lastLive = 0;

  constructor(private readonly policy: CompactionPolicy = DEFAULT_COMPACTION) {}

  shouldCompact(doc: Y.Doc, idle: boolean): boolean {
    const state = Y.encodeStateAsUpdate(doc).byteLength;
    if (state < this.policy.minBytes || state <= 2 * this.lastLive) return false;
    this.lastLive = liveBytes(doc);
    const limit = (idle ? this.policy.ratio : this.policy.busyRatio) * this.lastLive;
    return state > limit;
  }
}

/**
 * Only the room writes the epoch record: a client's write to it (which would
 * point everyone at empty roots) is put back. Call inside a room transaction.
 */
export function restoreEpoch(doc: Y.Doc, want: EpochRecord): void {
  const epoch = getEpochMap(doc);
  for (const k of [...epoch.keys()]) if (k !== EPOCH_KEYS.n && k !== EPOCH_KEYS.cut) epoch.delete(k);
  if (epoch.get(EPOCH_KEYS.n) !== (want.n === 0 ? undefined : want.n)) {
    if (want.n === 0) epoch.delete(EPOCH_KEYS.n);
    else epoch.set(EPOCH_KEYS.n, want.n);
  }
  if (JSON.stringify(epoch.get(EPOCH_KEYS.cut) ?? {}) !== JSON.stringify(want.cut)) {
    if (want.n === 0) epoch.delete(EPOCH_KEYS.cut);
    else epoch.set(EPOCH_KEYS.cut, want.cut);
  }
}
