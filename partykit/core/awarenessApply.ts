/**
 * Applies awareness entries the room has already parsed (and sanitized,
 * awarenessGate.ts) to its `Awareness`, with exactly the rules and events of
 * y-protocols' `applyAwarenessUpdate` (1.0.x): that function takes encoded
 * bytes and JSON-parses every state again, which for a room relaying cursors
 * at 30 Hz a client was a second parse of every state the gate had just built.
 */
import type { Awareness } from 'y-protocols/awareness';
import { equalityDeep } from 'lib0/function';

/** One parsed awareness entry: `state` null removes the client's state. */
export interface ParsedAwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly state: Readonly<Record<string, unknown>> | null;
}

/**
 * As `applyAwarenessUpdate(awareness, encode(entries), origin)`: a newer clock
 * wins; an equal clock with a null state removes; a remote removal of the
 * local state bumps its clock instead; then 'change' (added, deep-changed,
 * removed) and 'update' (added, every accepted update, removed) with `origin`.
 * The states are stored as given, so callers hand over objects nobody mutates.
 */
export function applyAwarenessEntries(
  awareness: Awareness,
  entries: Iterable<ParsedAwarenessEntry>,
  origin: unknown,
): void {
  const timestamp = Date.now();
  const added: number[] = [];
  const updated: number[] = [];
  const filteredUpdated: number[] = [];
  const removed: number[] = [];
  for (const entry of entries) {
    const clientID = entry.clientId;
    const state = entry.state as Record<string, unknown> | null;
    let clock = entry.clock;
    const clientMeta = awareness.meta.get(clientID);
    const prevState = awareness.states.get(clientID);
    const currClock = clientMeta === undefined ? 0 : clientMeta.clock;
    if (!(currClock < clock || (currClock === clock && state === null && awareness.states.has(clientID))))
      continue;
    if (state === null) {
      // Never let a remote client remove the local state: bump its clock so it is re-announced.
      if (clientID === awareness.clientID && awareness.getLocalState() != null) clock++;
      else awareness.states.delete(clientID);
    } else {
      awareness.states.set(clientID, state);
    }
    awareness.meta.set(clientID, { clock, lastUpdated: timestamp });
    if (clientMeta === undefined && state !== null) {
      added.push(clientID);
    } else if (clientMeta !== undefined && state === null) {
      removed.push(clientID);
    } else if (state !== null) {
      if (!equalityDeep(state, prevState)) filteredUpdated.push(clientID);
      updated.push(clientID);
    }
  }
  if (added.length > 0 || filteredUpdated.length > 0 || removed.length > 0)
    awareness.emit('change', [{ added, updated: filteredUpdated, removed }, origin]);
  if (added.length > 0 || updated.length > 0 || removed.length > 0)
    awareness.emit('update', [{ added, updated, removed }, origin]);
}
