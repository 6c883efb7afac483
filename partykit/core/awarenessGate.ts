/**
 * Awareness anti-spoofing. The y-protocols server trusts every awareness
 * entry it receives, so any connection could overwrite or remove another
 * user's cursor. Here a connection owns the awareness client ids it
 * introduced; entries for ids owned by someone else are dropped, as are
 * oversized states. Ownership outlives the connection for ids bound to a
 * user id, so after a GM disconnects a player cannot take over the GM's id.
 * Every state is rebuilt from the presence schema (engine/sync/presence.ts):
 * only declared, validated fields reach other clients.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CORE_PRESENCE, type PresenceGuard, type PresenceSchema } from '../../engine/sync/presence';
import type { ParsedAwarenessEntry } from './awarenessApply';
import { ProtocolError } from './messages';
import { ConnectionRates } from './presenceRates';

/** Limits on what one connection may put into awareness. */
export interface AwarenessLimits {
  /** Client ids one connection may own (one per Y.Doc it syncs; tabs reconnect with the same). */
  readonly maxIdsPerConnection: number;
  /** Longest JSON state, in characters: cursors and names are small. */
  readonly maxStateChars: number;
  /** Entries in one awareness message. */
  readonly maxEntries: number;
}

export const DEFAULT_AWARENESS_LIMITS: AwarenessLimits = {
  maxIdsPerConnection: 4,
  maxStateChars: 2048,
  maxEntries: 16,
};

/** One awareness entry as on the wire: the state is JSON (`null` removes it). */
export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly state: string;
}
type Entry = AwarenessEntry;

/** An entry the gate kept: its rebuilt state as an object (for the room) and the length of its JSON (for budgets). */
export interface GatedEntry extends ParsedAwarenessEntry {
  readonly chars: number;
}

function decodeEntries(update: Uint8Array, maxEntries: number): Entry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > maxEntries)
      throw new ProtocolError(`awareness message has ${count} entries; the limit is ${maxEntries}`);
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarString(decoder);
      entries.push({ clientId, clock, state });
    }
    return entries;
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError('malformed awareness update');
  }
}

/** Encodes entries as an awareness update (y-protocols' format). */
export function encodeEntries(entries: readonly Entry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.state);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * True when `value` is already what `JSON.parse(JSON.stringify(value))`
 * gives back (plain objects and arrays, finite numbers, strings, booleans,
 * null; no undefined, no holes), so the room may keep it as it is.
 */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainJson(value[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * Rebuilds a state from the presence schema (undeclared fields dropped, each
 * declared one validated) with the server's facts about the connection (its
 * role from the token, its id) stamped over `user`, so no one can present
 * themselves as a GM or as another user. Returns the state as others will
 * parse it and its JSON; undefined when the state is not a JSON object.
 */
function sanitizeState(
  state: string,
  schema: PresenceSchema,
  identity: Readonly<Record<string, string>> | undefined,
  guard: PresenceGuard,
): { state: Record<string, unknown>; json: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(state);
  } catch {
    return undefined;
  }
  const clean = schema.sanitize(parsed, identity, guard);
  if (clean === undefined) return undefined;
  const json = JSON.stringify(clean);
  // Readers normally return plain JSON; anything else is normalised as a receiver would parse it.
  return { state: isPlainJson(clean) ? clean : (JSON.parse(json) as Record<string, unknown>), json };
}

/** A gated entry as on the wire. */
function toWire(e: GatedEntry): Entry {
  return { clientId: e.clientId, clock: e.clock, state: JSON.stringify(e.state) };
}

/** Tracks which connection (and user) owns which awareness client id. */
export class AwarenessGate {
  /** clientId → owner key (user id when the token has one, else connection id). */
  private readonly owners = new Map<number, string>();
  /** connection id → client ids it set. */
  private readonly byConnection = new Map<string, Set<number>>();
  /** connection id → its rate-limited fields (see presenceRates.ts). */
  private readonly rates = new Map<string, ConnectionRates>();

  constructor(
    private readonly limits: AwarenessLimits = DEFAULT_AWARENESS_LIMITS,
    private readonly schema: PresenceSchema = CORE_PRESENCE,
  ) {}

  /**
   * Filters an awareness update from a connection: keeps only entries for
   * ids it owns or may claim, with states within the size limit, each
   * rebuilt from the presence schema. Returns the kept entries (states
   * parsed, ready for applyAwarenessEntries), how many entries were dropped,
   * and `flooded` once the connection kept exceeding a field's rate (the room
   * cuts it off); `update` encodes the kept entries on demand (undefined when
   * nothing is left). Throws {@link ProtocolError} for malformed bytes.
   */
  filter(
    connectionId: string,
    ownerKey: string,
    update: Uint8Array,
    identity?: Readonly<Record<string, string>>,
    now: number = Date.now(),
  ): { readonly update: Uint8Array | undefined; entries: GatedEntry[]; dropped: number; flooded: boolean } {
    const entries = decodeEntries(update, this.limits.maxEntries);
    const mine = this.byConnection.get(connectionId) ?? new Set<number>();
    let rates = this.rates.get(connectionId);
    if (!rates) this.rates.set(connectionId, (rates = new ConnectionRates(undefined, now)));
    const guard = rates.guard(now);
    const kept: GatedEntry[] = [];
    for (const entry of entries) {
      const owner = this.owners.get(entry.clientId);
      if (owner !== undefined && owner !== ownerKey) continue;
      if (!mine.has(entry.clientId) && mine.size >= this.limits.maxIdsPerConnection) continue;
      if (entry.state.length > this.limits.maxStateChars) continue;
      let gated: GatedEntry;
      if (entry.state === 'null') {
        gated = { clientId: entry.clientId, clock: entry.clock, state: null, chars: entry.state.length };
      } else {
        const clean = sanitizeState(entry.state, this.schema, identity, guard);
        // Checked again after rebuilding: the stamp adds a little, and the limit is what others receive.
        if (clean === undefined || clean.json.length > this.limits.maxStateChars) continue;
        gated = {
          clientId: entry.clientId,
          clock: entry.clock,
          state: clean.state,
          chars: clean.json.length,
        };
      }
      mine.add(entry.clientId);
      this.owners.set(entry.clientId, ownerKey);
      kept.push(gated);
    }
    this.byConnection.set(connectionId, mine);
    this.trim();
    return {
      get update() {
        return kept.length ? encodeEntries(kept.map(toWire)) : undefined;
      },
      entries: kept,
      dropped: entries.length - kept.length,
      flooded: rates.flooded,
    };
  }

  /** The client ids a connection set (to remove their states when it closes). */
  release(connectionId: string, ownerKey: string): number[] {
    const ids = [...(this.byConnection.get(connectionId) ?? [])];
    this.byConnection.delete(connectionId);
    this.rates.delete(connectionId);
    // Ids not bound to a user die with their connection; user-bound ids stay reserved for that user.
    if (ownerKey === connectionId) for (const id of ids) this.owners.delete(id);
    return ids;
  }

  /** Bounds memory: forget the oldest reservations of users long gone. */
  private trim(): void {
    const max = 10_000;
    if (this.owners.size <= max) return;
    const live = new Set([...this.byConnection.values()].flatMap((s) => [...s]));
    for (const id of this.owners.keys()) {
      if (this.owners.size <= max / 2) break;
      if (!live.has(id)) this.owners.delete(id);
    }
  }
}
