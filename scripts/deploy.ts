/**
 * `npm run deploy`: deploys the PartyKit rooms with `partykit deploy`, taking
 * the project name, domain and room variables from the environment, so CI
 * and a person at a terminal run the same command.
 *
 *   PARTYKIT_NAME       project name (default: `name` in partykit.json)
 *   PARTYKIT_DOMAIN     custom domain (cloud-prem; required with CLOUDFLARE_ACCOUNT_ID)
 *   CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN
 *                       deploy to your own Cloudflare account (cloud-prem);
 *                       without them PartyKit's managed platform is used
 *                       (PARTYKIT_LOGIN + PARTYKIT_TOKEN in CI)
 *   TOKEN_SECRET, INTERNAL_SECRET, APP_URL
 *                       the rooms' variables (they verify tokens and reach
 *                       the app server's internal API with them). They go to
 *                       PartyKit as the `vars` of a temporary copy of
 *                       partykit.json (`--config <file> --with-vars`), a file
 *                       only this user can read, removed after the deploy:
 *                       never as `--var` arguments, which `ps` shows to
 *                       every user of the machine.
 *   PARTYKIT_BIN        the partykit CLI to run (default: the project's own)
 *
 * Flags: `--dry-run` prints the command without running it;
 * `--delete` removes the deployment named PARTYKIT_NAME instead.
 * The host clients connect to is printed, and written to $GITHUB_OUTPUT as
 * `host=` when that is set (the pull-request workflow hands it to the editor).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** What to run, computed from the environment and flags; throws a sentence naming the missing setting. */
export interface DeployPlan {
  /** The CLI arguments; they hold no secret (`ps` shows them). */
  readonly args: readonly string[];
  /** The rooms' variables, written to the private config file `--config` names (none for `--delete`). */
  readonly vars: Readonly<Record<string, string>> | undefined;
  /** Host[:port] clients use (`PARTYKIT_HOST` for the app server and editor). */
  readonly host: string | undefined;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ROOM_VARS = ['TOKEN_SECRET', 'INTERNAL_SECRET', 'APP_URL'] as const;
const SECRET_VARS = new Set<string>(['TOKEN_SECRET', 'INTERNAL_SECRET']);

function defaultName(): string | undefined {
  try {
    const config = JSON.parse(readFileSync(join(root, 'partykit.json'), 'utf8')) as { name?: unknown };
    return typeof config.name === 'string' ? config.name : undefined;
  } catch {
    return undefined;
  }
}

export function planDeploy(env: NodeJS.ProcessEnv, flags: { delete?: boolean }): DeployPlan {
  const name = (env.PARTYKIT_NAME || defaultName() || '').toLowerCase();
  if (!NAME.test(name))
    throw new Error(`PARTYKIT_NAME must be lowercase letters, digits and hyphens (got "${name}")`);
  if (flags.delete) {
    const args = ['delete', '--name', name, '--force'];
    return { args, vars: undefined, host: undefined };
  }
  const domain = env.PARTYKIT_DOMAIN?.toLowerCase();
  if (domain && !DOMAIN.test(domain)) throw new Error(`PARTYKIT_DOMAIN "${domain}" is not a domain name`);
  const cloudPrem = Boolean(env.CLOUDFLARE_ACCOUNT_ID || env.CLOUDFLARE_API_TOKEN);
  if (cloudPrem && !(env.CLOUDFLARE_ACCOUNT_ID && env.CLOUDFLARE_API_TOKEN))
    throw new Error('cloud-prem deploys need both CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN');
  if (cloudPrem && !domain)
    throw new Error(
      'a deploy to your own Cloudflare account needs PARTYKIT_DOMAIN (a domain in that account)',
    );
  const missing = ROOM_VARS.filter((v) => !env[v]);
  if (missing.length > 0)
    throw new Error(
      `set ${missing.join(', ')}: the rooms need them to verify tokens and reach the app server`,
    );
  for (const v of SECRET_VARS)
    if ((env[v] ?? '').length < 16) throw new Error(`${v} must be at least 16 characters long`);
  if (!/^https?:\/\//.test(env.APP_URL!))
    throw new Error(`APP_URL must be an http(s) URL (got "${env.APP_URL}")`);

  const args: string[] = ['deploy', '--name', name];
  if (domain) args.push('--domain', domain);
  args.push('--with-vars');
  const vars = Object.fromEntries(ROOM_VARS.map((v) => [v, env[v]!]));
  const host =
    domain ?? (env.PARTYKIT_LOGIN ? `${name}.${env.PARTYKIT_LOGIN.toLowerCase()}.partykit.dev` : undefined);
  return { args, vars, host };
}

/**
 * Writes partykit.json with `vars` added to a fresh folder only this user can
 * enter, as a file only this user can read; its paths are made absolute
 * (PartyKit resolves them against the config file's folder). Returns the
 * file and a function removing the folder.
 */
export function writePrivateConfig(vars: Readonly<Record<string, string>>): {
  file: string;
  remove: () => void;
} {
  const config = JSON.parse(readFileSync(join(root, 'partykit.json'), 'utf8')) as {
    main?: string;
    parties?: Record<string, string>;
  };
  const absolute = (p: string) => (isAbsolute(p) ? p : join(root, p));
  if (config.main) config.main = absolute(config.main);
  if (config.parties)
    config.parties = Object.fromEntries(Object.entries(config.parties).map(([k, p]) => [k, absolute(p)]));
  const dir = mkdtempSync(join(tmpdir(), 'tablestage-deploy-'));
  const file = join(dir, 'partykit.json');
  writeFileSync(file, JSON.stringify({ ...config, vars }), { mode: 0o600 });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function main(argv: readonly string[]): number {
  const known = new Set(['--dry-run', '--delete']);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length > 0) {
    console.error(`deploy: unknown option ${unknown.join(' ')} (known: --dry-run, --delete)`);
    return 2;
  }
  let plan: DeployPlan;
  try {
    plan = planDeploy(process.env, { delete: argv.includes('--delete') });
  } catch (e) {
    console.error(`deploy: ${(e as Error).message}`);
    return 2;
  }
  const vars = plan.vars
    ? ` (variables ${Object.keys(plan.vars).join(', ')} from a private config file)`
    : '';
  console.log(`partykit ${plan.args.join(' ')}${vars}`);
  if (plan.host) console.log(`host: ${plan.host}`);
  if (argv.includes('--dry-run')) return 0;
  const config = plan.vars ? writePrivateConfig(plan.vars) : undefined;
  let result;
  try {
    const bin = process.env.PARTYKIT_BIN || join(root, 'node_modules/.bin/partykit');
    result = spawnSync(bin, [...plan.args, ...(config ? ['--config', config.file] : [])], {
      cwd: root,
      stdio: 'inherit',
    });
  } finally {
    config?.remove();
  }
  if (result.status !== 0) return result.status ?? 1;
  if (plan.host && process.env.GITHUB_OUTPUT)
    appendFileSync(process.env.GITHUB_OUTPUT, `host=${plan.host}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2));
