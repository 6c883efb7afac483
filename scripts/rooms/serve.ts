/**
 * Runs the PartyKit rooms locally for `npm start`, in place of `partykit dev`.
 *
 * Why not `partykit dev` (0.0.115): it always starts a V8 inspector proxy on
 * every interface (`*:9229`, no login, no Origin check: it shows every
 * connection URL with its `?token=` and the rooms' `Bearer <INTERNAL_SECRET>`
 * calls), plus workerd's own inspector and a static-assets server, and it binds
 * the rooms to 0.0.0.0; none of this has an option. It also takes the secrets as
 * `--var` arguments, which `ps` shows to every local user.
 *
 * This runner bundles the same room code with PartyKit's own worker facade
 * (`bundle.ts`) and hands it to Miniflare — the library `partykit dev` itself
 * drives — with no inspector port at all and every socket (workerd's entry
 * socket and Miniflare's loopback server, which follows the same host) on the
 * host asked for, 127.0.0.1 by default. Storage uses `partykit dev`'s layout
 * (`<persist>/party`), so existing room snapshots keep working.
 *
 * Usage: `tsx scripts/rooms/serve.ts --port 1999 --persist data/partykit [--host 127.0.0.1] [--watch]`
 * Secrets and the app server's URL come from the environment (TOKEN_SECRET,
 * INTERNAL_SECRET, APP_URL), never from arguments.
 */
import { Log, LogLevel, Miniflare, type MiniflareOptions } from 'miniflare';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { redactSecrets } from '../../server/redact';
import {
  ASSETS_MODULE,
  bundleRooms,
  durableObjects,
  readProject,
  stopBundler,
  type PartykitProject,
} from './bundle';

/** BENCH_METER=1 turns on bench metric 11's usage meter, BENCH_TIME_SCALE its compression (partykit/core/usageMeter.ts). */
const ROOM_VARS = ['TOKEN_SECRET', 'INTERNAL_SECRET', 'APP_URL', 'BENCH_METER', 'BENCH_TIME_SCALE'] as const;

function options(project: PartykitProject, code: string, host: string, port: number, persist: string) {
  const bindings: Record<string, string | Record<string, never>> = { PARTYKIT_CRONS: {} };
  // The facade hands `pkvar-*` bindings to the rooms as `room.env`, as PartyKit's `--var` does.
  for (const name of ROOM_VARS) {
    const value = process.env[name];
    if (value) bindings[`pkvar-${name}`] = value;
  }
  return {
    host,
    port,
    // No `inspectorPort`: workerd starts without an inspector.
    cf: false,
    compatibilityDate: project.compatibilityDate,
    compatibilityFlags: ['nodejs_compat'],
    modulesRoot: project.root,
    modules: [
      { type: 'ESModule', path: join(project.root, '.rooms-bundle.mjs'), contents: code },
      {
        type: 'ESModule',
        path: join(project.root, ASSETS_MODULE),
        contents: `export default ${JSON.stringify({ devServer: 'http://invalid.localhost', assets: {} })};`,
      },
    ],
    bindings,
    durableObjects: durableObjects(project),
    durableObjectsPersist: join(persist, 'party'),
    cachePersist: join(persist, 'cache'),
    kvPersist: join(persist, 'kv'),
    log: new Log(LogLevel.WARN, { prefix: 'rooms' }),
    handleRuntimeStdio(stdout, stderr) {
      // Room logs pass through, minus anything that looks like a credential.
      stdout.on('data', (c: Buffer) => process.stdout.write(redactSecrets(c.toString())));
      stderr.on('data', (c: Buffer) => process.stderr.write(redactSecrets(c.toString())));
    },
  } satisfies MiniflareOptions;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '1999' },
      persist: { type: 'string', default: 'data/partykit' },
      root: { type: 'string', default: process.cwd() },
      watch: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: not a port: ${values.port}`);
  const project = readProject(resolve(values.root));
  const persist = resolve(values.persist);
  let mf: Miniflare | undefined;
  let last = '';
  const ctx = await bundleRooms(project, `${values.host}:${port}`, async (code) => {
    // Starting to watch rebuilds once more; an unchanged bundle must not restart the rooms.
    if (code === last) return;
    last = code;
    const opts = options(project, code, values.host, port, persist);
    if (mf) await mf.setOptions(opts);
    else mf = new Miniflare(opts);
    const url = await mf.ready;
    console.log(`Ready on ${url.origin}`); // the line `partykit dev` printed; tools wait for it
  });
  await ctx.rebuild().catch(() => undefined); // errors are printed by esbuild
  if (!mf) throw new Error('the rooms did not build (see the errors above)');
  if (values.watch) await ctx.watch();
  else await ctx.dispose().then(stopBundler);
  const stop = () => {
    void Promise.allSettled([ctx.dispose(), mf?.dispose()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  console.error(`rooms: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
