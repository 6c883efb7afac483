import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import { applyAwarenessEntries, type ParsedAwarenessEntry } from './awarenessApply';
import { encodeEntries } from './awarenessGate';

type Events = [string, unknown, unknown][];

/** An awareness whose local client is 1 (state set or not), recording its events. */
function recorded(localState: Record<string, unknown> | null): { awareness: Awareness; events: Events } {
  const doc = new Y.Doc();
  doc.clientID = 1;
  const awareness = new Awareness(doc);
  awareness.setLocalState(localState);
  const events: Events = [];
  awareness.on('change', (e: unknown, origin: unknown) => events.push(['change', e, origin]));
  awareness.on('update', (e: unknown, origin: unknown) => events.push(['update', e, origin]));
  return { awareness, events };
}

function snapshot(awareness: Awareness) {
  return {
    states: [...awareness.getStates()],
    clocks: [...awareness.meta].map(([id, m]) => [id, m.clock]),
  };
}

/** Applies each batch both ways (y-protocols from bytes, ours from objects) and expects the same outcome. */
function expectSameAsYProtocols(
  localState: Record<string, unknown> | null,
  batches: ParsedAwarenessEntry[][],
) {
  const theirs = recorded(localState);
  const ours = recorded(localState);
  const origin = { key: 'socket:1' };
  for (const batch of batches) {
    const wire = batch.map((e) => ({ ...e, state: JSON.stringify(e.state) }));
    applyAwarenessUpdate(theirs.awareness, encodeEntries(wire), origin);
    applyAwarenessEntries(ours.awareness, batch, origin);
    expect(snapshot(ours.awareness)).toEqual(snapshot(theirs.awareness));
  }
  expect(ours.events).toEqual(theirs.events);
  expect(ours.events.every(([, , o]) => o === origin)).toBe(true);
  return ours;
}

const cursor = (x: number) => ({ user: { name: 'A', id: 'u', role: 'player' }, cursor: { x, y: 0 } });

describe('applyAwarenessEntries', () => {
  it('adds, updates and removes like applyAwarenessUpdate, with the same events and origin', () => {
    const { events } = expectSameAsYProtocols(null, [
      [{ clientId: 7, clock: 1, state: cursor(1) }],
      [{ clientId: 7, clock: 2, state: cursor(2) }],
      [{ clientId: 7, clock: 3, state: null }],
    ]);
    expect(events.map(([name]) => name)).toEqual([
      'change',
      'update',
      'change',
      'update',
      'change',
      'update',
    ]);
  });

  it('ignores stale clocks and reports an unchanged state as updated but not changed', () => {
    const { events } = expectSameAsYProtocols(null, [
      [{ clientId: 7, clock: 5, state: cursor(1) }],
      [{ clientId: 7, clock: 4, state: cursor(9) }],
      [{ clientId: 7, clock: 5, state: cursor(9) }],
      [{ clientId: 7, clock: 6, state: cursor(1) }],
    ]);
    expect(events.at(-1)).toEqual(['update', { added: [], updated: [7], removed: [] }, { key: 'socket:1' }]);
  });

  it('removes on an equal clock with a null state, and only while the state is held', () => {
    expectSameAsYProtocols(null, [
      [{ clientId: 7, clock: 2, state: cursor(1) }],
      [{ clientId: 7, clock: 2, state: null }],
      [{ clientId: 7, clock: 2, state: null }],
      [{ clientId: 7, clock: 3, state: cursor(2) }],
    ]);
  });

  it('never lets a remote removal drop the local state: the clock is bumped instead', () => {
    const { awareness } = expectSameAsYProtocols({ me: true }, [[{ clientId: 1, clock: 5, state: null }]]);
    expect(awareness.getLocalState()).toEqual({ me: true });
    expect(awareness.meta.get(1)?.clock).toBe(6);
  });

  it('applies several clients in one batch in order, and a client twice in one batch', () => {
    expectSameAsYProtocols(null, [
      [
        { clientId: 7, clock: 1, state: cursor(1) },
        { clientId: 8, clock: 1, state: cursor(2) },
        { clientId: 7, clock: 2, state: cursor(3) },
      ],
      [
        { clientId: 8, clock: 2, state: null },
        { clientId: 9, clock: 1, state: null },
        { clientId: 7, clock: 3, state: cursor(3) },
      ],
    ]);
  });
});
