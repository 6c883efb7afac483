/**
 * Bad input against the real stack, seeded: fuzzed WebSocket frames
 * (random bytes, truncated and bit-flipped real sync messages, unknown
 * types, broken chunk-marker sequences, awareness garbage), every kind of
 * schema-breaking value a raw GM client can put in the document (picked
 * from the registry), and unfinished chunk streams from many players. The
 * large legal scene is in largeScene.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { registry } from '../../engine/generated';
import { CLOSE } from '../../partykit/core/syncRoom';
import { getBlobs, getSceneMap } from '../../engine/sync/docLayout';
import { invalidValue } from '../support/arbitraries';
import {
  RawClient,
  createParty,
  roomUrl,
  sleep,
  waitFor,
  type TestParty,
} from '../integration/partykit/support';
import {
  addMember,
  collections,
  memberId,
  randomEdit,
  sceneData,
  scenePaths,
  stable,
  tileKey,
} from './support/edits';
import { LONG, Rng, withSeed } from './support/seed';

/** Extra server memory 12 read-only connections may pin with unfinished chunk streams. */
const MEMORY_BUDGET_CHUNK_FLOOD = 48 * 1024 * 1024;
import { flushRoom, serverMemoryBytes, startStack, type Stack } from './support/stack';
import { problemsIn } from './support/validity';

let stack: Stack;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  for (const c of cleanups) c();
  await stack?.close();
});

async function raw(party: TestParty, token = party.gm): Promise<RawClient> {
  const c = await RawClient.connect(roomUrl(stack.pk, 'game_session', party.gameSessionId, token));
  cleanups.push(() => c.close());
  await c.whenSynced();
  return c;
}

async function dbData(party: TestParty) {
  const res = await stack.app.internal('GET', `/internal/sessions/${party.gameSessionId}`);
  const scene = (
    res.body.scenes as Array<{ id: string; name: string; props: unknown; blobs: Record<string, string> }>
  ).find((s) => s.id === party.sceneId)!;
  return { props: scene.props, name: scene.name, blobs: scene.blobs };
}

const marker = (o: object) => `y-pk-batch#${JSON.stringify(o)}`;

function syncMessage(sub: 'step1' | 'step2' | 'update', doc: Y.Doc, update?: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  if (sub === 'step1') syncProtocol.writeSyncStep1(e, doc);
  else if (sub === 'step2') syncProtocol.writeSyncStep2(e, doc);
  else syncProtocol.writeUpdate(e, update!);
  return encoding.toUint8Array(e);
}

/** One hostile frame sequence, built from real messages of `doc` where that makes it nastier. */
function hostileFrames(
  rng: Rng,
  doc: Y.Doc,
  sceneId: string,
): { what: string; frames: Array<Uint8Array | string> } {
  // A real update the room would accept, to truncate or corrupt.
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(scratch);
  randomEdit(scratch, sceneId, rng, 'zz', { n: rng.int(0, 1e6) });
  const update = Y.encodeStateAsUpdate(scratch, before);
  const real = rng.pick([
    syncMessage('update', scratch, update),
    syncMessage('step2', scratch),
    syncMessage('step1', scratch),
  ]);
  const flip = (bytes: Uint8Array) => {
    const out = bytes.slice();
    for (let i = rng.int(1, 3); i > 0; i--) {
      const at = rng.int(1, out.length - 1);
      out[at] = out[at]! ^ (1 << rng.int(0, 7));
    }
    return out;
  };
  switch (rng.int(0, 7)) {
    case 0:
      return { what: 'random bytes', frames: [rng.bytes(rng.int(1, 300))] };
    case 1:
      return {
        what: 'a truncated sync message',
        frames: [real.slice(0, rng.int(1, Math.max(1, real.length - 1)))],
      };
    case 2:
      return { what: 'a bit-flipped sync message', frames: [flip(real)] };
    case 3:
      return {
        what: 'an unknown message type',
        frames: [Uint8Array.from([rng.int(4, 127), ...rng.bytes(rng.int(0, 20))])],
      };
    case 4: {
      // A chunk stream whose markers lie: wrong ids, sizes, counts or order.
      const size = rng.int(1, 4000);
      const count = rng.int(1, 4);
      const frames: Array<Uint8Array | string> = [];
      if (rng.chance(0.8)) frames.push(marker({ id: 'a', type: 'start', size, count }));
      for (let i = rng.int(0, 5); i > 0; i--) frames.push(rng.bytes(rng.int(1, 1500)));
      frames.push(
        marker({
          id: rng.pick(['a', 'b']),
          type: rng.pick(['end', 'start']),
          size: rng.pick([size, size + 1, -1, 1e20]),
          count: rng.pick([count, 0, 9999]),
        }),
      );
      return { what: 'a broken chunk stream', frames };
    }
    case 5:
      return {
        what: 'a malformed marker',
        frames: [
          rng.pick([
            'y-pk-batch#',
            'y-pk-batch#[]',
            'y-pk-batch#null',
            `y-pk-batch#${'{'.repeat(600)}`,
            'y-pk-batch#{"id":1}',
          ]),
        ],
      };
    case 6: {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, rng.bytes(rng.int(0, 60)));
      return { what: 'awareness garbage', frames: [encoding.toUint8Array(e)] };
    }
    default:
      return { what: 'a real message cut in two frames', frames: [real.slice(0, 2), real.slice(2)] };
  }
}

describe('malformed frames (seeded fuzz)', () => {
  it('every hostile sequence closes or is ignored; the server stays up and honest clients keep converging', () =>
    withSeed('frame-fuzz', async (rng) => {
      const openTable = async () => {
        const party = await createParty(stack.app, 'Frame fuzz party');
        return { party, gm: await raw(party), player: await raw(party, party.player) };
      };
      let { party, gm, player } = await openTable();
      const counter = { n: 0 };
      const closes: Record<string, number> = {};
      let scenesDeleted = 0;
      // A bit-flipped delete set can be a GM's legal "delete this scene": the player must converge on that too,
      // and the fuzz carries on at a new table.
      const shown = (doc: Y.Doc, view: 'gm' | 'player') =>
        getSceneMap(doc, party.sceneId) ? stable(sceneData(doc, party.sceneId, view).props) : 'deleted';
      const tableLeft = async () => {
        if (getSceneMap(gm.doc, party.sceneId)) return;
        scenesDeleted++;
        ({ party, gm, player } = await openTable());
      };
      for (let round = 0; round < (LONG ? 400 : 40); round++) {
        // Mostly GM connections (whose writes apply), some read-only players.
        const attackAs = rng.chance(0.3) ? 'player' : 'gm';
        await tableLeft();
        const attacker = await raw(party, party[attackAs]);
        // No await from here to the edit below: the scene cannot vanish in between.
        if (!getSceneMap(gm.doc, party.sceneId)) {
          attacker.close();
          continue;
        }
        const { what, frames } = hostileFrames(rng, gm.doc, party.sceneId);
        for (const f of frames) attacker.send(f);
        // The honest GM edits; the player must see it whatever the attacker did.
        randomEdit(gm.doc, party.sceneId, rng, 'hx', counter, ['prop', 'add', 'member']);
        // Compared with the GM's current state: what the attacker sent may legitimately land too.
        await waitFor(
          `the player to converge after ${what}`,
          () => shown(player.doc, 'player') === shown(gm.doc, 'player'),
        );
        if (attacker.closed) {
          expect(
            [CLOSE.malformed, CLOSE.tooLarge, CLOSE.flood, CLOSE.stale, 1009],
            `${what}: ${attacker.closed.reason}`,
          ).toContain(attacker.closed.code);
          closes[attacker.closed.code] = (closes[attacker.closed.code] ?? 0) + 1;
        }
        attacker.close();
        expect(gm.closed).toBeUndefined();
        expect(player.closed).toBeUndefined();
      }
      console.info('frame fuzz closes by code:', closes, 'scenes deleted by an attacker:', scenesDeleted);
      // The room's document is the honest one, valid, and saved as such.
      await gm.roundTrip();
      await tableLeft();
      const fresh = await raw(party);
      expect(stable(sceneData(fresh.doc, party.sceneId))).toBe(stable(sceneData(gm.doc, party.sceneId)));
      expect(problemsIn(fresh.doc, party.sceneId)).toEqual([]);
      await waitFor('the DB to hold the room’s scene', async () => {
        await flushRoom(stack.pk, party.gameSessionId);
        return stable(await dbData(party)) === stable(sceneData(fresh.doc, party.sceneId));
      });
    }));
});

describe('unfinished chunk streams from many connections', () => {
  it('player connections cannot make the room buffer megabytes each; memory stays within budget', async () => {
    const party = await createParty(stack.app, 'Chunk flood party');
    const gm = await raw(party);
    const watcher = await raw(party, party.player);
    const ATTACKERS = 12;
    const CHUNKS = 7;
    const before = serverMemoryBytes(stack.pk);
    const attackers = await Promise.all(Array.from({ length: ATTACKERS }, () => raw(party, party.player)));
    for (const a of attackers) a.send(marker({ id: 'hold', type: 'start', size: 8_000_000, count: 8 }));
    for (let i = 0; i < CHUNKS; i++) {
      for (const a of attackers) a.send(new Uint8Array(1_000_000).fill(i + 1));
      await sleep(250);
    }
    await sleep(1000);
    const grown = serverMemoryBytes(stack.pk) - before;
    console.info(`chunk flood: server memory grew by ${(grown / 2 ** 20).toFixed(1)} MiB`);
    // Read-only connections have no business sending megabytes: at most a small message each may be buffered.
    expect(grown, 'memory held for unfinished batches of read-only connections').toBeLessThan(
      MEMORY_BUDGET_CHUNK_FLOOD,
    );
    for (const a of attackers) a.close();
    // The room still works for everyone else.
    randomEditOnce(gm);
    await waitFor(
      'the watcher to converge',
      () =>
        stable(sceneData(watcher.doc, party.sceneId, 'player').props) ===
        stable(sceneData(gm.doc, party.sceneId, 'player').props),
    );
    function randomEditOnce(c: RawClient) {
      randomEdit(c.doc, party.sceneId, new Rng(1), 'cf', { n: 0 }, ['prop']);
    }
  });
});

/** One schema-breaking write through the doc, chosen from the registry. Returns what it did. */
function breakSomething(rng: Rng, doc: Y.Doc, sceneId: string, validMember: string | undefined): string {
  const scene = getSceneMap(doc, sceneId)!;
  const sample = (arb: fc.Arbitrary<unknown>) => fc.sample(arb, { seed: rng.fork(), numRuns: 1 })[0];
  const groupMap = (key: string) => scene.get(key) as Y.Map<unknown>;
  const collection = collections.length ? rng.pick(collections) : undefined;
  switch (rng.int(0, 8)) {
    case 0: {
      const { plugin, prop } = rng.pick(scenePaths);
      const bad = sample(invalidValue(prop.decl));
      groupMap(plugin.key).set(prop.yjsKey, bad as never);
      return `${plugin.key}.${prop.key} = ${String(bad)}`;
    }
    case 1: {
      if (!collection || !validMember) return 'nothing';
      const prop = rng.pick(collection.props);
      const bad = sample(invalidValue(prop.decl));
      (groupMap(collection.key).get(validMember) as Y.Map<unknown>).set(prop.yjsKey, bad as never);
      return `${collection.key}.${validMember}.${prop.key} = ${String(bad)}`;
    }
    case 2: {
      if (!collection) return 'nothing';
      const id = rng.pick(['', '../up', 'has space', 'x'.repeat(80), '__proto__x!', '-lead']);
      const m = new Y.Map<unknown>();
      groupMap(collection.key).set(id, m);
      return `member under bad id ${JSON.stringify(id)}`;
    }
    case 3:
      if (!collection) return 'nothing';
      groupMap(collection.key).set(
        memberId('notmap', rng.int(0, 1e6)),
        rng.pick<unknown>(['text', 5, [1]]) as never,
      );
      return 'member that is not a map';
    case 4: {
      // Unknown keys: made up, or a local-only property's key (never in the doc).
      const local = registry.props.filter((p) => p.localOnly).map((p) => p.yjsKey);
      const key = rng.pick(['unknownKey', '__proto__', ...local]);
      const { plugin } = rng.pick(scenePaths);
      groupMap(plugin.key).set(key, 1);
      if (collection && validMember)
        (groupMap(collection.key).get(validMember) as Y.Map<unknown>).set(key, 1);
      return `unknown key ${key}`;
    }
    case 5: {
      const { plugin } = rng.pick(scenePaths);
      scene.set(plugin.key, rng.pick<unknown>(['junk', 7, new Y.Array()]) as never);
      return `group ${plugin.key} replaced`;
    }
    case 6:
      scene.set(rng.pick(['notAPlugin', 'scene', 'constructor']), new Y.Map());
      return 'unknown scene key';
    case 7: {
      const blobs = getBlobs(scene, true)!;
      blobs.set(rng.pick(['../../etc', 'a b', '']), new Uint8Array(4));
      blobs.set(tileKey(9, 9), rng.pick<unknown>(['not bytes', 12, { a: 1 }]) as never);
      return 'bad blobs';
    }
    default: {
      const meta = scene.get('meta') as Y.Map<unknown>;
      meta.set('name', rng.pick<unknown>([42, null, 'n'.repeat(10_000)]) as never);
      return 'bad scene name';
    }
  }
}

/** Runs an attack step; a container broken earlier and not yet repaired on the attacker's side makes it a no-op. */
function attempt(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TypeError || /no such property|not a|invalid/.test(String(e)))) throw e;
  }
}

describe('schema-breaking values from a raw GM client', () => {
  it('are repaired or rejected: other clients never hold them, the DB never stores them', () =>
    withSeed('schema-breaking', async (rng) => {
      const party = await createParty(stack.app, 'Schema party');
      const attacker = await raw(party);
      const witness = await raw(party);
      const player = await raw(party, party.player);
      const seen: string[] = [];
      for (const [who, c] of [
        ['witness', witness],
        ['player', player],
      ] as const)
        c.doc.on('afterTransaction', () => {
          for (const p of problemsIn(c.doc, party.sceneId)) seen.push(`${who}: ${p}`);
        });
      const collection = collections[0];
      const valid = collection ? memberId('valid', 1) : undefined;
      if (collection && valid) addMember(attacker.doc, party.sceneId, collection, valid, rng);
      const done: string[] = [];
      for (let round = 0; round < (LONG ? 300 : 60); round++) {
        attacker.doc.transact(() => {
          for (let i = rng.int(1, 3); i > 0; i--)
            attempt(() => done.push(breakSomething(rng, attacker.doc, party.sceneId, valid)));
          // Mixed with honest edits in the same transaction, which must survive.
          if (rng.chance(0.5))
            attempt(() =>
              randomEdit(attacker.doc, party.sceneId, rng, 'ok', { n: round }, ['prop', 'member']),
            );
        });
        if (rng.chance(0.3)) await sleep(rng.int(0, 30));
      }
      await waitFor(
        'the attacker’s document to be repaired and agree with the witness',
        () =>
          problemsIn(attacker.doc, party.sceneId).length === 0 &&
          stable(sceneData(attacker.doc, party.sceneId)) === stable(sceneData(witness.doc, party.sceneId)),
      );
      expect(seen, `other clients held bad data after: ${done.slice(0, 20).join('; ')}`).toEqual([]);
      expect(problemsIn(witness.doc, party.sceneId)).toEqual([]);
      expect(attacker.closed).toBeUndefined();
      await flushRoom(stack.pk, party.gameSessionId);
      await waitFor('the DB to hold the repaired scene', async () => {
        await flushRoom(stack.pk, party.gameSessionId);
        return stable(await dbData(party)) === stable(sceneData(witness.doc, party.sceneId));
      });
      expect(stack.pk.output(), 'the room never sent a save the DB refused').not.toMatch(/save refused/);
      // And what the DB holds passes the registry, value by value.
      const stored = (await dbData(party)).props as Record<string, Record<string, unknown>>;
      for (const { plugin, prop } of scenePaths)
        expect(registry.validate([plugin.key, prop.key], stored[plugin.key]![prop.key]).ok).toBe(true);
      for (const c of collections)
        for (const [id, member] of Object.entries(stored[c.key] ?? {}))
          for (const prop of c.props)
            expect(
              registry.validate([c.key, id, prop.key], (member as Record<string, unknown>)[prop.key]).ok,
            ).toBe(true);
    }));
});
