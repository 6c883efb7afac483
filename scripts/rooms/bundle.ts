/**
 * Bundles the PartyKit rooms (`partykit.json`: `main` + `parties`) into one
 * Workers module, the way `partykit dev` does: PartyKit's own worker facade
 * (`partykit/dist/generated.js`, which routes `/parties/<party>/<room>` to one
 * Durable Object per room and calls the static `onBefore…` hooks) with our
 * party classes plugged in. The room code itself is unchanged; only the
 * runner around it differs (see `serve.ts` for why).
 */
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PartykitProject {
  readonly root: string;
  /** Absolute path of the `main` party. */
  readonly main: string;
  /** Party name → absolute path of its module. */
  readonly parties: Readonly<Record<string, string>>;
  readonly compatibilityDate: string;
}

/** Module the facade imports for static assets; the rooms serve none. */
export const ASSETS_MODULE = '__STATIC_ASSETS_MANIFEST__';

export function readProject(root: string): PartykitProject {
  const raw = JSON.parse(readFileSync(join(root, 'partykit.json'), 'utf8')) as {
    main?: string;
    parties?: Record<string, string>;
    compatibilityDate?: string;
  };
  if (!raw.main) throw new Error('partykit.json has no "main"');
  const parties: Record<string, string> = {};
  for (const [name, path] of Object.entries(raw.parties ?? {})) {
    // The name becomes a JavaScript identifier in the facade.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`party name "${name}" is not an identifier`);
    parties[name] = resolve(root, path);
  }
  return {
    root,
    main: resolve(root, raw.main),
    parties,
    compatibilityDate: raw.compatibilityDate ?? '2024-07-18',
  };
}

function facadeSource(project: PartykitProject): string {
  // partykit's `exports` hide its files; its server entry sits beside the facade in `dist/`.
  const distDir = dirname(fileURLToPath(import.meta.resolve('partykit/server')));
  const facade = readFileSync(join(distDir, 'generated.js'), 'utf8');
  const parties = Object.entries(project.parties)
    .map(
      ([name, path]) =>
        `import ${name} from ${JSON.stringify(path)};\n` +
        `export const ${name}DO = createDurable(${name}, { name: ${JSON.stringify(name)} });\n` +
        `Workers[${JSON.stringify(name)}] = ${name};\n`,
    )
    .join('\n');
  return facade
    .replace('"__WORKER__"', JSON.stringify(project.main))
    .replace('__R2_BINDINGS__', '[]')
    .replace('__KV_BINDINGS__', '[]')
    .replace('__PARTIES__', parties);
}

/** Durable Object bindings the facade expects: its own `main` object plus one per party. */
export function durableObjects(project: PartykitProject): Record<string, string> {
  const out: Record<string, string> = { PARTYKIT_DURABLE: 'PartyKitDurable' };
  for (const name of Object.keys(project.parties)) out[name] = `${name}DO`;
  return out;
}

/**
 * An esbuild context producing the bundle; `onBuilt` receives each successful
 * build's code (the first and, with `watch`, every rebuild after a change).
 */
export async function bundleRooms(
  project: PartykitProject,
  host: string,
  onBuilt: (code: string) => void | Promise<void>,
): Promise<esbuild.BuildContext> {
  return esbuild.context({
    stdin: { contents: facadeSource(project), resolveDir: project.root, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    target: 'esnext',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['partykit', 'workerd', 'worker', 'import'],
    sourcemap: 'inline',
    // workerd provides `node:*` under the nodejs_compat flag and `cloudflare:*` itself.
    external: ['node:*', 'cloudflare:*', ASSETS_MODULE],
    define: {
      PARTYKIT_HOST: JSON.stringify(host),
      // The facade's platform API (AI, vectorize) is not used by the rooms and must not be reachable.
      PARTYKIT_API_BASE: JSON.stringify('http://invalid.localhost'),
    },
    logLevel: 'warning',
    plugins: [
      {
        name: 'tablestage-rooms',
        setup(build) {
          build.onEnd(async (result) => {
            const code = result.outputFiles?.[0]?.text;
            if (result.errors.length === 0 && code !== undefined) await onBuilt(code);
          });
        },
      },
    ],
  });
}

/** Ends esbuild's service process once no rebuild will come: idle, it still costs the rooms' machine CPU. */
export function stopBundler(): Promise<void> {
  return esbuild.stop();
}
