import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { AwarenessGate, DEFAULT_AWARENESS_LIMITS } from './awarenessGate';
import { CORE_PRESENCE } from '../../engine/sync/presence';
import { DISPLAY_PRESENCE } from '../../engine/sync/displays';
import { ProtocolError } from './messages';

function updateFor(clientID: number, state: unknown): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const awareness = new Awareness(doc);
  awareness.setLocalState(state as Record<string, unknown>);
  const update = encodeAwarenessUpdate(awareness, [clientID]);
  awareness.destroy();
  return update;
}

describe('AwarenessGate', () => {
  it('lets a connection claim fresh ids and refuses ids owned by another connection', () => {
    const gate = new AwarenessGate();
    expect(gate.filter('c1', 'c1', updateFor(1, { x: 1 })).dropped).toBe(0);
    const spoof = gate.filter('c2', 'c2', updateFor(1, { x: 2 }));
    expect(spoof).toMatchObject({ update: undefined, entries: [], dropped: 1 });
    expect(gate.filter('c1', 'c1', updateFor(1, { x: 3 })).update).toBeDefined();
  });

  it('keeps ids of a user reserved for that user after the connection closes', () => {
    const gate = new AwarenessGate();
    gate.filter('c1', 'user:gm', updateFor(7, { name: 'GM' }));
    expect(gate.release('c1', 'user:gm')).toEqual([7]);
    expect(gate.filter('c2', 'c2', updateFor(7, { name: 'GM' })).dropped).toBe(1);
    expect(gate.filter('c3', 'user:gm', updateFor(7, { name: 'GM' })).dropped).toBe(0);
  });

  it('frees ids of anonymous connections when they close', () => {
    const gate = new AwarenessGate();
    gate.filter('c1', 'c1', updateFor(9, {}));
    gate.release('c1', 'c1');
    expect(gate.filter('c2', 'c2', updateFor(9, {})).dropped).toBe(0);
  });

  it('drops oversized states and caps the ids one connection may hold', () => {
    const gate = new AwarenessGate({ maxIdsPerConnection: 2, maxStateChars: 100, maxEntries: 4 });
    expect(gate.filter('c', 'c', updateFor(1, { junk: 'x'.repeat(200) })).dropped).toBe(1);
    gate.filter('c', 'c', updateFor(1, {}));
    gate.filter('c', 'c', updateFor(2, {}));
    expect(gate.filter('c', 'c', updateFor(3, {})).dropped).toBe(1);
  });

  it('stamps the server-known identity over what the client claims, and drops non-object states', () => {
    const gate = new AwarenessGate();
    const { update } = gate.filter('c', 'c', updateFor(4, { user: { name: 'Me', role: 'gm' } }), {
      role: 'player',
    });
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    applyAwarenessUpdate(awareness, update!, null);
    expect(awareness.getStates().get(4)).toEqual({ user: { name: 'Me', role: 'player' } });
    awareness.destroy();
    expect(gate.filter('c', 'c', updateFor(4, 'a string' as unknown), { role: 'player' }).dropped).toBe(1);
  });

  it('rebuilds states from the presence schema: hostile colour, long name, spoofed id and extra fields never pass', () => {
    const gate = new AwarenessGate();
    const hostile = {
      user: { id: 'gm-user', role: 'gm', name: 'N'.repeat(100), color: 'red;background:url(http://x)' },
      cursor: { x: 1, y: 2, extra: '<img>' },
      html: '<b>x</b>',
      p: [{ s: 'scene', k: ['grid', 'size'], v: 'x'.repeat(600) }],
    };
    const { update } = gate.filter('c', 'c', updateFor(5, hostile), { id: 'socket:1', role: 'player' });
    const awareness = new Awareness(new Y.Doc());
    applyAwarenessUpdate(awareness, update!, null);
    expect(awareness.getStates().get(5)).toEqual({
      user: { name: 'N'.repeat(40), id: 'socket:1', role: 'player' },
      cursor: { x: 1, y: 2 },
    });
    awareness.destroy();
    // A state too large to be honest is dropped whole, before it is even parsed.
    expect(gate.filter('c', 'c', updateFor(5, { user: { name: 'N'.repeat(10_000) } })).dropped).toBe(1);
  });

  it('throws a ProtocolError for malformed bytes', () => {
    expect(() => new AwarenessGate().filter('c', 'c', Uint8Array.from([5, 1]))).toThrow(ProtocolError);
  });
  it("keeps a display's well-formed size report and strips a malformed one, keeping the rest", () => {
    const read = (update: Uint8Array | undefined): Record<string, unknown> => {
      const awareness = new Awareness(new Y.Doc());
      applyAwarenessUpdate(awareness, update!, 'test');
      const state = [...awareness.getStates().values()].find((s) => 'cursor' in s)!;
      awareness.destroy();
      return state;
    };
    // The game-session room declares the display field on top of the core presence.
    const gate = new AwarenessGate(DEFAULT_AWARENESS_LIMITS, CORE_PRESENCE.with(DISPLAY_PRESENCE));
    const screen = { width: 1920, height: 1080, pixelRatio: 1 };
    const good = gate.filter('tv', 'tv', updateFor(11, { cursor: null, screen }), { role: 'player' });
    expect(read(good.update).screen).toEqual(screen);
    for (const bad of [
      { width: -5, height: 1080, pixelRatio: 1 },
      { width: 1e9, height: 2, pixelRatio: 1 },
      'big',
    ]) {
      const r = gate.filter('tv', 'tv', updateFor(11, { cursor: null, screen: bad }), { role: 'player' });
      const state = read(r.update);
      expect(state.screen).toBeUndefined();
      expect(state.user).toEqual({ role: 'player' });
    }
  });

  it('hands the room each state exactly as a receiver parses its JSON, even from a reader returning non-JSON values', () => {
    const odd = {
      key: 'odd',
      read: () => ({ nan: NaN, gone: undefined, list: [undefined, 1, -0], when: new Date(0), n: 2 }),
    };
    const gate = new AwarenessGate(DEFAULT_AWARENESS_LIMITS, CORE_PRESENCE.with(odd));
    const states = [
      { user: { name: 'A', color: '#AABBCC' }, cursor: { x: 1.5, y: -2, s: 'scene-1' } },
      { user: { name: 'B' }, cursor: null, odd: true },
      { user: {}, p: [{ s: 'scene', k: ['grid', 'size'], v: 3 }] },
    ];
    for (const state of states) {
      const result = gate.filter('c', 'c', updateFor(6, state), { id: 'socket:1', role: 'player' });
      const [entry] = result.entries;
      const awareness = new Awareness(new Y.Doc());
      applyAwarenessUpdate(awareness, result.update!, null);
      expect(entry!.state).toStrictEqual(awareness.getStates().get(6));
      expect(entry!.chars).toBe(JSON.stringify(entry!.state).length);
      awareness.destroy();
    }
    const removal = gate.filter('c', 'c', Uint8Array.from([1, 6, 9, 4, ...new TextEncoder().encode('null')]));
    expect(removal.entries).toEqual([{ clientId: 6, clock: 9, state: null, chars: 4 }]);
  });
});
