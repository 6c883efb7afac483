/**
 * Metric 12 — a three-hour session at one table ends as fast and as small as
 * it began.
 *
 * One table (2 GMs, 5 players, everyone's party socket) plays three
 * different scripted hours in a row (lib/tableHour.ts) on the same sockets,
 * against the real rooms, compressed K× as metric 11 does: gestures at K×
 * speed, the rooms' debounces and idle time shrunk alike (BENCH_TIME_SCALE),
 * presence at its real 30 Hz. Throughout, the first GM writes a probe value
 * every 500 ms and the second GM times its arrival. After each hour the table
 * pauses (a real second or two, as players talk), and a late-joining GM
 * connects.
 *
 * Per hour: room CPU (workerd's process group), edit delivery p50/p99, and
 * the state the late joiner receives against the live data (a fresh doc
 * holding only the current scenes and fog). The baseline is the first hour,
 * side by side in the same run: the third must cost at most 1.5× its CPU,
 * and after every hour the late joiner's state stays within 2× the live data.
 *
 * Settings: BENCH_COMPRESSION (60, quick 240), BENCH_HOURS (3, quick 2).
 */
import * as Y from 'yjs';
import { registry } from '../engine/generated';
import {
  getBlobs,
  getOrCreateSceneMap,
  getSceneMap,
  getSceneName,
  readSceneProps,
  writeSceneProps,
} from '../engine/sync/docLayout';
import { orderedSceneIds } from '../engine/sync/sceneList';
import { row, type MetricResult, type RunOptions, type Row } from './lib/report';
import { groupCpuMs } from './lib/servers';
import { percentile, round, sleep } from './lib/stats';
import { tableHour } from './lib/tableHour';
import {
  PLAYERS,
  Table,
  choices,
  connect,
  createTable,
  openTable,
  performHour,
  setting,
  startStack,
  type Stack,
} from './lib/tables';

const PROBE_MS = 500;
/** The pause between hours, real ms. */
const PAUSE_MS = 2000;
const CPU_GROWTH_LIMIT = 1.5;
const STATE_LIMIT = 2;

/** V1 bytes of a fresh doc holding only the current scenes (props and blobs), written once. */
function liveBytesOf(doc: Y.Doc): number {
  const live = new Y.Doc();
  for (const id of orderedSceneIds(doc)) {
    const scene = getSceneMap(doc, id)!;
    const copy = getOrCreateSceneMap(live, id, registry, { name: getSceneName(scene) });
    writeSceneProps(copy, readSceneProps(scene, registry, 'gm'), registry);
    const blobs = getBlobs(scene, false);
    if (blobs) {
      const to = getBlobs(copy, true)!;
      for (const [key, bytes] of blobs.entries()) to.set(key, bytes);
    }
  }
  return Y.encodeStateAsUpdate(live).byteLength;
}

interface Hour {
  readonly cpuMs: number;
  readonly wallSeconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly probes: number;
  readonly joinerBytes: number;
  readonly joinerMs: number;
  readonly liveBytes: number;
  readonly memoryBytes: number;
}

async function lateJoiner(stack: Stack, t: Table): Promise<{ bytes: number; ms: number }> {
  const c = await connect(stack, 'game_session', t.ids.gameSessionId, t.ids.gm, true);
  try {
    await c.whenSynced(60_000);
    return { bytes: c.syncBytes, ms: c.syncedAt - c.openedAt };
  } finally {
    c.close();
  }
}

async function playHours(stack: Stack, table: Table, hours: number, scale: number, seed: number) {
  const out: Hour[] = [];
  let seq = 0;
  for (let h = 0; h < hours; h++) {
    if (h > 0) table.nextHour(tableHour(seed + h, 2, PLAYERS));
    table.latencies.length = 0;
    const cpu0 = groupCpuMs(stack.pgrp);
    let lastProbe = 0;
    const wallSeconds = await performHour([table], scale, (elapsed) => {
      if (elapsed - lastProbe < PROBE_MS) return;
      lastProbe = elapsed;
      table.probe(++seq);
    });
    await sleep(PAUSE_MS);
    const cpuMs = groupCpuMs(stack.pgrp) - cpu0;
    const joiner = await lateJoiner(stack, table);
    const hour: Hour = {
      cpuMs,
      wallSeconds,
      p50: percentile(table.latencies, 50),
      p99: percentile(table.latencies, 99),
      probes: table.latencies.length,
      joinerBytes: joiner.bytes,
      joinerMs: joiner.ms,
      liveBytes: liveBytesOf(table.gms[0]!.doc),
      memoryBytes: stack.pk.memoryBytes(),
    };
    out.push(hour);
    console.log(
      `  hour ${h + 1}: CPU ${round(cpuMs)} ms, p99 ${round(hour.p99, 1)} ms, late joiner ${hour.joinerBytes} B / live ${hour.liveBytes} B`,
    );
  }
  return out;
}

export async function run(options: RunOptions): Promise<MetricResult> {
  const q = options.quick;
  const scale = Number(setting('BENCH_COMPRESSION', '60', '240', q));
  const hours = Number(setting('BENCH_HOURS', '3', '2', q));
  if (!(scale >= 1) || !(hours >= 2)) throw new Error('BENCH_COMPRESSION must be ≥ 1 and BENCH_HOURS ≥ 2');
  const seed = options.seed + 20_000;
  const stack = await startStack(scale);
  let played: Hour[];
  try {
    const table = new Table(
      20_000,
      await createTable(stack, 20_000),
      tableHour(seed, 2, PLAYERS),
      choices(seed),
    );
    await openTable(stack, table);
    table.seed();
    table.watchProbes();
    await sleep(1000);
    played = await playHours(stack, table, hours, scale, seed);
    table.close();
  } finally {
    await stack.stop();
  }
  const first = played[0]!;
  const last = played[played.length - 1]!;
  const n = played.length;
  const rows: Row[] = [
    row('12', `room CPU, hour ${n} against hour 1`, 'ms', last.cpuMs, first.cpuMs, {
      on: 'ratio',
      op: '<=',
      value: CPU_GROWTH_LIMIT,
    }),
    row('12', `edit delivery p50, hour ${n} against hour 1`, 'ms', last.p50, first.p50),
    row('12', `edit delivery p99, hour ${n} against hour 1`, 'ms', last.p99, first.p99),
    row('12', `late joiner's sync time, after hour ${n} against hour 1`, 'ms', last.joinerMs, first.joinerMs),
    row(
      '12',
      `late joiner's state, after hour ${n} against hour 1`,
      'B',
      last.joinerBytes,
      first.joinerBytes,
    ),
    ...played.map((h, i) =>
      row(
        '12',
        `after hour ${i + 1}: late joiner's state / live data`,
        'x',
        h.joinerBytes / h.liveBytes,
        NaN,
        {
          on: 'ours',
          op: '<=',
          value: STATE_LIMIT,
        },
      ),
    ),
  ];
  return {
    id: '12',
    title: 'A three-hour session',
    rows,
    details: {
      settings: { compression: scale, hours, gms: 2, players: PLAYERS, probeMs: PROBE_MS, pauseMs: PAUSE_MS },
      hours: played.map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, round(v, 2)]))),
      note: 'one table on a shared machine; clients run in this process beside workerd, so CPU and latency include their load',
    },
  };
}
