/**
 * Metric 5 — fan-out: N clients in one room move their cursors at 30 fps
 * while one GM edits a property every 100 ms. Each client sends what our
 * CursorChannel sends: its user (a name and colour that stay the same) and
 * a cursor `{x, y, s}` whose scene id `s` changes every tick. The send
 * time rides in `s` as `t<microseconds>` (a valid entity id, so our room's
 * presence schema keeps it, and a field real cursors send every tick, so
 * neither server gets a cheaper change than real traffic); both servers
 * get the identical traffic and relay `s` unchanged. Measured per room
 * size, ours (Tablestage rooms) vs the baseline (stock y-partykit):
 * cursor delivery latency on a few observer clients (all clients live in
 * this process, so one clock), server CPU (partykit dev process group,
 * /proc), and the WebSocket messages and bytes the server sent per second
 * (everything the clients received; bytes are message payloads, and a
 * second figure adds the server-to-client WebSocket frame headers; a third
 * divides the bytes by the presence states delivered — a server that falls
 * behind sends fewer bytes per second, not fewer per cursor move). Ours
 * coalesces presence per tick (partykit/core/presenceFanout.ts) into one
 * delta message per recipient holding only the changed fields, without the
 * recipient's own state (engine/sync/presenceDelta.ts); the baseline relays
 * every change to everyone, the sender included, as its own message with
 * the whole state. Both servers run during the whole metric and each room
 * size is measured on ours, then on the baseline, so a shared machine's
 * load drifts over both alike.
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
const WARM_UP_MS = 2500;
const OBSERVERS = 4;
const now = () => performance.timeOrigin + performance.now();

interface Round {
  clients: number;
  p50: number;
  p99: number;
  deliveries: number;
  cpuMsPerSecond: number;
  messagesOutPerSecond: number;
  bytesOutPerSecond: number;
  framedBytesOutPerSecond: number;
  /** Payload bytes per presence state delivered: the size of a cursor move whether or not a server keeps up. */
  bytesPerState: number;
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
          // The send time rides in the cursor's scene id (see the module comment).
          const s = (observer.awareness.getStates().get(id)?.cursor as { s?: unknown } | undefined)?.s;
          const sent = typeof s === 'string' ? Number(/^t(\d+)$/.exec(s)?.[1]) / 1000 : NaN;
          if (Number.isFinite(sent)) latencies.push(t - sent);
        }
      });

    const random = seededRandom(seed + clients);
    const movers = all.slice(1);
    movers.forEach((c, i) => {
      const user = { name: `Player ${i + 1}`, color: '#4c6ef5' };
      const tick = () => {
        const a = now() / 500 + i;
        c.publishAwareness({
          user,
          cursor: {
            x: round(500 + 400 * Math.sin(a), 1),
            y: round(300 + 200 * Math.cos(a), 1),
            s: `t${Math.round(now() * 1000)}`,
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
    // Warm up past the room's reaction to the scene written above (its save and snapshot debounces, 2 s):
    // what is measured is the steady state of cursors and edits.
    await sleep(WARM_UP_MS);
    measuring = true;
    const totals = () => ({
      bytes: all.reduce((s, c) => s + c.bytesIn, 0),
      messages: all.reduce((s, c) => s + c.messagesIn, 0),
      headers: all.reduce((s, c) => s + c.headerBytesIn, 0),
      states: all.reduce((s, c) => s + c.presenceStatesIn, 0),
    });
    const start = totals();
    const cpu0 = server.cpuMs();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = server.cpuMs() - cpu0;
    const end = totals();
    measuring = false;
    await until('some cursor deliveries', () => latencies.length > 0, 5000);
    return {
      clients,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      deliveries: latencies.length,
      cpuMsPerSecond: cpu / elapsed,
      messagesOutPerSecond: (end.messages - start.messages) / elapsed,
      bytesOutPerSecond: (end.bytes - start.bytes) / elapsed,
      framedBytesOutPerSecond: (end.bytes + end.headers - start.bytes - start.headers) / elapsed,
      bytesPerState: (end.bytes - start.bytes) / Math.max(1, end.states - start.states),
    };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const c of all) c.close();
    await sleep(300);
  }
}

/** The targets (ratios to the baseline; p99 absolute). Messages are checked at 50 clients. */
const TARGETS = { messages: 0.1, cpu: 0.5, bytes: 0.9, p99Ms: 50 };
const TARGET_SIZES = [10, 25, 50];

export async function run(options: RunOptions): Promise<MetricResult> {
  const sizes = (process.env.BENCH_FANOUT_SIZES ?? (options.quick ? '10' : '10,25,50,100'))
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const seconds = options.quick ? 2 : 4;
  const rounds: Record<'ours' | 'baseline', Round[]> = { ours: [], baseline: [] };
  const servers: RoomServer[] = [];
  try {
    servers.push(await startOurs(), await startBaseline());
    // A first round on each server, not measured: neither server's code is cold when measuring starts.
    for (const server of servers) await fanOut(server, sizes[0]!, 1, options.seed);
    for (const n of sizes)
      for (const server of servers) rounds[server.kind].push(await fanOut(server, n, seconds, options.seed));
  } finally {
    for (const server of servers) await server.stop();
  }
  const rows: Row[] = [];
  sizes.forEach((n, i) => {
    const o = rounds.ours[i]!;
    const b = rounds.baseline[i]!;
    const targeted = TARGET_SIZES.includes(n);
    const ratio = (value: number) =>
      targeted ? { on: 'ratio' as const, op: '<=' as const, value } : undefined;
    rows.push(
      row('5', `${n} clients: cursor delivery p50`, 'ms', o.p50, b.p50),
      row(
        '5',
        `${n} clients: cursor delivery p99`,
        'ms',
        o.p99,
        b.p99,
        targeted ? { on: 'ours', op: '<=', value: TARGETS.p99Ms } : undefined,
      ),
      row(
        '5',
        `${n} clients: WebSocket messages out`,
        'msg/s',
        o.messagesOutPerSecond,
        b.messagesOutPerSecond,
        n === 50 ? ratio(TARGETS.messages) : undefined,
      ),
      row('5', `${n} clients: server CPU`, 'ms/s', o.cpuMsPerSecond, b.cpuMsPerSecond, ratio(TARGETS.cpu)),
      row(
        '5',
        `${n} clients: bytes out`,
        'B/s',
        o.bytesOutPerSecond,
        b.bytesOutPerSecond,
        ratio(TARGETS.bytes),
      ),
      row(
        '5',
        `${n} clients: bytes out incl. WebSocket frame headers`,
        'B/s',
        o.framedBytesOutPerSecond,
        b.framedBytesOutPerSecond,
      ),
      row('5', `${n} clients: bytes out per presence state delivered`, 'B', o.bytesPerState, b.bytesPerState),
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
      targets: { ...TARGETS, checkedAt: TARGET_SIZES, messagesCheckedAt: 50 },
      note: 'clients and server share the machine; CPU in ms of CPU per second of wall time (1,000 = one core); bytes are WebSocket message payloads as received (the frame-header row adds 2–10 B per message; TCP/IP headers are not counted)',
      rounds: Object.fromEntries(
        Object.entries(rounds).map(([k, rs]) => [
          k,
          rs.map((r) => Object.fromEntries(Object.entries(r).map(([f, v]) => [f, round(v, 2)]))),
        ]),
      ),
    },
  };
}
