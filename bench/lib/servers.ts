/**
 * The servers the network benchmarks run against, started for real and
 * stopped by process group:
 * - ours: the app server (in this process, over a temporary libSQL file) and
 *   `partykit dev` with Tablestage's rooms (tests/harness/partykit.ts);
 * - baseline: `partykit dev` with bench/baseline (stock y-partykit, `persist`).
 * Server CPU is read from /proc for the whole `partykit dev` process group
 * (the CLI, workerd and anything they spawn).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startPartykit, type PartykitDev } from '../../tests/harness/partykit';
import {
  createParty,
  roomUrl,
  startApp,
  ticketsFrom,
  TOKEN_SECRET,
  INTERNAL_SECRET,
  type AppHandle,
  type TestParty,
} from '../../tests/integration/partykit/support';
import { sleep } from './stats';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin/partykit');
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A running room server the benchmarks can connect to and measure. */
export interface RoomServer {
  readonly kind: 'ours' | 'baseline';
  readonly port: number;
  /** WebSocket URL of a room (ours: with a fresh one-use ticket for the GM token). */
  roomUrl(room?: string): Promise<string>;
  /** The room id benchmarks use (ours: the created game session). */
  readonly room: string;
  /** The scene every benchmark edits (ours: the created scene; baseline: created by the writer). */
  readonly sceneId: string;
  readonly persistDir: string;
  /** CPU time (user + system) of the server's process group so far, ms. */
  cpuMs(): number;
  stop(): Promise<void>;
  /** Ours only: the party (tokens, ids). */
  readonly party?: TestParty;
  readonly app?: AppHandle;
  readonly pk?: PartykitDev;
}

/** The process group of the `partykit dev` listening on `port`. */
export function groupOfPort(port: number): number {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const at = cmd.indexOf('--port');
      if (at >= 0 && cmd[at + 1] === String(port) && cmd.some((c) => c.includes('partykit')))
        return statOf(Number(pid)).pgrp;
    } catch {
      // the process ended meanwhile
    }
  }
  throw new Error(`no partykit dev process on port ${port}`);
}

function statOf(pid: number) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
  return { pgrp: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU ms used so far by every live process of group `pgrp`. */
export function groupCpuMs(pgrp: number): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const s = statOf(Number(pid));
      if (s.pgrp === pgrp) ticks += s.ticks;
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Bytes of every file below `dir`. */
export function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    try {
      total += statSync(join(entry.parentPath, entry.name)).size;
    } catch {
      // removed meanwhile
    }
  }
  return total;
}

/** Tablestage's rooms with a fresh party (one game session, one scene). */
export async function startOurs(): Promise<RoomServer> {
  const app = await startApp();
  const persistDir = mkdtempSync(join(tmpdir(), 'tablestage-bench-ours-'));
  let pk: PartykitDev;
  try {
    pk = ticketsFrom(
      await startPartykit({
        vars: { TOKEN_SECRET, INTERNAL_SECRET, APP_URL: app.url },
        persistDir,
      }),
      app.url,
    );
  } catch (e) {
    await app.close();
    throw e;
  }
  const party = await createParty(app, 'Bench party');
  const pgrp = groupOfPort(pk.port);
  return {
    kind: 'ours',
    port: pk.port,
    room: party.gameSessionId,
    sceneId: party.sceneId,
    persistDir,
    party,
    app,
    pk,
    roomUrl: (room = party.gameSessionId) => roomUrl(pk, 'game_session', room, party.gm),
    cpuMs: () => groupCpuMs(pgrp),
    async stop() {
      await pk.stop();
      await app.close();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}

/** Stock y-partykit with `persist` (bench/baseline), in its own `partykit dev`. */
export async function startBaseline(): Promise<RoomServer> {
  const port = await freePort();
  const persistDir = mkdtempSync(join(tmpdir(), 'tablestage-bench-baseline-'));
  const args = ['dev', '--config', 'bench/baseline/partykit.json', '--port', String(port)];
  args.push('--persist', persistDir, '--disable-request-cf-fetch');
  const proc = spawn(BIN, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', CI: '1' },
  });
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  const kill = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    try {
      process.kill(-proc.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`baseline partykit dev exited:\n${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        await kill();
        throw new Error(`baseline partykit dev did not start:\n${log}`);
      }
      await sleep(150);
    }
  }
  const pgrp = proc.pid!;
  return {
    kind: 'baseline',
    port,
    room: 'bench-room',
    sceneId: 'bench-scene',
    persistDir,
    roomUrl: async (room = 'bench-room') => `ws://127.0.0.1:${port}/parties/main/${room}`,
    cpuMs: () => groupCpuMs(pgrp),
    async stop() {
      await kill();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
