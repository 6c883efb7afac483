/**
 * Presence deltas: the room's compact per-tick presence message (type
 * {@link MESSAGE_PRESENCE_DELTA}, next to y-protocols' 0–3). A standard
 * awareness update carries every changed client's whole state; at 30 Hz most
 * of it (the user's name, colour, id and role) repeats what the recipient
 * already holds. A delta entry carries only the top-level fields whose value
 * changed since the last state the recipient's audience was sent (a new
 * client, or one a recipient must be given whole, goes out whole; a
 * disconnect as a removal), with the client's awareness clock.
 *
 * Wire: varuint type, varuint count, then per entry: varuint clientId,
 * varuint clock, varuint kind, and for `whole` the state JSON, for `patch`
 * the changed fields as one JSON object plus the removed field names.
 * Entries are self-contained, so the room encodes each once per audience and
 * builds a recipient's message by concatenating bytes (leaving out the
 * recipient's own clients, which it knows).
 *
 * The client rebuilds each full state (its current copy plus the patch) and
 * applies it as a standard awareness update, so clocks, 'change' / 'update'
 * events, timeouts and the cursor code work unchanged. A patch for a client
 * it does not hold (its copy timed out) cannot be rebuilt: it then asks the
 * room for every state again (query awareness), which the room answers whole.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate, type Awareness } from 'y-protocols/awareness';

/** The message type (y-protocols uses 0 sync, 1 awareness, 2 auth, 3 query awareness). */
export const MESSAGE_PRESENCE_DELTA = 4;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

const WHOLE = 0;
const PATCH = 1;
const REMOVED = 2;

/** One encoded entry. */
export type DeltaChange =
  | { readonly kind: 'whole'; readonly state: string }
  | { readonly kind: 'patch'; readonly set: string; readonly removed: readonly string[] }
  | { readonly kind: 'removed' };

/** Encodes one entry (see the module comment). */
export function encodeDeltaEntry(clientId: number, clock: number, change: DeltaChange): Uint8Array {
  const e = encoding.createEncoder();
  writeDeltaEntry(e, clientId, clock, change);
  return encoding.toUint8Array(e);
}

/** Writes one entry to `e`: a room writes a tick's entries back to back into one buffer. */
export function writeDeltaEntry(
  e: encoding.Encoder,
  clientId: number,
  clock: number,
  change: DeltaChange,
): void {
  encoding.writeVarUint(e, clientId);
  encoding.writeVarUint(e, clock);
  if (change.kind === 'whole') {
    encoding.writeVarUint(e, WHOLE);
    encoding.writeVarString(e, change.state);
  } else if (change.kind === 'patch') {
    encoding.writeVarUint(e, PATCH);
    encoding.writeVarString(e, change.set);
    encoding.writeVarUint(e, change.removed.length);
    for (const key of change.removed) encoding.writeVarString(e, key);
  } else encoding.writeVarUint(e, REMOVED);
}

/** A delta message of `count` already encoded entries, given as byte runs to concatenate. */
export function encodeDeltaMessage(count: number, runs: readonly Uint8Array[]): Uint8Array {
  // One allocation: a room builds one of these per recipient per tick, and buffers are what a runtime
  // pays most for (workerd tracks each one's backing store).
  let length = varUintLength(MESSAGE_PRESENCE_DELTA) + varUintLength(count);
  for (const run of runs) length += run.byteLength;
  const message = new Uint8Array(length);
  let at = writeVarUintAt(message, writeVarUintAt(message, 0, MESSAGE_PRESENCE_DELTA), count);
  for (const run of runs) {
    message.set(run, at);
    at += run.byteLength;
  }
  return message;
}

/** Bytes of `n` as a varuint (lib0's encoding). */
function varUintLength(n: number): number {
  let bytes = 1;
  for (; n > 0x7f; n = Math.floor(n / 0x80)) bytes++;
  return bytes;
}

/** Writes `n` as a varuint at `at`; returns where it ends. */
function writeVarUintAt(buf: Uint8Array, at: number, n: number): number {
  for (; n > 0x7f; n = Math.floor(n / 0x80)) buf[at++] = 0x80 | (n & 0x7f);
  buf[at++] = n;
  return at;
}

/** One decoded entry. */
export interface DeltaEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly change: DeltaChange;
}

/** Decodes a delta message's body (after its type). Throws on malformed bytes. */
export function readDeltaEntries(decoder: decoding.Decoder): DeltaEntry[] {
  const entries: DeltaEntry[] = [];
  for (let n = decoding.readVarUint(decoder); n > 0; n--) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const kind = decoding.readVarUint(decoder);
    let change: DeltaChange;
    if (kind === WHOLE) change = { kind: 'whole', state: decoding.readVarString(decoder) };
    else if (kind === PATCH) {
      const set = decoding.readVarString(decoder);
      const removed: string[] = [];
      for (let r = decoding.readVarUint(decoder); r > 0; r--) removed.push(decoding.readVarString(decoder));
      change = { kind: 'patch', set, removed };
    } else if (kind === REMOVED) change = { kind: 'removed' };
    else throw new Error(`unknown presence delta kind ${kind}`);
    entries.push({ clientId, clock, change });
  }
  return entries;
}

/**
 * The full state an entry leaves (`null`: removed), given the awareness's
 * current copy of the client; undefined when a patch has no copy to apply to.
 */
export function rebuildState(
  base: Readonly<Record<string, unknown>> | undefined,
  change: DeltaChange,
): Record<string, unknown> | null | undefined {
  if (change.kind === 'removed') return null;
  if (change.kind === 'whole') return JSON.parse(change.state) as Record<string, unknown> | null;
  if (!base) return undefined;
  const state: Record<string, unknown> = { ...base, ...(JSON.parse(change.set) as object) };
  for (const key of change.removed) delete state[key];
  return state;
}

/**
 * Applies a delta message's body to `awareness` as one standard awareness
 * update (origin `origin`). Returns false when some patch found no copy to
 * apply to (ask the room for every state again).
 */
export function applyPresenceDelta(
  awareness: Awareness,
  decoder: decoding.Decoder,
  origin: unknown,
): boolean {
  const states = awareness.getStates();
  const update = encoding.createEncoder();
  let complete = true;
  const rebuilt: [number, number, string][] = [];
  for (const { clientId, clock, change } of readDeltaEntries(decoder)) {
    const state = rebuildState(states.get(clientId), change);
    if (state === undefined) complete = false;
    else rebuilt.push([clientId, clock, JSON.stringify(state)]);
  }
  if (rebuilt.length) {
    encoding.writeVarUint(update, rebuilt.length);
    for (const [clientId, clock, json] of rebuilt) {
      encoding.writeVarUint(update, clientId);
      encoding.writeVarUint(update, clock);
      encoding.writeVarString(update, json);
    }
    applyAwarenessUpdate(awareness, encoding.toUint8Array(update), origin);
  }
  return complete;
}

/** The query-awareness message: "send me every state" (the room answers with whole states). */
export function encodeQueryAwareness(): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_QUERY_AWARENESS);
  return encoding.toUint8Array(e);
}

/** The parts of a YPartyKitProvider the delta handler needs (its per-instance handler table, its socket). */
interface ProviderLike {
  readonly awareness: Awareness;
  readonly ws: { send(data: Uint8Array): void; readonly readyState: number } | null;
  messageHandlers: unknown[];
}

/**
 * Teaches a YPartyKitProvider the delta message. When a patch cannot be
 * applied it asks for every state on the socket itself (the provider only
 * sends replies longer than one byte, and the query is one byte).
 */
export function acceptPresenceDeltas(provider: ProviderLike): void {
  provider.messageHandlers[MESSAGE_PRESENCE_DELTA] = (
    _encoder: encoding.Encoder,
    decoder: decoding.Decoder,
    p: ProviderLike,
  ) => {
    if (!applyPresenceDelta(p.awareness, decoder, p) && p.ws?.readyState === 1)
      p.ws.send(encodeQueryAwareness());
  };
}

/** Also used by raw clients (tests, benchmarks) that read the awareness message type. */
export { MESSAGE_AWARENESS };
