/**
 * The room's side of presence deltas (engine/sync/presenceDelta.ts): what
 * one audience (every GM, or every player: each sees its own projection of
 * presence) was last sent of each awareness client, and the entries of one
 * tick for it.
 *
 * Each tick's entries are encoded once per audience, relative to the
 * audience's last-sent states. Every connection of the audience received
 * those states, except in two cases its message handles:
 * - clients whose current state it set itself, which it never receives (it
 *   knows them);
 * - clients it was sent whole at its handshake (or query) while the room had
 *   not yet sent their newest change, or whose view has moved on since: it
 *   gets these whole the next time they change.
 * So a recipient's message is the audience's entries concatenated, with its
 * own left out and, rarely, some whole ones swapped in; no re-encoding.
 */
import * as encoding from 'lib0/encoding';
import {
  encodeDeltaEntry,
  encodeDeltaMessage,
  writeDeltaEntry,
  type DeltaChange,
} from '../../engine/sync/presenceDelta';

type State = Readonly<Record<string, unknown>>;
const REMOVED: DeltaChange = { kind: 'removed' };
/** Top-level field → the JSON of its value. */
type Fields = ReadonlyMap<string, string>;

/** A changed awareness client as an audience sees it (`state` undefined: removed). */
export interface PresenceChange {
  readonly clientId: number;
  readonly clock: number;
  readonly state: State | undefined;
}

/** JSON of a field value, memoised for one tick (audiences share most values). */
export type JsonOf = (value: unknown) => string;

export function jsonMemo(): JsonOf {
  const memo = new Map<unknown, string>();
  return (value) => {
    let json = memo.get(value);
    if (json === undefined) memo.set(value, (json = JSON.stringify(value) ?? 'null'));
    return json;
  };
}

function fieldsOf(state: State, jsonOf: JsonOf): Fields {
  const fields = new Map<string, string>();
  for (const key of Object.keys(state)) if (state[key] !== undefined) fields.set(key, jsonOf(state[key]));
  return fields;
}

function objectJson(fields: Iterable<[string, string]>): string {
  const parts: string[] = [];
  for (const [key, json] of fields) parts.push(`${JSON.stringify(key)}:${json}`);
  return `{${parts.join(',')}}`;
}

/** One tick's entries for one audience. */
export class AudienceTick {
  #plain: Uint8Array | undefined;
  readonly #whole: (Uint8Array | undefined)[] = [];

  constructor(
    private readonly ids: readonly number[],
    /** Every delta entry (relative to the audience's last-sent states), back to back. */
    private readonly body: Uint8Array,
    /** Where each entry starts in `body`, and one more offset: the end. */
    private readonly starts: readonly number[],
    /** Builds the whole entry of the i-th client (for recipients that need it). */
    private readonly wholeEntry: (i: number) => Uint8Array,
  ) {}

  /**
   * The message for a recipient that owns `own` and needs `whole` sent whole;
   * undefined when nothing is left for it.
   */
  messageFor(own: ReadonlySet<number>, whole: ReadonlySet<number> | undefined): Uint8Array | undefined {
    const parts: Uint8Array[] = [];
    let from = 0; // start of the run of plain delta entries not yet taken
    let count = 0;
    for (let i = 0; i < this.ids.length; i++) {
      const id = this.ids[i]!;
      const skip = own.has(id);
      const swap = !skip && whole !== undefined && whole.has(id);
      if (!skip && !swap) {
        count++;
        continue;
      }
      if (from < i) parts.push(this.body.subarray(this.starts[from], this.starts[i]));
      from = i + 1;
      if (swap) {
        count++;
        parts.push((this.#whole[i] ??= this.wholeEntry(i)));
      }
    }
    if (!count) return undefined;
    if (from === 0) return (this.#plain ??= encodeDeltaMessage(count, [this.body]));
    if (from < this.ids.length) parts.push(this.body.subarray(this.starts[from]));
    return encodeDeltaMessage(count, parts);
  }
}

/** What one audience was last sent; see the module comment. */
export class AudiencePresence {
  readonly #sent = new Map<number, Fields>();

  /** Encodes a tick's changes (as this audience sees them) and records them as sent. */
  tick(changes: readonly PresenceChange[], jsonOf: JsonOf): AudienceTick {
    const ids: number[] = [];
    const starts: number[] = [];
    const sent: (Fields | undefined)[] = [];
    // One buffer for the whole tick: buffers, not bytes, are what a runtime pays most for.
    const body = encoding.createEncoder();
    for (const { clientId, clock, state } of changes) {
      ids.push(clientId);
      starts.push(encoding.length(body));
      if (!state) {
        this.#sent.delete(clientId);
        sent.push(undefined);
        writeDeltaEntry(body, clientId, clock, REMOVED);
        continue;
      }
      const fields = fieldsOf(state, jsonOf);
      const before = this.#sent.get(clientId);
      this.#sent.set(clientId, fields);
      sent.push(fields);
      if (!before) {
        writeDeltaEntry(body, clientId, clock, { kind: 'whole', state: objectJson(fields) });
        continue;
      }
      const set: [string, string][] = [];
      for (const [key, json] of fields) if (before.get(key) !== json) set.push([key, json]);
      const removed = [...before.keys()].filter((key) => !fields.has(key));
      writeDeltaEntry(body, clientId, clock, { kind: 'patch', set: objectJson(set), removed });
    }
    starts.push(encoding.length(body));
    return new AudienceTick(ids, encoding.toUint8Array(body), starts, (i) => {
      const fields = sent[i];
      const change: DeltaChange = fields ? { kind: 'whole', state: objectJson(fields) } : REMOVED;
      return encodeDeltaEntry(ids[i]!, changes[i]!.clock, change);
    });
  }

  /** Forgets clients this audience no longer holds (the room withdrew them): they go out whole next. */
  forget(ids: Iterable<number>): void {
    for (const id of ids) this.#sent.delete(id);
  }
}
