import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything the app server and `npm start` read from the environment, with defaults filled in. */
export interface AppConfig {
  /** Port of the Node app server (`APP_PORT`, default 8787). */
  readonly appPort: number;
  /** Port of `partykit dev` (`PARTYKIT_PORT`, default 1999). */
  readonly partykitPort: number;
  /** Port of the Vite editor dev server (`PORT`, default 5173). */
  readonly editorPort: number;
  /** Absolute data folder (`DATA_DIR`, default ./data): database file, uploads, secrets, room snapshots. */
  readonly dataDir: string;
  /** libSQL URL (`DATABASE_URL`), default `file:<dataDir>/tablestage.db`. */
  readonly databaseUrl: string;
  readonly databaseAuthToken?: string;
  /** Host[:port] browsers use to reach PartyKit (`PARTYKIT_HOST`, default 127.0.0.1:<partykitPort>). */
  readonly partykitHost: string;
  /** Base URL the app server uses to reach PartyKit room control, default http://<partykitHost>. */
  readonly partykitUrl: string;
  readonly tokenSecret: string;
  readonly internalSecret: string;
  /** The built editor to serve (`STATIC_DIR`); unset: the app server serves only the API (Vite serves the editor). */
  readonly staticDir?: string;
}

/** The secrets shared between the app server and PartyKit, as stored in `$DATA_DIR/secrets.json`. */
export interface Secrets {
  readonly tokenSecret: string;
  readonly internalSecret: string;
}

export const DEFAULT_APP_PORT = 8787;
export const DEFAULT_PARTYKIT_PORT = 1999;
export const DEFAULT_EDITOR_PORT = 5173;

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return n;
}

const isSecret = (v: unknown): v is string => typeof v === 'string' && v.length >= 16;

/**
 * Reads `$DATA_DIR/secrets.json`, creating it with fresh random secrets the
 * first time. Created exclusively (`wx`) so two processes starting together
 * agree on one file; readable by the owner only.
 */
export function loadOrCreateSecrets(dataDir: string): Secrets {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  const fresh: Secrets = {
    tokenSecret: randomBytes(32).toString('base64url'),
    internalSecret: randomBytes(32).toString('base64url'),
  };
  try {
    writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    return fresh;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
  if (!isSecret(stored.tokenSecret) || !isSecret(stored.internalSecret))
    throw new Error(
      `${file} is damaged: it must hold tokenSecret and internalSecret (delete it to generate new ones)`,
    );
  return { tokenSecret: stored.tokenSecret, internalSecret: stored.internalSecret };
}

/**
 * Builds the configuration from `env`. Secrets come from `TOKEN_SECRET` /
 * `INTERNAL_SECRET` when set, otherwise from (or into) `$DATA_DIR/secrets.json`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AppConfig {
  const dataDir = resolve(cwd, env.DATA_DIR || 'data');
  const partykitPort = port(env, 'PARTYKIT_PORT', DEFAULT_PARTYKIT_PORT);
  const fromEnv = { tokenSecret: env.TOKEN_SECRET, internalSecret: env.INTERNAL_SECRET };
  const secrets =
    isSecret(fromEnv.tokenSecret) && isSecret(fromEnv.internalSecret)
      ? { tokenSecret: fromEnv.tokenSecret, internalSecret: fromEnv.internalSecret }
      : { ...loadOrCreateSecrets(dataDir), ...pickSecrets(fromEnv) };
  const partykitHost = env.PARTYKIT_HOST || `127.0.0.1:${partykitPort}`;
  return {
    appPort: port(env, 'APP_PORT', DEFAULT_APP_PORT),
    partykitPort,
    editorPort: port(env, 'PORT', DEFAULT_EDITOR_PORT),
    dataDir,
    databaseUrl: env.DATABASE_URL || `file:${join(dataDir, 'tablestage.db')}`,
    ...(env.DATABASE_AUTH_TOKEN ? { databaseAuthToken: env.DATABASE_AUTH_TOKEN } : {}),
    partykitHost,
    partykitUrl: env.PARTYKIT_URL || `http://${partykitHost}`,
    ...(env.STATIC_DIR ? { staticDir: resolve(cwd, env.STATIC_DIR) } : {}),
    ...secrets,
  };
}

/** An environment secret that is set wins over the stored one; a too-short one is an error, not silently ignored. */
function pickSecrets(fromEnv: { tokenSecret?: string; internalSecret?: string }): Partial<Secrets> {
  const out: { tokenSecret?: string; internalSecret?: string } = {};
  for (const [key, name] of [
    ['tokenSecret', 'TOKEN_SECRET'],
    ['internalSecret', 'INTERNAL_SECRET'],
  ] as const) {
    const v = fromEnv[key];
    if (v === undefined || v === '') continue;
    if (!isSecret(v)) throw new Error(`${name} must be at least 16 characters long`);
    out[key] = v;
  }
  return out;
}
