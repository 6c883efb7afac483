/**
 * Presence deltas end to end without sockets: the room's per-audience
 * encoder (presenceAudience.ts) and the client's decoder
 * (engine/sync/presenceDelta.ts) between real y-protocols Awareness objects.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MESSAGE_PRESENCE_DELTA,
  applyPresenceDelta,
  readDeltaEntries,
  type DeltaEntry,
} from '../../engine/sync/presenceDelta';
import { encodeEntries } from './awarenessGate';
import { AudiencePresence, jsonMemo, type PresenceChange } from './presenceAudience';

const made: Awareness[] = [];
afterEach(() => {
  for (const a of made.splice(0)) a.destroy();
});

/** A client's awareness (its own state empty, as a listener). */
function listener(): Awareness {
  const a = new Awareness(new Y.Doc());
  a.setLocalState(null);
  made.push(a);
  return a;
}

type State = Record<string, unknown>;

/** One room tick: the changed clients with their clocks. */
function tick(audience: AudiencePresence, changes: [number, number, State | undefined][]) {
  return audience.tick(
    changes.map(([clientId, clock, state]): PresenceChange => ({ clientId, clock, state })),
    jsonMemo(),
  );
}

function entriesOf(message: Uint8Array | undefined): DeltaEntry[] {
  if (!message) return [];
  const d = decoding.createDecoder(message);
  expect(decoding.readVarUint(d)).toBe(MESSAGE_PRESENCE_DELTA);
  return readDeltaEntries(d);
}

function apply(to: Awareness, message: Uint8Array | undefined): boolean {
  if (!message) return true;
  const d = decoding.createDecoder(message);
  decoding.readVarUint(d);
  return applyPresenceDelta(to, d, 'room');
}

const NOBODY: ReadonlySet<number> = new Set();
const user = { name: 'Ann', color: '#112233', id: 'u1', role: 'gm' };

describe('presence deltas', () => {
  it('sends a new client whole, then only the fields that changed, and marks removed fields', () => {
    const audience = new AudiencePresence();
    const first = entriesOf(
      tick(audience, [[7, 1, { user, cursor: { x: 1, y: 1 } }]]).messageFor(NOBODY, undefined),
    );
    expect(first[0]!.change.kind).toBe('whole');
    const moved = entriesOf(
      tick(audience, [[7, 2, { user, cursor: { x: 2, y: 1 }, p: [1] }]]).messageFor(NOBODY, undefined),
    );
    expect(moved[0]!.change).toEqual({ kind: 'patch', set: '{"cursor":{"x":2,"y":1},"p":[1]}', removed: [] });
    const dropped = entriesOf(
      tick(audience, [[7, 3, { user, cursor: { x: 2, y: 1 } }]]).messageFor(NOBODY, undefined),
    );
    expect(dropped[0]!.change).toEqual({ kind: 'patch', set: '{}', removed: ['p'] });
    const gone = entriesOf(tick(audience, [[7, 3, undefined]]).messageFor(NOBODY, undefined));
    expect(gone[0]).toEqual({ clientId: 7, clock: 3, change: { kind: 'removed' } });
    // After a removal the client is new again: whole.
    const back = entriesOf(tick(audience, [[7, 4, { user }]]).messageFor(NOBODY, undefined));
    expect(back[0]!.change).toEqual({ kind: 'whole', state: JSON.stringify({ user }) });
  });

  it('rebuilds every full state on the listener, in order, the newest clock winning', () => {
    const audience = new AudiencePresence();
    const a = listener();
    const seen: number[] = [];
    a.on('change', ({ updated }: { updated: number[] }) => seen.push(...updated));
    const states: State[] = [];
    for (let i = 1; i <= 5; i++) {
      const state = { user, cursor: { x: i, y: 0 } };
      states.push(state);
      expect(
        apply(
          a,
          tick(audience, [
            [7, i, state],
            [8, i, { user: { ...user, id: 'u2' }, cursor: { x: -i, y: 0 } }],
          ]).messageFor(NOBODY, undefined),
        ),
      ).toBe(true);
      expect(a.getStates().get(7)).toEqual(state);
      expect(a.getStates().get(8)).toEqual({ user: { ...user, id: 'u2' }, cursor: { x: -i, y: 0 } });
    }
    expect(a.meta.get(7)?.clock).toBe(5);
    expect(seen.filter((id) => id === 7)).toHaveLength(4); // each move is a 'change' the cursor code hears
    // An older entry arriving late is ignored by the awareness clock, as with standard updates.
    const stale = new AudiencePresence();
    apply(a, tick(stale, [[7, 2, { user, cursor: { x: 99, y: 0 } }]]).messageFor(NOBODY, undefined));
    expect(a.getStates().get(7)).toEqual(states[4]);
    // A removal within the same tick as a move leaves no state.
    apply(a, tick(audience, [[7, 6, undefined]]).messageFor(NOBODY, undefined));
    expect(a.getStates().has(7)).toBe(false);
  });

  it('never sends a recipient its own clients, and sends nothing when only they changed', () => {
    const audience = new AudiencePresence();
    const t = tick(audience, [
      [7, 1, { user, cursor: { x: 1, y: 1 } }],
      [8, 1, { user, cursor: { x: 2, y: 2 } }],
    ]);
    expect(entriesOf(t.messageFor(new Set([7]), undefined)).map((e) => e.clientId)).toEqual([8]);
    expect(entriesOf(t.messageFor(new Set([8]), undefined)).map((e) => e.clientId)).toEqual([7]);
    expect(t.messageFor(new Set([7, 8]), undefined)).toBeUndefined();
    // Everyone else shares one message.
    expect(t.messageFor(NOBODY, undefined)).toBe(t.messageFor(new Set([99]), undefined));
  });

  it('a crowded tick: counts and ids past one varuint byte, a recipient’s own entry cut from the middle', () => {
    const audience = new AudiencePresence();
    const ids = Array.from({ length: 200 }, (_, i) => 1_000_000 + i);
    const t = tick(
      audience,
      ids.map((id, i): [number, number, State] => [id, 300 + i, { user, cursor: { x: i, y: -i } }]),
    );
    expect(entriesOf(t.messageFor(NOBODY, undefined)).map((e) => e.clientId)).toEqual(ids);
    const own = ids[77]!;
    const theirs = entriesOf(t.messageFor(new Set([own]), undefined));
    expect(theirs.map((e) => e.clientId)).toEqual(ids.filter((id) => id !== own));
    expect(theirs.map((e) => e.clock)).toEqual(ids.map((_, i) => 300 + i).filter((_, i) => i !== 77));
    const to = listener();
    expect(apply(to, t.messageFor(new Set([own]), undefined))).toBe(true);
    expect(to.getStates().get(ids[199]!)).toEqual({ user, cursor: { x: 199, y: -199 } });
    expect(to.getStates().has(own)).toBe(false);
  });

  it('a client that joined between two ticks ends with the newest state', () => {
    const audience = new AudiencePresence();
    const old = listener();
    apply(
      old,
      tick(audience, [[7, 1, { user, cursor: { x: 1, y: 1 }, p: ['a'] }]]).messageFor(NOBODY, undefined),
    );
    // Between the ticks client 7 moves to x=2; a newcomer joins and is sent the state whole then
    // (the room's handshake: a standard awareness update), newer than what the audience was last sent.
    const joined = (): Awareness => {
      const a = listener();
      const state = JSON.stringify({ user, cursor: { x: 2, y: 1 }, p: ['a'] });
      applyAwarenessUpdate(a, encodeEntries([{ clientId: 7, clock: 2, state }]), 'room');
      return a;
    };
    // Moving on (x=3, preview dropped): the patch carries the newest value of every changed field, so
    // applied over the joiner's newer copy it gives the newest state as well.
    const forward = joined();
    const moved = { user, cursor: { x: 3, y: 1 } };
    const t = tick(audience, [[7, 3, moved]]);
    for (const a of [old, forward]) {
      expect(apply(a, t.messageFor(NOBODY, undefined))).toBe(true);
      expect(a.getStates().get(7)).toEqual(moved);
    }
  });

  it('a joiner whose copy differs in a field that went back to the last-sent value is sent the client whole', () => {
    const audience = new AudiencePresence();
    const old = listener();
    apply(old, tick(audience, [[7, 1, { user, cursor: { x: 1, y: 1 } }]]).messageFor(NOBODY, undefined));
    const joiner = listener();
    const between = JSON.stringify({ user, cursor: { x: 2, y: 1 } });
    applyAwarenessUpdate(joiner, encodeEntries([{ clientId: 7, clock: 2, state: between }]), 'room');
    // Back at x=1, the value the audience was last sent: the patch leaves the cursor out.
    const back = { user, cursor: { x: 1, y: 1 } };
    const t = tick(audience, [[7, 3, back]]);
    expect(entriesOf(t.messageFor(NOBODY, undefined))[0]!.change).toEqual({
      kind: 'patch',
      set: '{}',
      removed: [],
    });
    apply(old, t.messageFor(NOBODY, undefined));
    expect(old.getStates().get(7)).toEqual(back);
    // So the room sends a joiner whole each client it was sent outside the deltas, at that client's next change.
    apply(joiner, t.messageFor(NOBODY, new Set([7])));
    expect(joiner.getStates().get(7)).toEqual(back);
    // From then on it holds what the audience holds, and patches alone are right.
    const later = { user, cursor: { x: 5, y: 5 } };
    const t3 = tick(audience, [[7, 4, later]]);
    for (const a of [old, joiner]) {
      apply(a, t3.messageFor(NOBODY, undefined));
      expect(a.getStates().get(7)).toEqual(later);
    }
  });

  it('reports a patch for a client the listener does not hold, so it can ask for every state', () => {
    const audience = new AudiencePresence();
    tick(audience, [[7, 1, { user, cursor: { x: 1, y: 1 } }]]);
    const fresh = listener();
    expect(
      apply(fresh, tick(audience, [[7, 2, { user, cursor: { x: 3, y: 1 } }]]).messageFor(NOBODY, undefined)),
    ).toBe(false);
    expect(fresh.getStates().has(7)).toBe(false);
  });

  it('forgotten clients (withdrawn by the room) go out whole again', () => {
    const audience = new AudiencePresence();
    tick(audience, [[7, 1, { user, cursor: { x: 1, y: 1 } }]]);
    audience.forget([7]);
    const next = entriesOf(
      tick(audience, [[7, 2, { user, cursor: { x: 1, y: 2 } }]]).messageFor(NOBODY, undefined),
    );
    expect(next[0]!.change.kind).toBe('whole');
  });
});
