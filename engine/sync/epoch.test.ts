/**
 * Document compaction (epoch.ts) without a server: a "room" Y.Doc relays
 * updates between GM managers through queues that deliver late and out of
 * order, and compacts (rotateEpoch, as the room does) at random steps.
 * tests/integration/partykit/compaction.test.ts covers the real room.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PropInfo } from '../schema';
import { registry } from '../generated/schemas';
import { clearUnknownRoots } from '../../partykit/core/syncRoom';
import { EpochRotation, rotateEpoch, stateVectorRecord } from '../../partykit/core/epochRotation';
import { PartyDataManager, type SyncEvent } from './PartyDataManager';
import { getOrCreateSceneMap, getSceneMap, readSceneProps, setPath } from './docLayout';
import { epochOf, epochRootNames } from './epoch';

const NET = Symbol('net');
const ROOM = Symbol('room');
const SCENE = 'scene-1';

const collection = registry.collections.find((c) =>
  c.props.some((p) => !p.localOnly && (p.decl.kind === 'number' || p.decl.kind === 'integer')),
)!;
const numeric = (p: PropInfo) =>
  !p.localOnly && p.audience !== 'gm' && (p.decl.kind === 'number' || p.decl.kind === 'integer');
const memberProp = collection.props.find(numeric)!;
const sceneProp = registry.scenePlugins.flatMap((p) => p.props).find(numeric)!;

/** A distinct valid value per counter, inside the property's range. */
function valueOf(prop: PropInfo, n: number): number {
  const d = prop.decl as { min?: number; max?: number };
  const min = d.min ?? 0;
  const max = d.max ?? 1000;
  return min + (n % Math.max(1, Math.floor(max - min)));
}

/**
 * The room as far as compaction goes: relays, removes writes into unknown
 * roots' tops, compacts — at once, or in slices as the real room does (a
 * rotation in progress while edits keep arriving).
 */
class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly links: Link[] = [];
  rotation: EpochRotation | undefined;
  switches = 0;

  constructor() {
    this.doc.on('update', (u: Uint8Array, origin: unknown) => {
      for (const l of this.links) if (l !== origin) l.down.push(u);
    });
  }

  receive(link: Link, update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, link);
    const allowed = epochRootNames(epochOf(this.doc));
    for (const name of this.rotation?.rootNames() ?? []) allowed.add(name);
    this.doc.transact(() => clearUnknownRoots(this.doc, allowed), ROOM);
  }

  compact(): void {
    rotateEpoch(this.doc, stateVectorRecord(this.doc), ROOM);
    this.switches++;
  }

  /** One slice of a rotation (starting one when none runs): a few values copied, the switch, or a few deleted. */
  compactSlice(budget: number): void {
    const r = (this.rotation ??= new EpochRotation(this.doc, ROOM));
    if (!r.copied) r.copyStep(budget);
    else if (!r.switched) {
      r.switchEpoch(stateVectorRecord(this.doc));
      this.switches++;
    } else if (r.clearStep(budget)) {
      r.dispose();
      this.rotation = undefined;
    }
  }
}

/** One client's connection: updates in flight both ways; offline holds them. */
class Link {
  readonly up: Uint8Array[] = [];
  readonly down: Uint8Array[] = [];
  online = true;

  constructor(
    readonly room: Room,
    readonly pdm: PartyDataManager,
  ) {
    room.links.push(this);
    pdm.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== NET) this.up.push(u);
    });
    Y.applyUpdate(pdm.doc, Y.encodeStateAsUpdate(room.doc), NET);
  }

  /** Delivers up to `n` messages each way (all when omitted). */
  deliver(n = Infinity): void {
    if (!this.online) return;
    for (let i = 0; i < n && this.up.length; i++) this.room.receive(this, this.up.shift()!);
    for (let i = 0; i < n && this.down.length; i++) Y.applyUpdate(this.pdm.doc, this.down.shift()!, NET);
  }

  /** Back online: the sync handshake (both state diffs), then what was queued. */
  reconnect(): void {
    this.online = true;
    this.down.length = 0;
    const fromRoom = Y.encodeStateAsUpdate(this.room.doc, Y.encodeStateVector(this.pdm.doc));
    const toRoom = Y.encodeStateAsUpdate(this.pdm.doc, Y.encodeStateVector(this.room.doc));
    this.up.length = 0;
    this.room.receive(this, toRoom);
    Y.applyUpdate(this.pdm.doc, fromRoom, NET);
  }
}

const managers: PartyDataManager[] = [];
afterEach(() => {
  for (const m of managers.splice(0)) m.destroy();
});

function gm(room: Room, id: string): Link {
  const pdm = new PartyDataManager('party-1', id, 'session-1', 'localhost:1', 'token', {
    connect: false,
    storage: null,
  });
  managers.push(pdm);
  pdm.setCurrentScene(SCENE);
  return new Link(room, pdm);
}

function roomWithScene(members: number): { room: Room; ids: string[] } {
  const room = new Room();
  const ids = Array.from(
    { length: members },
    (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  );
  room.doc.transact(() => {
    const scene = getOrCreateSceneMap(room.doc, SCENE, registry, { name: 'one' });
    for (const id of ids)
      setPath(scene, [collection.key, id, memberProp.key], valueOf(memberProp, 0), registry);
  }, ROOM);
  return { room, ids };
}

/** A small deterministic generator (mulberry32), so a failing seed can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const propsOf = (doc: Y.Doc) => readSceneProps(getSceneMap(doc, SCENE)!, registry, 'gm');

describe('document compaction: epochs', () => {
  it.each([
    ['at once', 0],
    ['in slices, edits arriving between them', 4],
  ])(
    '3 GMs editing while the room compacts (%s) at random steps: identical everywhere, no own edit lost',
    (_mode, slice) => {
      for (const seed of [1, 2, 3]) {
        const random = rng(seed);
        const { room, ids } = roomWithScene(9);
        const links = ['a', 'b', 'c'].map((id) => gm(room, id));
        let reapplied = 0;
        for (const l of links)
          l.pdm.subscribe((e) => {
            if (e.type === 'epoch') reapplied += e.reapplied;
          });
        // Each GM owns three members and one scene value, so "its last write wins" is checkable.
        const last = new Map<string, number>();
        let counter = 1;
        let compactions = 0;
        for (let step = 0; step < 400; step++) {
          const r = random();
          const i = Math.floor(random() * 3);
          const link = links[i]!;
          if (r < 0.5) {
            const path =
              random() < 0.8
                ? [collection.key, ids[i * 3 + Math.floor(random() * 3)]!, memberProp.key]
                : i === 0
                  ? [sceneProp.plugin.key, sceneProp.key]
                  : [collection.key, ids[i * 3]!, memberProp.key];
            const prop = path.length === 3 ? memberProp : sceneProp;
            const value = valueOf(prop, counter++);
            expect(link.pdm.queuePropertyUpdate(path, value).ok).toBe(true);
            last.set(path.join('.'), value);
          } else if (r < 0.65) link.pdm.flush();
          else if (r < 0.9) link.deliver(1 + Math.floor(random() * 3));
          else if (r < 0.95) {
            if (slice) room.compactSlice(slice);
            else room.compact();
          } else if (r < 0.975) link.online = false;
          else if (!link.online) link.reconnect();
        }
        compactions = room.switches;
        while (room.rotation) room.compactSlice(slice);
        for (const l of links) if (!l.online) l.reconnect();
        for (let round = 0; round < 4; round++)
          for (const l of links) {
            l.pdm.flush();
            l.deliver();
          }
        expect(compactions).toBeGreaterThan(0);
        // The fuzz must actually carry in-flight or offline edits across an epoch switch.
        expect(reapplied, `seed ${seed}`).toBeGreaterThan(0);
        const want = propsOf(room.doc);
        for (const l of links) {
          expect(epochOf(l.pdm.doc)).toBe(epochOf(room.doc));
          expect(propsOf(l.pdm.doc)).toEqual(want);
        }
        const tree = want as unknown as Record<string, Record<string, Record<string, unknown>>>;
        for (const [path, value] of last) {
          const parts = path.split('.');
          const got =
            parts.length === 3
              ? tree[parts[0]!]![parts[1]!]![parts[2]!]
              : (tree[parts[0]!] as Record<string, unknown>)[parts[1]!];
          expect(got, `seed ${seed}: ${path}`).toBe(value);
        }
        // A late joiner receives the compacted state: the old epochs' history is gone.
        expect(Y.encodeStateAsUpdate(room.doc).byteLength).toBeLessThan(4 * liveBytes(room.doc));
        for (const m of managers.splice(0)) m.destroy();
      }
    },
    60_000,
  );

  it('an offline GM whose edits predate two compactions: its edits and its new member reach everyone', () => {
    const { room, ids } = roomWithScene(3);
    const [a, b] = [gm(room, 'a'), gm(room, 'b')];
    a.online = false;
    a.pdm.queuePropertyUpdate([collection.key, ids[0]!, memberProp.key], valueOf(memberProp, 7));
    const added = a.pdm.addMember(collection.key, { [memberProp.key]: valueOf(memberProp, 8) });
    a.pdm.flush();
    b.pdm.queuePropertyUpdate([collection.key, ids[1]!, memberProp.key], valueOf(memberProp, 9));
    b.pdm.flush();
    b.deliver();
    room.compact();
    b.deliver();
    room.compact();
    b.deliver();
    a.reconnect();
    a.deliver();
    b.deliver();
    expect(epochOf(a.pdm.doc)).toBe(2);
    for (const doc of [room.doc, a.pdm.doc, b.pdm.doc]) {
      const members = propsOf(doc)[collection.key as keyof ReturnType<typeof propsOf>] as unknown as Record<
        string,
        Record<string, unknown>
      >;
      expect(members[ids[0]!]![memberProp.key]).toBe(valueOf(memberProp, 7));
      expect(members[ids[1]!]![memberProp.key]).toBe(valueOf(memberProp, 9));
      expect(members[added]![memberProp.key]).toBe(valueOf(memberProp, 8));
    }
  });

  it('an old-epoch edit of a member deleted before the compaction does not bring it back', () => {
    const { room, ids } = roomWithScene(2);
    const [a, b] = [gm(room, 'a'), gm(room, 'b')];
    a.pdm.queuePropertyUpdate([collection.key, ids[0]!, memberProp.key], valueOf(memberProp, 5));
    a.pdm.flush(); // in flight, not delivered
    b.pdm.removeMember(collection.key, ids[0]!);
    b.deliver();
    room.compact();
    a.deliver();
    b.deliver();
    a.deliver();
    for (const doc of [room.doc, a.pdm.doc, b.pdm.doc]) {
      const members = propsOf(doc)[collection.key as keyof ReturnType<typeof propsOf>] as unknown as Record<
        string,
        unknown
      >;
      expect(Object.keys(members)).toEqual([ids[1]]);
    }
  });

  it('clears undo with a note, keeps a focused control protected, and a player view follows', () => {
    const { room, ids } = roomWithScene(1);
    const a = gm(room, 'a');
    const path = [collection.key, ids[0]!, memberProp.key];
    a.pdm.queuePropertyUpdate(path, valueOf(memberProp, 3));
    a.pdm.flush();
    a.deliver();
    expect(a.pdm.canUndo()).toBe(true);
    a.pdm.beginEdit(path);
    a.pdm.queuePropertyUpdate(path, valueOf(memberProp, 4));
    const player = new PartyDataManager('party-1', 'p', 'session-1', 'localhost:1', 'token', {
      connect: false,
      storage: null,
      view: 'player',
    });
    managers.push(player);
    const pl = new Link(room, player);
    const events: SyncEvent[] = [];
    a.pdm.subscribe((e) => events.push(e));
    room.compact();
    a.deliver();
    pl.deliver();
    expect(events.some((e) => e.type === 'epoch' && e.note.length > 0)).toBe(true);
    expect(a.pdm.canUndo()).toBe(false);
    const shown = (pdm: PartyDataManager) =>
      (pdm.getSceneData(SCENE) as unknown as Record<string, Record<string, Record<string, unknown>>>)[
        collection.key
      ]![ids[0]!]![memberProp.key];
    expect(shown(a.pdm)).toBe(valueOf(memberProp, 4));
    expect(shown(player)).toBe(valueOf(memberProp, 3));
    a.pdm.endEdit(path);
    a.deliver();
    pl.deliver();
    expect(shown(player)).toBe(valueOf(memberProp, 4));
  });
});

function liveBytes(doc: Y.Doc): number {
  const fresh = new Y.Doc();
  const scene = getOrCreateSceneMap(fresh, SCENE, registry);
  const props = propsOf(doc) as unknown as Record<string, Record<string, unknown>>;
  fresh.transact(() => {
    for (const [id, m] of Object.entries(props[collection.key] ?? {}))
      setPath(
        scene,
        [collection.key, id, memberProp.key],
        (m as Record<string, unknown>)[memberProp.key],
        registry,
      );
  });
  return Y.encodeStateAsUpdate(fresh).byteLength;
}
