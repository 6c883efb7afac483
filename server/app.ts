import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { serve } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../engine/db';
import { registry as generatedRegistry } from '../engine/generated/schemas';
import type { Registry } from '../engine/schema';
import type { AppDeps } from './context';
import type { RoomPlugin } from '../engine/plugin';
import { roomPlugins as generatedRoomPlugins } from '../partykit/generated/roomPlugins';
import { errorResponse, HttpError } from './errors';
import { internalRoutes } from './routes/internal';
import { partyRoutes } from './routes/parties';
import { ticketRoutes } from './routes/tickets';
import { sceneRoutes } from './routes/scenes';
import { sessionRoutes } from './routes/sessions';
import { sessionTransferRoutes } from './routes/sessionTransfer';
import { serveUploads, uploadRoutes } from './routes/uploads';
import { thumbnailRoutes } from './routes/thumbnails';
import { editorAssets } from './routes/editorAssets';
import { securityHeaders } from './securityHeaders';
import {
  DEFAULT_PARTY_UPLOAD_QUOTA,
  DEFAULT_UNUSED_UPLOAD_GRACE_MS,
  UNUSED_UPLOAD_SWEEP_INTERVAL_MS,
  sweepUnusedUploads,
} from './partyUploads';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rateLimit';

/** What the app needs; everything but the database and secrets has a default. */
export interface AppOptions {
  readonly database: Database;
  readonly tokenSecret: string;
  readonly internalSecret: string;
  /** Uploads are stored in `<dataDir>/uploads` unless `uploadsDir` says otherwise. */
  readonly dataDir: string;
  readonly uploadsDir?: string;
  /** Host[:port] browsers reach PartyKit at (default 127.0.0.1:1999). */
  readonly partykitHost?: string;
  /** PartyKit base URL for room control (default http://<partykitHost>); `null` disables room notifications. */
  readonly partykitUrl?: string | null;
  readonly registry?: Registry;
  /** Room plugins whose `projectForPlayer` the player endpoints apply (default: the generated list). */
  readonly roomPlugins?: readonly RoomPlugin[];
  /** Largest upload in bytes (default 50 MB: map videos are big). */
  readonly maxUploadBytes?: number;
  /** Most bytes of uploads one party may keep (default 500 MB). */
  readonly partyUploadQuota?: number;
  /** How long an upload no scene uses is kept (default one day). */
  readonly unusedUploadGraceMs?: number;
  /** Per-client limits of party creation and uploads (default DEFAULT_RATE_LIMITS). */
  readonly rateLimits?: Partial<RateLimits>;
  /** Largest JSON body of the public API (default 1 MB). */
  readonly maxJsonBytes?: number;
  /** Largest internal save (default 64 MB: a scene's fog tiles travel base64-encoded). */
  readonly maxInternalBytes?: number;
  readonly log?: (message: string) => void;
  /** The built editor (`dist/`) to serve in production; unset in development, where Vite serves it. */
  readonly staticDir?: string;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

function limit(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new HttpError(413, `the request body is larger than ${maxSize} bytes`);
    },
  });
}

/**
 * Builds the Hono app (no listening): public API under `/api`, the rooms'
 * API under `/internal`, uploaded files under `/uploads`. Every error answers
 * JSON `{error, field?}`.
 */
export function createApp(options: AppOptions): Hono {
  const partykitHost = options.partykitHost ?? '127.0.0.1:1999';
  const deps: AppDeps = {
    database: options.database,
    registry: options.registry ?? generatedRegistry,
    roomPlugins: options.roomPlugins ?? generatedRoomPlugins,
    tokenSecret: options.tokenSecret,
    internalSecret: options.internalSecret,
    uploadsDir: options.uploadsDir ?? join(options.dataDir, 'uploads'),
    partykitHost,
    partykitUrl: options.partykitUrl === null ? undefined : (options.partykitUrl ?? `http://${partykitHost}`),
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    partyUploadQuota: options.partyUploadQuota ?? DEFAULT_PARTY_UPLOAD_QUOTA,
    unusedUploadGraceMs: options.unusedUploadGraceMs ?? DEFAULT_UNUSED_UPLOAD_GRACE_MS,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
    log: options.log ?? ((m) => console.warn(`[app] ${m}`)),
  };
  mkdirSync(deps.uploadsDir, { recursive: true });

  const app = new Hono();
  // Every answer, errors included: uploads get the sandbox, the API the data-only policy, the built editor
  // its page policy (server/securityHeaders.ts).
  app.use('*', async (c, next) => {
    await next();
    const path = c.req.path;
    const kind = path.startsWith('/uploads/')
      ? 'upload'
      : /^\/(api|internal)(\/|$)/.test(path) || !options.staticDir
        ? 'api'
        : 'page';
    for (const [name, value] of Object.entries(securityHeaders(kind, partykitHost)))
      c.res.headers.set(name, value);
  });
  app.onError((err, c) => {
    if (err instanceof HttpError) return errorResponse(c, err.status, err.message, err.field);
    if (err instanceof HTTPException) return errorResponse(c, err.status, err.message || 'request refused');
    // Validation runs before every write, so a constraint failure here is a bug; still, nothing was written.
    if (/SQLITE_CONSTRAINT/.test(String((err as { code?: unknown }).code)))
      return errorResponse(c, 400, `the database refused the change: ${err.message}`);
    deps.log(`${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return errorResponse(c, 500, 'internal server error');
  });
  app.notFound((c) => errorResponse(c, 404, `no route for ${c.req.method} ${c.req.path}`));

  app.get('/api/health', async (c) => {
    await deps.database.db.run(sql`select 1`);
    return c.json({ ok: true, database: 'ok', time: Date.now() });
  });

  app.route('/api/uploads', uploadRoutes(deps));
  app.route('/uploads', serveUploads(deps));

  // Before `/api`: a session file is far over the API's JSON limit, so the import route brings its own.
  const transfer = sessionTransferRoutes(deps);
  app.route('/api/parties', transfer.imports);
  app.route('/api/sessions', transfer.exports);

  const api = new Hono();
  api.use('*', limit(options.maxJsonBytes ?? 1024 * 1024));
  const { underParty, sessions } = sessionRoutes(deps);
  api.route('/parties', partyRoutes(deps));
  api.route('/parties', underParty);
  api.route('/sessions', sessions);
  api.route('/scenes', sceneRoutes(deps));
  api.route('/scenes', thumbnailRoutes(deps));
  api.route('/tickets', ticketRoutes(deps));
  app.route('/api', api);

  const internal = new Hono();
  internal.use('*', limit(options.maxInternalBytes ?? 64 * 1024 * 1024));
  internal.route('/', internalRoutes(deps));
  app.route('/internal', internal);

  if (options.staticDir) app.route('/', editorAssets(options.staticDir));
  return app;
}

/** A listening app server. */
export interface RunningAppServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Sweeps the whole uploads folder now and every few hours (partyUploads.ts
 * `sweepUnusedUploads`): uploads no scene uses, from any time, go after the
 * grace period. Failures are logged. Returns the function that stops it (and
 * waits for a sweep under way, so nothing touches the folder after close).
 */
function startUploadSweeps(options: AppOptions): () => Promise<void> {
  const dir = options.uploadsDir ?? join(options.dataDir, 'uploads');
  const log = options.log ?? ((m) => console.warn(`[app] ${m}`));
  let running: Promise<unknown> | undefined;
  const sweep = () => {
    running ??= sweepUnusedUploads(
      options.database,
      dir,
      options.unusedUploadGraceMs ?? DEFAULT_UNUSED_UPLOAD_GRACE_MS,
    )
      .then((deleted) => deleted.length > 0 && log(`deleted ${deleted.length} upload(s) no scene uses`))
      .catch((e: Error) => log(`sweeping unused uploads failed: ${e.message}`))
      .finally(() => (running = undefined));
  };
  sweep();
  const timer = setInterval(sweep, UNUSED_UPLOAD_SWEEP_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * Starts the app on `port` (0 picks a free one) at `hostname` (default
 * 127.0.0.1) and resolves once it listens; from then on it sweeps unused uploads.
 */
export function startAppServer(
  options: AppOptions & { port?: number; hostname?: string },
): Promise<RunningAppServer> {
  const app = createApp(options);
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, (info: AddressInfo) => {
      const stopSweeps = startUploadSweeps(options);
      resolve({
        url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}`,
        port: info.port,
        close: async () => {
          await new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Keep-alive connections would hold close() open; end them.
            if ('closeAllConnections' in server) server.closeAllConnections();
          });
          await stopSweeps();
        },
      });
    });
    server.once('error', reject);
  });
}
