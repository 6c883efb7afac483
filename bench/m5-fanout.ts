/**
 * Metric 5 — fan-out: N clients in one room move their cursors at 30 fps
 * (awareness, the shape our CursorChannel sends: the user once plus a small
 * cursor) while one GM edits a property every 100 ms. Measured per room
 * size, ours (Tablestage rooms) vs the baseline (stock y-partykit):
 * cursor delivery latency on a few observer clients (each cursor state
 * carries its send time; all clients live in this process, so one clock),
 * server CPU (partykit dev process group, /proc), and bytes the server sent
 * per second (everything the clients received).
 *
 * All clients run in this Node process on the same 2 cores as the server,
 * so at 50 clients the latency includes this process's own backlog.
 */
import { registry } from '../engine/generated';
import { getOrCreateSceneMap, getSceneMap, setPath, writeSceneProps } from '../engine/sync';
import { row, type MetricResult, type RunOptions, type Row } from './lib/report';
import { percentile, round, seededRandom, sleep } from './lib/stats';
import { startBaseline, startOurs, type RoomServer } from './lib/servers';
import { sceneProps, sceneWithMembers } from './lib/trace';
import { BenchClient, until } from './lib/wsClient';

const FPS = 30;
const OBSERVERS = 4;
const now = () => performance.timeOrigin + performance.now();

interface Round {
  clients: number;
  p50: number;
  p99: number;
  deliveries: number;
  cpuMsPerSecond: number;
  bytesOutPerSecond: number;
}

async function fanOut(server: RoomServer, clients: number, seconds: number, seed: number): Promise<Round> {
  const all: BenchClient[] = [];
  const timers: ReturnType<typeof setInterval>[] = [];
  try {
    const gm = await BenchClient.connect(await server.roomUrl(), { applyAwareness: false });
    all.push(gm);
    for (let i = 0; i < clients; i++)
      all.push(
        await BenchClient.connect(await server.roomUrl(), {
          applyAwareness: i < OBSERVERS,
          applyUpdates: false,
        }),
      );
    await Promise.all(all.map((c) => c.whenSynced()));
    const scene = getOrCreateSceneMap(gm.doc, server.sceneId, registry, { name: 'bench' });
    writeSceneProps(scene, sceneWithMembers(registry, 0), registry);
    const slider = sceneProps(registry).find(
      (p) => p.decl.kind === 'number' && p.decl.min !== undefined && p.decl.max !== undefined,
    )!;
    const { min, max } = slider.decl as { min: number; max: number };

    const latencies: number[] = [];
    let measuring = false;
    for (const observer of all.slice(1, 1 + OBSERVERS))
      observer.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }) => {
        if (!measuring) return;
        const t = now();
        for (const id of [...added, ...updated]) {
          // The room keeps only schema'd presence fields, so the send time rides in the user's name.
          const name = (observer.awareness.getStates().get(id)?.user as { name?: unknown } | undefined)?.name;
          const sent = typeof name === 'string' ? Number(/^t:(.+)$/.exec(name)?.[1]) : NaN;
          if (Number.isFinite(sent)) latencies.push(t - sent);
        }
      });

    const random = seededRandom(seed + clients);
    const movers = all.slice(1);
    movers.forEach((c, i) => {
      const tick = () => {
        const a = now() / 500 + i;
        c.publishAwareness({
          user: { name: `t:${round(now(), 2)}`, color: '#4c6ef5' },
          cursor: {
            x: round(500 + 400 * Math.sin(a), 1),
            y: round(300 + 200 * Math.cos(a), 1),
          },
        });
      };
      // Spread the clients' ticks over the frame, as real users are not in phase.
      const start = setTimeout(() => timers.push(setInterval(tick, 1000 / FPS)), random() * (1000 / FPS));
      timers.push(start as unknown as ReturnType<typeof setInterval>);
    });
    let v = 0;
    timers.push(
      setInterval(() => {
        v = (v + 1) % 100;
        gm.doc.transact(() =>
          setPath(
            getSceneMap(gm.doc, server.sceneId)!,
            [slider.plugin.key, slider.key],
            min + ((max - min) * v) / 100,
            registry,
          ),
        );
      }, 100),
    );
    await sleep(500); // warm up: everyone has announced themselves
    measuring = true;
    const bytes0 = all.reduce((s, c) => s + c.bytesIn, 0);
    const cpu0 = server.cpuMs();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = server.cpuMs() - cpu0;
    const bytes = all.reduce((s, c) => s + c.bytesIn, 0) - bytes0;
    measuring = false;
    await until('some cursor deliveries', () => latencies.length > 0, 5000);
    return {
      clients,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      deliveries: latencies.length,
      cpuMsPerSecond: cpu / elapsed,
      bytesOutPerSecond: bytes / elapsed,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const c of all) c.close();
    await sleep(300);
  }
}

export async function run(options: RunOptions): Promise<MetricResult> {
  const sizes = options.quick ? [10] : [10, 25, 50];
  const seconds = options.quick ? 2 : 4;
  const rounds: Record<'ours' | 'baseline', Round[]> = { ours: [], baseline: [] };
  for (const start of [startOurs, startBaseline]) {
    const server = await start();
    try {
      for (const n of sizes) rounds[server.kind].push(await fanOut(server, n, seconds, options.seed));
    } finally {
      await server.stop();
    }
  }
  const rows: Row[] = [];
  sizes.forEach((n, i) => {
    const o = rounds.ours[i]!;
    const b = rounds.baseline[i]!;
    rows.push(
      row('5', `${n} clients: cursor delivery p50`, 'ms', o.p50, b.p50),
      row('5', `${n} clients: cursor delivery p99`, 'ms', o.p99, b.p99),
      row('5', `${n} clients: server CPU`, 'ms/s', o.cpuMsPerSecond, b.cpuMsPerSecond),
      row('5', `${n} clients: bytes out`, 'B/s', o.bytesOutPerSecond, b.bytesOutPerSecond),
    );
  });
  return {
    id: '5',
    title: 'Fan-out',
    rows,
    details: {
      fps: FPS,
      secondsPerRound: seconds,
      observers: OBSERVERS,
      gmEdits: 'one ranged scene number every 100 ms',
      note: 'clients and server share the machine; CPU in ms of CPU per second of wall time (1,000 = one core)',
      rounds: Object.fromEntries(
        Object.entries(rounds).map(([k, rs]) => [
          k,
          rs.map((r) => Object.fromEntries(Object.entries(r).map(([f, v]) => [f, round(v, 2)]))),
        ]),
      ),
    },
  };
}
