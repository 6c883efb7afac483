/**
 * `npm start`: everything Tablestage needs on one machine. Loads (or creates)
 * the secrets, migrates and seeds the database, starts the app server, the
 * PartyKit rooms (`scripts/rooms/serve.ts`: workerd with no inspector) and the
 * editor's Vite dev server, prints the GM and player links, and stops every
 * child (whole process groups) on exit.
 *
 * Every server listens on 127.0.0.1. `npm start -- --lan` (or
 * `TABLESTAGE_LAN=1`) opens the editor's port alone to the network, for a TV
 * or phone at the table; see `scripts/lan.ts`. Secrets reach the rooms through
 * their environment, never as arguments (`ps` shows arguments to every user).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootAppServer, describeStartError } from '../server/boot';
import { loadConfig } from '../server/config';
import { redactSecrets } from '../server/redact';
import { lanAddress, lanRequested } from './lan';
import { encodeQr, renderQr } from './qr';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/** Terminal escape sequences (cursor moves, colours, line clears). */
const ANSI_CONTROL = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\[?[GK]/g;

const lan = lanRequested(process.argv.slice(2), process.env);
const address = lan ? lanAddress(process.env) : undefined;
if (lan && !address)
  console.warn('[start] LAN mode: this machine has no network address; set TABLESTAGE_LAN_ADDRESS');
const baseConfig = loadConfig();
// In LAN mode browsers reach the rooms through the editor's port (Vite forwards `/parties`), while the
// app server keeps talking to them on loopback.
const config =
  lan && address
    ? loadConfig({
        ...process.env,
        PARTYKIT_HOST: process.env.PARTYKIT_HOST || `${address}:${baseConfig.editorPort}`,
        PARTYKIT_URL: process.env.PARTYKIT_URL || `http://127.0.0.1:${baseConfig.partykitPort}`,
      })
    : baseConfig;
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

/** Starts a child in its own process group, its output prefixed with its name. */
function start(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  const proc = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [proc.stdout, proc.stderr])
    stream?.on('data', (chunk: Buffer) => {
      // Children draw with cursor-movement escapes meant for a terminal of their own; keep only the text.
      for (const raw of chunk.toString().split('\n')) {
        const line = redactSecrets(raw.replace(ANSI_CONTROL, ''));
        if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
      }
    });
  proc.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} stopped (${signal ?? `exit code ${code}`}); shutting everything down`);
    void shutdown(1);
  });
  children.push({ name, proc });
  return proc;
}

function killGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // The group is already gone.
  }
}

const state: { booted?: Awaited<ReturnType<typeof bootAppServer>> } = {};

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const { proc } of children) killGroup(proc, 'SIGTERM');
  const deadline = setTimeout(() => {
    for (const { proc } of children) killGroup(proc, 'SIGKILL');
  }, 3000);
  await Promise.all(
    children.map(({ proc }) =>
      proc.exitCode !== null || proc.signalCode !== null
        ? undefined
        : new Promise((done) => proc.once('exit', done)),
    ),
  );
  clearTimeout(deadline);
  await state.booted?.close().catch(() => undefined);
  process.exit(code);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
// Last resort if the script dies some other way: do not leave servers behind.
process.once('exit', () => {
  for (const { proc } of children) killGroup(proc, 'SIGKILL');
});

const booted = await bootAppServer(config).catch((e: unknown) => {
  console.error(`[start] could not start the app server: ${describeStartError(e, config)}`);
  process.exit(1);
});
state.booted = booted;
console.log(`[start] app server on ${booted.server.url}, data in ${config.dataDir}`);
if (booted.seed.seeded) console.log(`[start] seeded the demo party "${booted.seed.party.name}"`);

const appUrl = `http://127.0.0.1:${booted.server.port}`;
// Children get no secret they do not need: Vite none, the rooms theirs in the environment.
const { TOKEN_SECRET: _t, INTERNAL_SECRET: _i, ...publicEnv } = process.env;
const env: NodeJS.ProcessEnv = {
  ...publicEnv,
  APP_PORT: String(booted.server.port),
  PORT: String(config.editorPort),
  PARTYKIT_PORT: String(config.partykitPort),
  PARTYKIT_HOST: config.partykitHost,
  DATA_DIR: config.dataDir,
  TABLESTAGE_LAN: lan && address ? '1' : '',
};
if (!existsSync(join(root, 'partykit.json')))
  console.warn('[start] partykit.json is missing; the rooms will not start');
else
  start(
    'rooms',
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'scripts', 'rooms', 'serve.ts'),
      '--host',
      '127.0.0.1',
      '--port',
      String(config.partykitPort),
      '--persist',
      join(config.dataDir, 'partykit'),
      '--watch',
    ],
    {
      ...env,
      TOKEN_SECRET: config.tokenSecret,
      INTERNAL_SECRET: config.internalSecret,
      APP_URL: appUrl,
    },
  );
start('editor', bin('vite'), ['--config', join(root, 'vite.config.ts')], env);

const editor = `http://127.0.0.1:${config.editorPort}`;
console.log(`[start] editor      ${editor}/`);
console.log(
  `[start] rooms       http://127.0.0.1:${config.partykitPort} (browsers use ${config.partykitHost})`,
);
if (lan && address) console.log(`[start] LAN mode: only port ${config.editorPort} is open to the network`);
// Every party's current links (links never expire; a GM replaces them from the editor's Links menu).
for (const { party, links } of booted.parties) {
  console.log(`[start] party "${party.name}"`);
  console.log(`[start]   GM link:     ${editor}${links.gm}`);
  console.log(`[start]   player link: ${editor}${links.player}`);
  if (lan && address) {
    const playerLan = `http://${address}:${config.editorPort}${links.player}`;
    console.log(`[start]   player link on the LAN: ${playerLan}`);
    console.log(
      `[start]   scan it with a phone or TV on the same network:\n${renderQr(encodeQr(playerLan))}`,
    );
  }
}
