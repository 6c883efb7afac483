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

/** Work per slice of an {@link EpochRotation}: values copied, entries deleted. */
export interface RotationSlices {
  readonly copy: number;
  readonly clear: number;
}

/**
 * Counted rather than timed: workerd's clock does not advance during synchronous work. About 10 ms a
 * slice in Node for a 1,000-marker scene (bench metric 4 reports the longest).
 */
export const DEFAULT_SLICES: RotationSlices = { copy: 1500, clear: 3000 };

type Container = Y.Map<unknown> | Y.Array<unknown>;
const isContainer = (v: unknown): v is Container => v instanceof Y.Map || v instanceof Y.Array;

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

interface CopyJob {
  readonly from: Container;
  readonly to: Container;
  keys?: string[];
  at: number;
}

/**
 * Copies containers into fresh ones (in the same doc or another), a bounded
 * number of values per step, one transaction each: nested maps and arrays
 * are created empty and filled by later steps.
 */
class SlicedCopy {
  readonly #queue: CopyJob[] = [];
  /** Source type → its copy. */
  readonly copies = new Map<Container, Container>();

  constructor(
    private readonly target: Y.Doc,
    private readonly origin: unknown,
    pairs: ReadonlyArray<readonly [Container, Container]>,
  ) {
    for (const [from, to] of pairs) {
      this.#queue.push({ from, to, at: 0 });
      this.copies.set(from, to);
    }
  }

  get done(): boolean {
    return this.#queue.length === 0;
  }

  /** Copies up to `budget` values. True when everything is copied. */
  step(budget: number): boolean {
    if (this.done) return true;
    this.target.transact(() => {
      let left = budget;
      while (left > 0 && this.#queue.length) {
        const job = this.#queue[0]!;
        if (job.from instanceof Y.Array) {
          (job.to as Y.Array<unknown>).insert(0, job.from.toArray().map(copyValue));
          left -= Math.max(1, job.from.length);
          this.#queue.shift();
          continue;
        }
        const from = job.from;
        const to = job.to as Y.Map<unknown>;
        job.keys ??= [...from.keys()];
        while (left > 0 && job.at < job.keys.length) {
          const key = job.keys[job.at++]!;
          left--;
          if (!from.has(key)) continue; // deleted since: the re-copy at the switch sees it
          const value = from.get(key);
          if (isContainer(value)) {
            const copy = value instanceof Y.Array ? new Y.Array<unknown>() : new Y.Map<unknown>();
            to.set(key, copy);
            this.copies.set(value, copy);
            this.#queue.push({ from: value, to: copy, at: 0 });
          } else to.set(key, copyValue(value));
        }
        if (job.at >= job.keys.length) this.#queue.shift();
      }
    }, this.origin);
    return this.done;
  }
}

/**
 * Moves a doc to the next epoch in slices, so the room's event loop is never
 * held for the whole document (a 1,000-marker scene took ~300 ms at once):
 *
 * 1. `copyStep` copies the current roots into the next epoch's, a bounded
 *    number of values per call (one transaction each). Clients receive the
 *    new roots as they grow but read the current epoch until the switch.
 *    Every type of the old roots that changes meanwhile is recorded.
 * 2. `switchEpoch` (one transaction) re-copies what changed after it was
 *    copied and writes the epoch record: clients see the complete new epoch
 *    at once, and `cut` is the state the copy holds.
 * 3. `clearStep` empties the old roots, leaves first, a bounded number of
 *    entries per call; their whole history then collapses to GC ranges.
 *
 * A crash before the switch leaves a partial next epoch the room clears as
 * an unknown root; after it, old roots the room finishes clearing.
 */
export class EpochRotation {
  readonly from: number;
  readonly to: number;
  readonly #copy: SlicedCopy;
  /** Old types changed during the copy. */
  readonly #dirty = new Set<Container>();
  readonly #unobserve: Array<() => void> = [];
  #switched = false;
  #cleared = false;
  /** A write into the next epoch's roots by anyone but this rotation (a client): the copy is void. */
  tampered = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly origin: unknown,
  ) {
    this.from = epochOf(doc);
    this.to = this.from + 1;
    const pairs: Array<[Container, Container]> = [];
    doc.transact(() => {
      for (const base of Object.keys(EPOCH_ROOTS)) {
        const from = root(doc, base, this.from);
        const to = root(doc, base, this.to);
        clear(to); // left over from an attempt that never switched
        pairs.push([from, to]);
        const onOld = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
          for (const e of events) if (isContainer(e.target)) this.#dirty.add(e.target);
        };
        from.observeDeep(onOld);
        const onNew = (_e: unknown, tr: Y.Transaction) => {
          if (tr.origin !== this.origin) this.tampered = true;
        };
        to.observeDeep(onNew);
        this.#unobserve.push(
          () => from.unobserveDeep(onOld),
          () => to.unobserveDeep(onNew),
        );
      }
    }, origin);
    this.#copy = new SlicedCopy(doc, origin, pairs);
  }

  /** Root names of both epochs (the room must not clear either while rotating). */
  rootNames(): string[] {
    return Object.keys(EPOCH_ROOTS).flatMap((b) => [rootName(b, this.from), rootName(b, this.to)]);
  }

  get copied(): boolean {
    return this.#copy.done;
  }

  get switched(): boolean {
    return this.#switched;
  }

  get cleared(): boolean {
    return this.#cleared;
  }

  /** Copies up to `budget` values into the next epoch. True when everything is copied. */
  copyStep(budget: number): boolean {
    return this.#copy.step(budget);
  }

  /**
   * Carries the changes made during the copy into it and switches the doc to
   * the next epoch, in one transaction. Call once {@link copied}.
   */
  switchEpoch(cut: Record<string, number>): EpochRecord {
    if (!this.copied) throw new Error('switchEpoch before the copy is complete');
    this.doc.transact(() => {
      for (const from of this.#dirty) {
        const to = this.#copy.copies.get(from);
        if (to && !from._item?.deleted) this.#recopy(from, to);
      }
      const epoch = getEpochMap(this.doc);
      epoch.set(EPOCH_KEYS.cut, cut);
      epoch.set(EPOCH_KEYS.n, this.to);
    }, this.origin);
    this.#switched = true;
    this.#stopObserving();
    return { n: this.to, cut };
  }

  #recopy(from: Container, to: Container): void {
    if (from instanceof Y.Array || to instanceof Y.Array) {
      // Arrays (the scene order) are small: copied again whole.
      if (!(from instanceof Y.Array && to instanceof Y.Array)) return;
      if (to.length) to.delete(0, to.length);
      to.insert(0, from.toArray().map(copyValue));
      return;
    }
    for (const [key, value] of from.entries()) {
      const current = to.get(key);
      if (isContainer(value)) {
        if (current === undefined || this.#copy.copies.get(value) !== current) to.set(key, copyValue(value));
      } else if (!to.has(key) || !sameValue(current, value)) to.set(key, copyValue(value));
    }
    for (const key of [...to.keys()]) if (!from.has(key)) to.delete(key);
  }

  /** Deletes up to `budget` entries of the old roots, leaves first. True when they are empty. */
  clearStep(budget: number): boolean {
    if (!this.#switched) throw new Error('clearStep before the switch');
    if (this.#cleared) return true;
    let left = budget;
    this.doc.transact(() => {
      for (const base of Object.keys(EPOCH_ROOTS)) {
        left = drain(root(this.doc, base, this.from), left);
        if (left <= 0) return;
      }
    }, this.origin);
    if (left > 0) {
      this.#cleared = true;
      mergeGcRuns(this.doc);
    }
    return this.#cleared;
  }

  /** Stops recording (the rotation was abandoned or is done). */
  dispose(): void {
    this.#stopObserving();
  }

  #stopObserving(): void {
    for (const off of this.#unobserve.splice(0)) off();
  }
}

/** Deletes entries of `type` (their own entries first) until `left` runs out; returns what is left. */
function drain(type: Container, left: number): number {
  if (type instanceof Y.Array) {
    for (const v of type.toArray()) {
      if (left <= 0) return 0;
      if (isContainer(v)) left = drain(v, left);
    }
    if (left <= 0) return 0;
    const n = Math.min(type.length, left);
    if (n) type.delete(0, n);
    return left - n;
  }
  for (const [key, value] of type.entries()) {
    if (left <= 0) return 0;
    if (isContainer(value)) {
      left = drain(value, left);
      if (left <= 0) return 0;
    }
    type.delete(key);
    left--;
  }
  return left;
}

/**
 * Moves `doc` to the next epoch at once (every slice of an
 * {@link EpochRotation} in a row): for tests and tools; the room rotates in
 * slices across turns. Returns the new record.
 */
export function rotateEpoch(doc: Y.Doc, cut: Record<string, number>, origin: unknown): EpochRecord {
  const rotation = new EpochRotation(doc, origin);
  while (!rotation.copyStep(Infinity));
  const record = rotation.switchEpoch(cut);
  while (!rotation.clearStep(Infinity));
  return record;
}

/**
 * V1 bytes of the current values alone, written once into a fresh doc (what
 * a compaction leaves), copied in slices (awaiting `between` after each) so a
 * large document does not hold the room's event loop. Values changed
 * meanwhile make it an estimate, which is all the compaction policy needs.
 */
export async function liveBytesInSlices(
  doc: Y.Doc,
  between: () => Promise<void>,
  budget = DEFAULT_SLICES.copy,
): Promise<number> {
  const scratch = new Y.Doc({ gc: true });
  const n = epochOf(doc);
  const pairs = Object.keys(EPOCH_ROOTS).map((b) => [root(doc, b, n), root(scratch, b, 0)] as const);
  const copy = new SlicedCopy(scratch, null, pairs);
  while (!copy.step(budget)) await between();
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
 * copy) only when the state has grown past the idle ratio of the last live
 * size (while busy, past twice it: the busy limit is far above). Checking
 * against the idle ratio itself, not twice the last live size, keeps what a
 * late joiner receives after a pause within the ratio (bench metric 12).
 */
export class CompactionGate {
  private lastLive = 0;

  constructor(private readonly policy: CompactionPolicy = DEFAULT_COMPACTION) {}

  /** `between` runs between the slices of the live-size copy (the room yields the event loop there). */
  async shouldCompact(doc: Y.Doc, idle: boolean, between: () => Promise<void>): Promise<boolean> {
    const state = Y.encodeStateAsUpdate(doc).byteLength;
    const recheck = idle ? this.policy.ratio : Math.max(2, this.policy.ratio);
    if (state < this.policy.minBytes || state <= recheck * this.lastLive) return false;
    this.lastLive = await liveBytesInSlices(doc, between);
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
