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
 *                       passed to the rooms as `--var` (they verify tokens
 *                       and reach the app server's internal API with them)
 *
 * Flags: `--dry-run` prints the command (secrets masked) without running it;
 * `--delete` removes the deployment named PARTYKIT_NAME instead.
 * The host clients connect to is printed, and written to $GITHUB_OUTPUT as
 * `host=` when that is set (the pull-request workflow hands it to the editor).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** What to run, computed from the environment and flags; throws a sentence naming the missing setting. */
export interface DeployPlan {
  readonly args: readonly string[];
  /** The args with secret values replaced by `***`, for logs. */
  readonly shown: readonly string[];
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
    return { args, shown: args, host: undefined };
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
  const shown: string[] = [...args];
  if (domain) {
    args.push('--domain', domain);
    shown.push('--domain', domain);
  }
  for (const v of ROOM_VARS) {
    args.push('--var', `${v}=${env[v]}`);
    shown.push('--var', `${v}=${SECRET_VARS.has(v) ? '***' : env[v]}`);
  }
  const host =
    domain ?? (env.PARTYKIT_LOGIN ? `${name}.${env.PARTYKIT_LOGIN.toLowerCase()}.partykit.dev` : undefined);
  return { args, shown, host };
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
  console.log(`partykit ${plan.shown.join(' ')}`);
  if (plan.host) console.log(`host: ${plan.host}`);
  if (argv.includes('--dry-run')) return 0;
  const result = spawnSync(join(root, 'node_modules/.bin/partykit'), plan.args, {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) return result.status ?? 1;
  if (plan.host && process.env.GITHUB_OUTPUT)
    appendFileSync(process.env.GITHUB_OUTPUT, `host=${plan.host}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2));
