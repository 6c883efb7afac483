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
import { encodeDeltaEntry, encodeDeltaMessage } from '../../engine/sync/presenceDelta';

type State = Readonly<Record<string, unknown>>;
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
  /** Every delta entry, back to back, and where each starts (one more offset: the end). */
  readonly #body: Uint8Array;
  readonly #starts: number[] = [0];

  constructor(
    private readonly ids: readonly number[],
    /** Entries relative to the audience's last-sent states. */
    deltas: readonly Uint8Array[],
    /** Builds the whole entry of the i-th client (for recipients that need it). */
    private readonly wholeEntry: (i: number) => Uint8Array,
  ) {
    for (const d of deltas) this.#starts.push(this.#starts.at(-1)! + d.byteLength);
    this.#body = new Uint8Array(this.#starts.at(-1)!);
    deltas.forEach((d, i) => this.#body.set(d, this.#starts[i]!));
  }

  /**
   * The message for a recipient that owns `own` and needs `whole` sent whole;
   * undefined when nothing is left for it.
   */
  messageFor(own: ReadonlySet<number>, whole: ReadonlySet<number> | undefined): Uint8Array | undefined {
    const parts: Uint8Array[] = [];
    let from = 0; // start of the run of plain delta entries not yet taken
    let count = 0;
    this.ids.forEach((id, i) => {
      const skip = own.has(id);
      const swap = !skip && whole?.has(id);
      if (!skip && !swap) {
        count++;
        return;
      }
      if (from < i) parts.push(this.#body.subarray(this.#starts[from], this.#starts[i]));
      from = i + 1;
      if (swap) {
        count++;
        parts.push((this.#whole[i] ??= this.wholeEntry(i)));
      }
    });
    if (!count) return undefined;
    if (from === 0) return (this.#plain ??= encodeDeltaMessage(count, [this.#body]));
    if (from < this.ids.length) parts.push(this.#body.subarray(this.#starts[from]));
    return encodeDeltaMessage(count, parts);
  }
}

/** What one audience was last sent; see the module comment. */
export class AudiencePresence {
  readonly #sent = new Map<number, Fields>();

  /** Encodes a tick's changes (as this audience sees them) and records them as sent. */
  tick(changes: readonly PresenceChange[], jsonOf: JsonOf): AudienceTick {
    const ids: number[] = [];
    const deltas: Uint8Array[] = [];
    const wholes: (() => Uint8Array)[] = [];
    for (const { clientId, clock, state } of changes) {
      ids.push(clientId);
      if (!state) {
        this.#sent.delete(clientId);
        const removal = encodeDeltaEntry(clientId, clock, { kind: 'removed' });
        deltas.push(removal);
        wholes.push(() => removal);
        continue;
      }
      const fields = fieldsOf(state, jsonOf);
      const before = this.#sent.get(clientId);
      this.#sent.set(clientId, fields);
      const whole = () => encodeDeltaEntry(clientId, clock, { kind: 'whole', state: objectJson(fields) });
      wholes.push(whole);
      if (!before) {
        deltas.push(whole());
        continue;
      }
      const set: [string, string][] = [];
      for (const [key, json] of fields) if (before.get(key) !== json) set.push([key, json]);
      const removed = [...before.keys()].filter((key) => !fields.has(key));
      deltas.push(encodeDeltaEntry(clientId, clock, { kind: 'patch', set: objectJson(set), removed }));
    }
    return new AudienceTick(ids, deltas, (i) => wholes[i]!());
  }

  /** Forgets clients this audience no longer holds (the room withdrew them): they go out whole next. */
  forget(ids: Iterable<number>): void {
    for (const id of ids) this.#sent.delete(id);
  }
}
