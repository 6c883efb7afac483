/**
 * Runs the real rooms (workerd through `scripts/rooms/serve.ts`, the runner
 * `npm start` uses) for tests: on a free loopback port, with room variables in
 * its environment and a temporary persist folder, waiting until it answers
 * HTTP. It runs in its own process group so stopping it (SIGTERM or SIGKILL)
 * takes workerd with it. `restart()` brings it back on the same port with the
 * same storage, as a crashed server would come back.
 *
 * Other people edit `engine/` while tests run, so the server runs from a copy
 * of the sources it needs (`partykit.json`, `partykit/`, `engine/`, `schemas/`,
 * `plugins/`) taken at start; a restart rebuilds from that same copy.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNNER = join(ROOT, 'scripts/rooms/serve.ts');

export interface PartykitOptions {
  /** The rooms' variables (TOKEN_SECRET, INTERNAL_SECRET, APP_URL…), passed in the runner's environment. */
  readonly vars?: Readonly<Record<string, string>>;
  /** Storage folder; a fresh temporary one by default (removed by `stop`). */
  readonly persistDir?: string;
  readonly port?: number;
  /** How long to wait for the server to answer, ms. */
  readonly startTimeoutMs?: number;
  /** The tree whose rooms to run (a test's temporary copy with a changed schema); the repository by default. */
  readonly root?: string;
}

export interface PartykitDev {
  readonly port: number;
  /** `127.0.0.1:<port>`, the form YPartyKitProvider takes. */
  readonly host: string;
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly persistDir: string;
  /** Everything the server printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Resident memory of the server's whole process group (node, workerd), in bytes. */
  memoryBytes(): number;
  /** Stops the server with `signal` (its whole process group) and waits until the port is free. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Kills (SIGTERM) and starts again on the same port and storage. */
  restart(): Promise<void>;
  /** Kills the server and removes a temporary storage folder. */
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Process groups still running, killed if the test process exits without stopping them. */
const running = new Set<number>();
process.once('exit', () => {
  for (const group of running) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Starts the rooms; see the module comment. */
export async function startPartykit(options: PartykitOptions = {}): Promise<PartykitDev> {
  const port = options.port ?? (await freePort());
  const ownDir = options.persistDir === undefined;
  const persistDir = options.persistDir ?? mkdtempSync(join(tmpdir(), 'tablestage-partykit-'));
  const sources = mkdtempSync(join(tmpdir(), 'tablestage-partykit-src-'));
  for (const entry of ['partykit.json', 'partykit', 'engine', 'schemas', 'plugins'])
    cpSync(join(options.root ?? ROOT, entry), join(sources, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(sources, 'node_modules'), 'dir');
  let log = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const args = [
      '--import',
      'tsx',
      RUNNER,
      '--port',
      String(port),
      '--persist',
      persistDir,
      '--root',
      sources,
    ];
    const proc = spawn(process.execPath, args, {
      cwd: sources,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', CI: '1', ...options.vars },
    });
    child = proc;
    if (proc.pid) running.add(proc.pid);
    proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    exited = new Promise((done) =>
      proc.once('exit', () => {
        if (proc.pid) running.delete(proc.pid);
        done();
      }),
    );
    let gone = false;
    void exited.then(() => (gone = true));
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (gone) throw new Error(`the rooms exited during start:\n${log}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        return;
      } catch {
        await sleep(150);
      }
    }
    await kill('SIGKILL');
    throw new Error(`the rooms did not answer on port ${port} within the timeout:\n${log}`);
  };

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    try {
      process.kill(-proc.pid!, signal);
    } catch {
      // the group is already gone
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
    // workerd may outlive the node parent by a moment; wait until the port is free.
    for (let i = 0; i < 100 && (await portOpen(port)); i++) await sleep(50);
  };

  await launch();
  return {
    port,
    host: `127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    persistDir,
    output: () => log,
    memoryBytes() {
      const group = child?.pid;
      if (!group) return 0;
      const out = execFileSync('ps', ['-e', '-o', 'pgid=,rss='], { encoding: 'utf8' });
      let kib = 0;
      for (const line of out.split('\n')) {
        const [pgid, rss] = line.trim().split(/\s+/).map(Number);
        if (pgid === group) kib += rss ?? 0;
      }
      return kib * 1024;
    },
    kill,
    async restart() {
      await kill('SIGTERM');
      await launch();
    },
    async stop() {
      await kill('SIGTERM');
      if (ownDir) rmSync(persistDir, { recursive: true, force: true });
      rmSync(sources, { recursive: true, force: true });
    },
  };
}
