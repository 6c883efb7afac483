/**
 * Presence fan-out coalesced per tick (partykit/core/presenceFanout.ts),
 * against the real `partykit dev` rooms: listeners receive each tick's
 * changes of many senders as one presence delta message
 * (engine/sync/presenceDelta.ts), each sender's newest state
 * last-value-wins, never an older state after a newer one, never after a
 * document change the room applied later, never their own state back, and
 * after the first state only the fields that changed; players still receive
 * only the previews they may see; a disconnect's removal goes out without
 * waiting for anyone else's traffic; a client joining mid-stream ends with
 * the same states as everyone else; and an editor client sends the room only
 * its own state, not the others' it received.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import { WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../engine/generated';
import { getPath, getSceneMap, setPath } from '../../../engine/sync';
import { PREVIEW_FIELD, readPreviews } from '../../../engine/sync/previews';
import {
  MESSAGE_PRESENCE_DELTA,
  applyPresenceDelta,
  readDeltaEntries,
  type DeltaChange,
} from '../../../engine/sync/presenceDelta';
import type { PartykitDev } from '../../harness/partykit';
import { client, destroyAll } from '../sync/support';
import {
  RawClient,
  createParty,
  picks,
  roomUrl,
  startApp,
  startRooms,
  waitFor,
  type AppHandle,
  type TestParty,
} from './support';

let app: AppHandle;
let pk: PartykitDev;
const raws: RawClient[] = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
});

afterEach(() => {
  destroyAll();
  for (const r of raws.splice(0)) r.close();
});

afterAll(async () => {
  await pk?.stop();
  await app?.close();
});

async function connect(party: TestParty, token: string): Promise<RawClient> {
  const c = await RawClient.connect(roomUrl(pk, 'game_session', party.gameSessionId, token));
  raws.push(c);
  await c.whenSynced();
  return c;
}

interface Entry {
  readonly clientId: number;
  readonly clock: number;
  /** Standard awareness entries are whole states. */
  readonly change: DeltaChange;
}

/**
 * The presence messages among `frames` — standard awareness updates (the
 * handshake) and presence deltas (every tick) — decoded entry by entry.
 */
function awarenessMessages(frames: readonly Buffer[]): Entry[][] {
  const out: Entry[][] = [];
  for (const frame of frames) {
    const outer = decoding.createDecoder(new Uint8Array(frame));
    const type = decoding.readVarUint(outer);
    if (type === MESSAGE_PRESENCE_DELTA) {
      out.push(readDeltaEntries(outer));
      continue;
    }
    if (type !== 1) continue;
    const d = decoding.createDecoder(decoding.readVarUint8Array(outer));
    const entries: Entry[] = [];
    for (let n = decoding.readVarUint(d); n > 0; n--) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const state = decoding.readVarString(d);
      entries.push({
        clientId,
        clock,
        change: state === 'null' ? { kind: 'removed' } : { kind: 'whole', state },
      });
    }
    out.push(entries);
  }
  return out;
}

const cursorX = (state: unknown) => (state as { cursor?: { x?: number } } | undefined)?.cursor?.x;

describe('presence fan-out, coalesced per tick', () => {
  it('a burst from many senders reaches each listener coalesced, newest state per client, in clock order', async () => {
    const party = await createParty(app, 'Fan-out party');
    const listeners = [await connect(party, party.gm), await connect(party, party.player)];
    const senders = [
      await connect(party, party.gm),
      await connect(party, party.player),
      await connect(party, party.player),
    ];
    const first = listeners.map((l) => l.received.length);
    const UPDATES = 12;
    // Each sender's burst goes out at once: the room receives it within far less than a tick.
    for (const s of senders)
      for (let i = 1; i <= UPDATES; i++) s.publishAwareness({ cursor: { x: i, y: 0 } });
    await waitFor('every listener to see every sender’s last cursor', () =>
      listeners.every((l) =>
        senders.every((s) => cursorX(l.awareness.getStates().get(s.doc.clientID)) === UPDATES),
      ),
    );

    for (const [i, listener] of listeners.entries()) {
      const messages = awarenessMessages(listener.received.slice(first[i]));
      // Standard decoding gave each sender's newest state (checked above); no entry goes backwards.
      const lastClock = new Map<number, number>();
      for (const entries of messages) {
        const inMessage = new Set<number>();
        for (const e of entries) {
          expect(inMessage.has(e.clientId)).toBe(false); // one entry per client per message
          inMessage.add(e.clientId);
          expect(e.clock).toBeGreaterThan(lastClock.get(e.clientId) ?? 0);
          lastClock.set(e.clientId, e.clock);
        }
      }
      // Coalesced: far fewer messages than updates, and some carried several senders at once.
      expect(messages.length).toBeLessThan((senders.length * UPDATES) / 2);
      expect(messages.some((entries) => entries.length > 1)).toBe(true);
      // Superseded states were dropped, not relayed late: fewer entries than updates sent.
      const entries = messages.flat().filter((e) => senders.some((s) => s.doc.clientID === e.clientId));
      expect(entries.length).toBeLessThan(senders.length * UPDATES);
    }
  });

  it('a presence change the room applied before a document change reaches listeners before it', async () => {
    const party = await createParty(app, 'Ordering party');
    const listener = await connect(party, party.gm);
    const gm = await connect(party, party.gm);
    await waitFor('the GM to hold the scene', () => getSceneMap(gm.doc, party.sceneId));
    const { plugin, prop, max } = picks.rangedNumber();
    const first = listener.received.length;
    gm.publishAwareness({ cursor: { x: 4242, y: 0 } });
    gm.doc.transact(() =>
      setPath(getSceneMap(gm.doc, party.sceneId)!, [plugin.key, prop.key], max, registry),
    );
    await waitFor('the listener to receive the change', () => {
      const scene = getSceneMap(listener.doc, party.sceneId);
      return scene && getPath(scene, [plugin.key, prop.key], registry) === max;
    });

    // Replays the listener's frames in order into a fresh doc and awareness: the cursor comes first.
    const replay = new Y.Doc();
    const awareness = new Awareness(replay);
    let cursorAt = -1;
    let changeAt = -1;
    listener.received.forEach((frame, i) => {
      const d = decoding.createDecoder(new Uint8Array(frame));
      const type = decoding.readVarUint(d);
      if (type === 0) syncProtocol.readSyncMessage(d, encoding.createEncoder(), replay, null);
      else if (type === 1) applyAwarenessUpdate(awareness, decoding.readVarUint8Array(d), null);
      else if (type === MESSAGE_PRESENCE_DELTA) applyPresenceDelta(awareness, d, null);
      if (i < first) return;
      if (cursorAt < 0 && cursorX(awareness.getStates().get(gm.doc.clientID)) === 4242) cursorAt = i;
      const scene = getSceneMap(replay, party.sceneId);
      if (changeAt < 0 && scene && getPath(scene, [plugin.key, prop.key], registry) === max) changeAt = i;
    });
    awareness.destroy();
    expect(cursorAt).toBeGreaterThanOrEqual(first);
    expect(changeAt).toBeGreaterThan(cursorAt);
  });

  it('players receive a coalesced tick with only the previews they may see; GMs receive all of it', async () => {
    const party = await createParty(app, 'Audience party');
    const collection = registry.collections.find((c) => c.gmOnlyWhen.size > 0)!;
    const [hideKey, hideValues] = [...collection.gmOnlyWhen][0]!;
    const point = collection.props.find(
      (p) => !p.localOnly && p.audience === 'all' && p.decl.kind === 'point',
    )!;
    const author = client(pk, party, 'author');
    await author.whenSynced();
    const hidden = author.addMember(collection.key, { [hideKey]: hideValues[0] }, party.sceneId);
    const shown = author.addMember(collection.key, {}, party.sceneId);
    const gmListener = await connect(party, party.gm);
    const player = await connect(party, party.player);
    const members = (c: RawClient) =>
      getSceneMap(c.doc, party.sceneId)?.get(collection.key) as Y.Map<unknown> | undefined;
    await waitFor('the GM listener to hold both markers', () =>
      [hidden, shown].every((id) => members(gmListener)?.has(id)),
    );
    await waitFor('the player to hold the shown marker', () => members(player)?.has(shown));
    const gmA = await connect(party, party.gm);
    const gmB = await connect(party, party.gm);
    const other = await connect(party, party.player);
    const preview = (id: string) => ({
      s: party.sceneId,
      k: [collection.key, id, point.key],
      v: { x: 7, y: 8 },
    });
    const first = player.received.length;
    // In one tick: a preview of the gm-only marker, one of the shown marker, and a player's cursor.
    gmA.publishAwareness({ cursor: { x: 1, y: 1 }, [PREVIEW_FIELD]: [preview(hidden)] });
    gmB.publishAwareness({ cursor: { x: 2, y: 2 }, [PREVIEW_FIELD]: [preview(shown)] });
    other.publishAwareness({ cursor: { x: 3, y: 3 } });
    const everyone = [gmA, gmB, other].map((c) => c.doc.clientID);
    for (const listener of [gmListener, player])
      await waitFor('every state to arrive', () =>
        everyone.every((id) => listener.awareness.getStates().has(id)),
      );

    const states = (l: RawClient, c: RawClient) => l.awareness.getStates().get(c.doc.clientID);
    expect(readPreviews(states(gmListener, gmA)).map((p) => p.k[1])).toEqual([hidden]);
    expect(readPreviews(states(gmListener, gmB)).map((p) => p.k[1])).toEqual([shown]);
    expect(readPreviews(states(player, gmA))).toEqual([]);
    expect(readPreviews(states(player, gmB)).map((p) => p.k[1])).toEqual([shown]);
    expect(cursorX(states(player, gmA))).toBe(1);
    // Nothing of the gm-only marker ever reached the player's socket.
    expect(player.allBytes().toString('latin1')).not.toContain(hidden);
    const toPlayer = awarenessMessages(player.received.slice(first));
    expect(toPlayer.some((entries) => entries.length > 1)).toBe(true);
  });

  it('a disconnect’s removal reaches GMs and players on its own tick, with no other traffic', async () => {
    const party = await createParty(app, 'Removal party');
    const listeners = [await connect(party, party.gm), await connect(party, party.player)];
    const leaving = await connect(party, party.player);
    const id = leaving.doc.clientID;
    leaving.publishAwareness({ cursor: { x: 9, y: 9 } });
    await waitFor('listeners to see the cursor', () =>
      listeners.every((l) => l.awareness.getStates().has(id)),
    );
    const first = listeners.map((l) => l.received.length);
    // A last move and the close in the same tick: the removal wins, and goes out without other traffic.
    leaving.publishAwareness({ cursor: { x: 10, y: 10 } });
    leaving.close();
    await waitFor('listeners to drop the state', () =>
      listeners.every((l) => !l.awareness.getStates().has(id)),
    );
    for (const [i, l] of listeners.entries()) {
      const entries = awarenessMessages(l.received.slice(first[i]))
        .flat()
        .filter((e) => e.clientId === id);
      expect(entries.at(-1)?.change.kind).toBe('removed');
    }
  });

  it('senders never receive their own state back; after a client’s first state only changed fields go out', async () => {
    const party = await createParty(app, 'Delta party');
    const listener = await connect(party, party.player);
    const gm = await connect(party, party.gm);
    const player = await connect(party, party.player);
    const senders = [gm, player];
    const from = senders.map((s) => s.received.length);
    const firstListened = listener.received.length;
    const STEPS = 5;
    for (let i = 1; i <= STEPS; i++) {
      gm.publishAwareness({ user: { name: 'Ann', color: '#112233' }, cursor: { x: i, y: 0 } });
      player.publishAwareness({ user: { name: 'Bob', color: '#445566' }, cursor: { x: -i, y: 0 } });
      await waitFor(`step ${i} to reach the listener`, () =>
        senders.every(
          (s) => Math.abs(cursorX(listener.awareness.getStates().get(s.doc.clientID)) ?? 0) === i,
        ),
      );
    }
    for (const [i, s] of senders.entries()) {
      const other = senders[1 - i]!;
      await waitFor(
        'each sender to see the other’s last cursor',
        () => Math.abs(cursorX(s.awareness.getStates().get(other.doc.clientID)) ?? 0) === STEPS,
      );
      // Each sender holds the other's full state (the room's stamp included), rebuilt from patches...
      expect(s.awareness.getStates().get(other.doc.clientID)).toEqual(
        listener.awareness.getStates().get(other.doc.clientID),
      );
      // ...and was never sent its own.
      const own = awarenessMessages(s.received.slice(from[i]))
        .flat()
        .filter((e) => e.clientId === s.doc.clientID);
      expect(own).toEqual([]);
    }
    expect((listener.awareness.getStates().get(gm.doc.clientID)?.user as { role?: string }).role).toBe('gm');
    for (const s of senders) {
      const entries = awarenessMessages(listener.received.slice(firstListened))
        .flat()
        .filter((e) => e.clientId === s.doc.clientID);
      expect(entries[0]!.change.kind).toBe('whole');
      expect(entries.length).toBeGreaterThan(1);
      // The name, colour, id and role did not change: later entries carry the cursor alone.
      for (const e of entries.slice(1)) {
        expect(e.change.kind).toBe('patch');
        if (e.change.kind === 'patch')
          expect(Object.keys(JSON.parse(e.change.set) as object)).toEqual(['cursor']);
      }
    }
  });

  it('a client joining while others move ends with the same states as a listener that was there', async () => {
    const party = await createParty(app, 'Joiner party');
    const old = await connect(party, party.player);
    const movers = [await connect(party, party.gm), await connect(party, party.player)];
    const move = (i: number) =>
      movers.forEach((m, k) =>
        m.publishAwareness({
          user: { name: `Mover ${k}`, color: '#445566' },
          cursor: { x: i, y: k },
          ...(i % 3 === 0 ? { [PREVIEW_FIELD]: [] } : {}),
        }),
      );
    for (let i = 1; i <= 10; i++) move(i);
    const joiner = await connect(party, party.player);
    for (let i = 11; i <= 20; i++) move(i);
    // Back to a position the room sent before the joiner came.
    move(10);
    const settled = (c: RawClient) =>
      movers.every((m) => cursorX(c.awareness.getStates().get(m.doc.clientID)) === 10);
    await waitFor('the old listener to see the last moves', () => settled(old));
    await waitFor('the joiner to see the last moves', () => settled(joiner));
    for (const m of movers)
      expect(joiner.awareness.getStates().get(m.doc.clientID)).toEqual(
        old.awareness.getStates().get(m.doc.clientID),
      );
  });

  it('an editor client sends the room only its own presence, never the states it received', async () => {
    const party = await createParty(app);
    // Everything bob's game-session socket sends (the party room's socket carries another doc's presence).
    const sentByBob: Buffer[] = [];
    class Recording extends WebSocket {
      override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
        if (this.url.includes('/game_session/')) sentByBob.push(Buffer.from(data as Uint8Array));
        (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    const alice = client(pk, party, 'alice');
    const bob = client(pk, party, 'bob', {
      WebSocketPolyfill: Recording as unknown as typeof globalThis.WebSocket,
    });
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    for (let x = 1; x <= 5; x++) {
      alice.updateCursor({ x: x * 10, y: 5 });
      await waitFor('bob to see alice’s cursor', () => bob.getCursors().some((c) => c.x === x * 10));
    }
    bob.updateCursor({ x: 77, y: 7 });
    await waitFor('alice to see bob’s cursor', () => alice.getCursors().some((c) => c.x === 77));
    const sent = awarenessMessages(sentByBob).flat();
    expect(sent.some((e) => e.clientId === bob.awareness.clientID)).toBe(true);
    expect(sent.filter((e) => e.clientId !== bob.awareness.clientID)).toEqual([]);
  });
});
