/**
 * Runs the whole application the way `npm start` does — `scripts/start.ts`
 * with its app server, real `partykit dev` and Vite — on free ports with a
 * temporary DATA_DIR, in its own process group, and stops it by killing that
 * group. The test reads the demo party's links from what the script prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../harness/partykit';

const ROOT = resolve(import.meta.dirname, '../..');

export interface RunningStack {
  /** The editor's origin (Vite), e.g. `http://127.0.0.1:5173`; `/api` is proxied to the app server. */
  readonly editorUrl: string;
  readonly appUrl: string;
  readonly partykitPort: number;
  readonly dataDir: string;
  /** Process id of `scripts/start.ts` (its children run in process groups of their own). */
  readonly pid: number;
  /** The seeded demo party's links (absolute). */
  readonly demo: { readonly gm: string; readonly player: string };
  output(): string;
  stop(): Promise<void>;
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms. Output:\n${log()}`);
}

/** Where a stack runs from, with what, and where it keeps its data. */
export interface StackOptions {
  readonly timeoutMs?: number;
  /** Extra environment for `npm start` (TABLESTAGE_LAN…). */
  readonly env?: Readonly<Record<string, string>>;
  /** The tree whose `scripts/start.ts` runs (default: this repository), e.g. a copy with a plugin added. */
  readonly root?: string;
  /**
   * The DATA_DIR to use (database, secrets, room snapshots). When given, it
   * is the caller's and `stop()` keeps it, so a second stack can restart on
   * it; by default a temporary one is made and removed on stop.
   */
  readonly dataDir?: string;
  /** Parent folder of the temporary DATA_DIR when none is given (default the system temp folder). */
  readonly dataParent?: string;
}

/** Starts `scripts/start.ts` and resolves once the editor, the API (through Vite) and PartyKit answer. */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const [appPort, partykitPort, editorPort] = [await freePort(), await freePort(), await freePort()];
  if (options.dataParent) mkdirSync(options.dataParent, { recursive: true });
  const dataDir = options.dataDir ?? mkdtempSync(join(options.dataParent ?? tmpdir(), 'tablestage-e2e-'));
  let out = '';
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: options.root ?? ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      APP_PORT: String(appPort),
      PARTYKIT_PORT: String(partykitPort),
      PORT: String(editorPort),
      TOKEN_SECRET: '',
      INTERNAL_SECRET: '',
      VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
      ...options.env,
    },
  });
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-proc.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  const editorUrl = `http://127.0.0.1:${editorPort}`;
  const appUrl = `http://127.0.0.1:${appPort}`;
  try {
    const log = () => out;
    await waitFor('npm start', async () => /player link:/.test(out), timeoutMs, log);
    await waitFor('Vite', async () => (await fetch(`${editorUrl}/`)).ok, timeoutMs, log);
    await waitFor(
      'the API through Vite',
      async () => (await fetch(`${editorUrl}/api/health`)).ok,
      timeoutMs,
      log,
    );
    await waitFor(
      'PartyKit',
      async () => (await fetch(`http://127.0.0.1:${partykitPort}/`)).status > 0,
      timeoutMs,
      log,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  const link = (name: string) => new RegExp(`${name} link:\\s+(\\S+)`).exec(out)?.[1] ?? '';
  return {
    editorUrl,
    appUrl,
    partykitPort,
    dataDir,
    pid: proc.pid!,
    demo: { gm: link('GM'), player: link('player') },
    output: () => out,
    stop,
  };
}
