import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { THROTTLE_MS } from '../schema';
import { CursorChannel } from './cursors';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

/** Two awareness instances wired like a room would: every local change reaches the other. */
function pair() {
  const a = new Awareness(new Y.Doc());
  const b = new Awareness(new Y.Doc());
  const sent: number[] = [];
  a.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
    if (origin === 'remote') return;
    sent.push(Date.now());
    applyAwarenessUpdate(b, encodeAwarenessUpdate(a, [...added!, ...updated!, ...removed!]), 'remote');
  });
  return { a, b, sent };
}

describe('CursorChannel', () => {
  it('sends a 120 Hz pointer at most every cursor window, ending on the last position', () => {
    const { a, b, sent } = pair();
    const alice = new CursorChannel(a, { id: 'alice', name: 'Alice', color: '#ff0000' });
    const bob = new CursorChannel(b, { id: 'bob', name: 'Bob', color: '#0000ff' });
    sent.length = 0;
    for (let i = 0; i < 240; i++) {
      alice.update({ x: i, y: -i }, 's1');
      vi.advanceTimersByTime(1000 / 120);
    }
    vi.advanceTimersByTime(100);
    for (let i = 1; i < sent.length; i++)
      expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(THROTTLE_MS.cursor);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(2000 / THROTTLE_MS.cursor) + 1);
    expect(sent.length).toBeGreaterThanOrEqual(Math.floor(2000 / (THROTTLE_MS.cursor + 9)));
    expect(bob.getCursors()).toEqual([
      {
        clientId: a.clientID,
        userId: 'alice',
        name: 'Alice',
        color: '#ff0000',
        x: 239,
        y: -239,
        sceneId: 's1',
      },
    ]);
    expect(alice.getCursors()).toEqual([]); // never one's own
  });

  it('keeps the state tiny and hides a cleared cursor', () => {
    const { a, b } = pair();
    const alice = new CursorChannel(a, { id: 'alice', name: 'Alice', color: '#ff0000' });
    const bob = new CursorChannel(b, { id: 'bob', name: 'Bob', color: '#0000ff' });
    alice.update({ x: 1.23456, y: 2 });
    expect(JSON.stringify(a.getLocalState()).length).toBeLessThan(100);
    expect(bob.getCursors()[0]).toMatchObject({ x: 1.2, y: 2, sceneId: undefined });
    vi.advanceTimersByTime(THROTTLE_MS.cursor);
    alice.clear();
    expect(bob.getCursors()).toEqual([]);
  });

  it('ignores positions that are not finite numbers', () => {
    const { a, b } = pair();
    const alice = new CursorChannel(a, { id: 'alice', name: 'Alice', color: '#ff0000' });
    const bob = new CursorChannel(b, { id: 'bob', name: 'Bob', color: '#0000ff' });
    alice.update({ x: Number.NaN, y: 0 });
    expect(bob.getCursors()).toEqual([]);
  });
});
