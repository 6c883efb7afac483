/**
 * Metric 4 — long-session cost, through real `partykit dev` servers.
 *
 * The same seeded edit trace (one property per update, spread over a scene
 * and its markers) is sent to ours (Tablestage's room: GC on, own V2
 * snapshot + log) and to the baseline (stock y-partykit with `persist`, GC
 * off). Server CPU is the `partykit dev` process group's user+system time
 * (/proc) over a window of updates at the start and again after the long
 * run, per 1,000 updates; a window ends when a witness client has received
 * every update of it. Then everyone leaves, and a late joiner syncs: its
 * bytes and time, the room's state as sent, and the storage folder's size.
 *
 * Only the two measured windows send one edit per update message; the edits
 * between them go 100 to a message (the same overwrites, so the same
 * document history, without waiting for 100k storage log writes).
 *
 * Several writer connections share the load because our room allows each
 * connection 300 messages a second (a real client at 60 Hz never gets near).
 * Each writer owns a disjoint set of keys and stops applying what it
 * receives after the initial sync, so this process mostly measures the server.
 */
import * as Y from 'yjs';
import { registry } from '../engine/generated';
import { getOrCreateSceneMap, getSceneMap, readSceneProps, setPath, writeSceneProps } from '../engine/sync';
import { row, type MetricResult, type RunOptions } from './lib/report';
import { dirBytes, startBaseline, startOurs, type RoomServer } from './lib/servers';
import { round, sleep } from './lib/stats';
import { editTrace, sceneWithMembers, type Edit } from './lib/trace';
import { BenchClient, until } from './lib/wsClient';
import {
  DEFAULT_SLICES,
  EpochRotation,
  rotateEpoch,
  stateVectorRecord,
} from '../partykit/core/epochRotation';
import { encodeSyncUpdate } from '../partykit/core/messages';

const MEMBERS = 20;
const WRITERS = 4;
/** Messages per writer per 100 ms tick (250/s, under the room's 300/s). */
const PER_TICK = 25;
/** Edits per update message between the two measured windows. */
const FILL_PER_MESSAGE = 100;

interface Measured {
  cpuPer1kFirst: number;
  cpuPer1kLate: number;
  wallPer1kFirst: number;
  wallPer1kLate: number;
  syncBytes: number;
  syncMs: number;
  stateBytes: number;
  /** The late joiner's copy of the room's doc, V2-encoded (what our room's snapshot stores). */
  stateV2Bytes: number;
  liveBytes: number;
  diskBytes: number;
}

const keyOf = (path: readonly string[]) => path.join('.');

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** V1 bytes of a fresh doc holding only the final scene, written once: the live data. */
function liveBytesOf(scene: Y.Map<unknown>): number {
  const doc = new Y.Doc();
  writeSceneProps(
    getOrCreateSceneMap(doc, 'live', registry),
    readSceneProps(scene, registry, 'gm'),
    registry,
  );
  return Y.encodeStateAsUpdate(doc).byteLength;
}

async function measure(
  server: RoomServer,
  trace: Edit[],
  windowSize: number,
  lateAt: number,
): Promise<Measured> {
  const clients: BenchClient[] = [];
  try {
    const writers: BenchClient[] = [];
    for (let i = 0; i < WRITERS; i++) writers.push(await BenchClient.connect(server.roomUrl()));
    const witness = await BenchClient.connect(server.roomUrl(), { applyAwareness: false });
    clients.push(...writers, witness);
    await Promise.all(clients.map((c) => c.whenSynced()));
    // The scene with its members, written once by the first writer.
    const first = writers[0]!;
    const scene = getOrCreateSceneMap(first.doc, server.sceneId, registry, { name: 'bench' });
    writeSceneProps(scene, sceneWithMembers(registry, MEMBERS), registry);
    const expected = Y.encodeStateVector(first.doc);
    const caughtUp = (c: BenchClient) => {
      const sv = Y.decodeStateVector(Y.encodeStateVector(c.doc));
      for (const [client, clock] of Y.decodeStateVector(expected))
        if ((sv.get(client) ?? 0) < clock) return false;
      return true;
    };
    await until('every writer to see the scene', () => clients.every(caughtUp));
    // From now on writers only send.
    for (const w of writers) (w.options as { applyUpdates?: boolean }).applyUpdates = false;
    const ownerOf = (edit: Edit) => writers[hash(keyOf(edit.path)) % WRITERS]!;

    const witnessHas = () =>
      writers.every(
        (w) => Y.getState(witness.doc.store, w.doc.clientID) >= Y.getState(w.doc.store, w.doc.clientID),
      );
    /** Sends `edits` paced per writer, waits for the witness, returns server CPU and wall ms. */
    const send = async (edits: Edit[], perMessage = 1) => {
      const queues = new Map<BenchClient, Edit[]>(writers.map((w) => [w, []]));
      for (const e of edits) queues.get(ownerOf(e))!.push(e);
      const cpu0 = server.cpuMs();
      const t0 = performance.now();
      while ([...queues.values()].some((q) => q.length > 0)) {
        const tick = performance.now();
        for (const [w, q] of queues)
          for (let m = 0; m < PER_TICK && q.length > 0; m++) {
            const map = getSceneMap(w.doc, server.sceneId)!;
            const group = q.splice(0, perMessage);
            w.doc.transact(() => {
              for (const e of group) setPath(map, e.path, e.value, registry);
            });
          }
        const rest = 100 - (performance.now() - tick);
        if (rest > 0) await sleep(rest);
      }
      await until('the witness to receive every update', witnessHas, 120_000);
      return { cpu: server.cpuMs() - cpu0, wall: performance.now() - t0 };
    };

    const a = await send(trace.slice(0, windowSize));
    // The long middle goes FILL_PER_MESSAGE edits per update: the same overwrites, so the same
    // history and tombstones, in a fraction of the time (the room writes its log per message).
    await send(trace.slice(windowSize, lateAt), FILL_PER_MESSAGE);
    const b = await send(trace.slice(lateAt, lateAt + windowSize));
    for (const c of clients.splice(0)) c.close();
    await sleep(3000); // the last client left: both rooms write their snapshot
    const t0 = performance.now();
    const late = await BenchClient.connect(server.roomUrl(), { applyAwareness: false });
    clients.push(late);
    await late.whenSynced();
    const syncMs = late.syncedAt - t0;
    const lateScene = getSceneMap(late.doc, server.sceneId)!;
    const result: Measured = {
      cpuPer1kFirst: (a.cpu / windowSize) * 1000,
      cpuPer1kLate: (b.cpu / windowSize) * 1000,
      wallPer1kFirst: (a.wall / windowSize) * 1000,
      wallPer1kLate: (b.wall / windowSize) * 1000,
      stateV2Bytes: Y.encodeStateAsUpdateV2(late.doc).byteLength,
      syncBytes: late.syncBytes,
      syncMs,
      stateBytes: late.syncBytes,
      liveBytes: liveBytesOf(lateScene),
      diskBytes: dirBytes(server.persistDir),
    };
    return result;
  } finally {
    for (const c of clients) c.close();
  }
}

/** A 1,000-marker scene (every collection) after 5,000 edits, as a room's doc. */
function pauseScene(seed: number): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  const scene = getOrCreateSceneMap(doc, 'pause', registry, { name: 'pause' });
  writeSceneProps(scene, sceneWithMembers(registry, 1000), registry);
  for (const e of editTrace(registry, seed, 5000, 1000))
    doc.transact(() => setPath(scene, e.path, e.value, registry));
  return doc;
}

/** Wraps every update as the room's commit does (a sync message per transaction), so encoding is timed too. */
function encodeUpdates(doc: Y.Doc): void {
  doc.on('update', (update: Uint8Array) => encodeSyncUpdate(update));
}

interface Pause {
  /** Longest synchronous slice, ms of this process's CPU time (user + system). */
  longest: number;
  /** Longest synchronous slice, ms of wall time (includes being preempted on a shared machine). */
  longestWall: number;
  slices: number;
  /** From the first slice to the last, ms (turns in between included). */
  wallMs: number;
}

/**
 * The room's event-loop pause when it compacts a 1,000-marker scene: the
 * room's own slices (EpochRotation with its default budgets, the full doc and
 * a player projection of the same size advanced in the same turn, one turn
 * each), timed in this Node process (workerd's clock does not advance during
 * synchronous work). Baseline: the same rotation in one turn, as the room did
 * before slicing. Median of a few runs after a warm-up.
 */
export async function compactionPause(seed: number): Promise<{ sliced: Pause; atOnce: Pause }> {
  const doc = pauseScene(seed);
  const view = new Y.Doc({ gc: true });
  Y.applyUpdate(view, Y.encodeStateAsUpdate(doc));
  encodeUpdates(doc);
  encodeUpdates(view);
  const runs: { sliced: Pause; atOnce: Pause }[] = [];
  for (let i = 0; i < 4; i++) {
    const sliced: Pause = { longest: 0, longestWall: 0, slices: 0, wallMs: 0 };
    const start = performance.now();
    const slice = (work: () => void) => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      work();
      const cpu = process.cpuUsage(c0);
      sliced.longest = Math.max(sliced.longest, (cpu.user + cpu.system) / 1000);
      sliced.longestWall = Math.max(sliced.longestWall, performance.now() - t0);
      sliced.slices++;
    };
    const d = new EpochRotation(doc, 'bench');
    const v = new EpochRotation(view, 'bench');
    while (!(d.copied && v.copied)) {
      slice(() => {
        d.copyStep(DEFAULT_SLICES.copy);
        v.copyStep(DEFAULT_SLICES.copy);
      });
      await sleep(0);
    }
    slice(() => {
      d.switchEpoch(stateVectorRecord(doc));
      v.switchEpoch(stateVectorRecord(view));
    });
    while (!(d.cleared && v.cleared)) {
      await sleep(0);
      slice(() => {
        d.clearStep(DEFAULT_SLICES.clear);
        v.clearStep(DEFAULT_SLICES.clear);
      });
    }
    sliced.wallMs = performance.now() - start;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    rotateEpoch(doc, stateVectorRecord(doc), 'bench');
    rotateEpoch(view, stateVectorRecord(view), 'bench');
    const cpu = process.cpuUsage(c0);
    const once = performance.now() - t0;
    runs.push({
      sliced,
      atOnce: { longest: (cpu.user + cpu.system) / 1000, longestWall: once, slices: 1, wallMs: once },
    });
  }
  const warm = runs.slice(1);
  const median = (pick: (r: { sliced: Pause; atOnce: Pause }) => Pause) => {
    const sorted = warm.map(pick).sort((a, b) => a.longest - b.longest);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  return { sliced: median((r) => r.sliced), atOnce: median((r) => r.atOnce) };
}

export async function run(options: RunOptions): Promise<MetricResult> {
  const windowSize = options.quick ? 500 : 3_000;
  const lateAt = options.quick ? 10_000 : 100_000;
  const trace = editTrace(registry, options.seed, lateAt + windowSize, MEMBERS);
  const results: Partial<Record<'ours' | 'baseline', Measured>> = {};
  for (const start of [startOurs, startBaseline]) {
    const server = await start();
    try {
      results[server.kind] = await measure(server, trace, windowSize, lateAt);
    } finally {
      await server.stop();
    }
  }
  const pause = await compactionPause(options.seed);
  const o = results.ours!;
  const b = results.baseline!;
  const late = `${lateAt / 1000}k`;
  return {
    id: '4',
    title: 'Long-session cost',
    rows: [
      row('4', 'server CPU per 1k updates, first window', 'ms', o.cpuPer1kFirst, b.cpuPer1kFirst),
      row('4', `server CPU per 1k updates, after ${late}`, 'ms', o.cpuPer1kLate, b.cpuPer1kLate),
      row(
        '4',
        `CPU growth (after ${late} / first)`,
        'x',
        o.cpuPer1kLate / o.cpuPer1kFirst,
        b.cpuPer1kLate / b.cpuPer1kFirst,
        {
          on: 'ours',
          op: '<=',
          value: 1.5,
        },
      ),
      row(
        '4',
        'room state sent to a late joiner / live data',
        'x',
        o.stateBytes / o.liveBytes,
        b.stateBytes / b.liveBytes,
        {
          on: 'ours',
          op: '<=',
          value: 2,
        },
      ),
      row(
        '4',
        'room state V2-encoded / live data',
        'x',
        o.stateV2Bytes / o.liveBytes,
        b.stateV2Bytes / b.liveBytes,
      ),
      row('4', 'wall time per 1k single-edit updates, after ' + late, 'ms', o.wallPer1kLate, b.wallPer1kLate),
      row('4', 'late-joiner sync bytes', 'B', o.syncBytes, b.syncBytes),
      row('4', 'late-joiner sync time', 'ms', o.syncMs, b.syncMs),
      row('4', 'storage folder on disk', 'B', o.diskBytes, b.diskBytes),
      row(
        '4',
        'compaction pause (longest slice, CPU time), 1,000-marker scene',
        'ms',
        pause.sliced.longest,
        pause.atOnce.longest,
        { on: 'ours', op: '<=', value: 50 },
      ),
      row(
        '4',
        'compaction pause (longest slice, wall time), 1,000-marker scene',
        'ms',
        pause.sliced.longestWall,
        pause.atOnce.longestWall,
      ),
      row('4', 'compaction wall time, 1,000-marker scene', 'ms', pause.sliced.wallMs, pause.atOnce.wallMs),
    ],
    details: {
      updates: lateAt + windowSize,
      window: windowSize,
      writers: WRITERS,
      membersPerCollection: MEMBERS,
      cpuSource: 'user+system time of the partykit dev process group (CLI + workerd) from /proc/<pid>/stat',
      liveData: 'V1 update of a fresh doc holding only the final scene values, written once',
      stateNote:
        'Y.js GC turns an overwritten map value into a deleted item but keeps the item (id, origin): about 8 B per overwrite in V1 when keys interleave, much less in V2; so both rooms grow with edits',
      baselineReload:
        'y-partykit drops the room doc when the last client leaves and rebuilds it from its update log for the next one, into a GC-on doc: its late-joiner time includes that replay',
      diskNote:
        "partykit dev's local SQLite files; SQLite does not shrink after deletes, so this is an upper bound",
      compactionPause:
        'ours: EpochRotation slices (doc + a projection of the same size per turn, updates encoded as the room does); baseline: the same rotation in one turn (the room before slicing). The target is checked on CPU time: wall time on a shared machine includes time other processes held the core',
      compactionSlices: pause.sliced.slices,
      ours: roundAll(o),
      baseline: roundAll(b),
    },
  };
}

function roundAll(m: Measured): Record<string, number> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v, 2)]));
}
