import { join } from 'node:path';
import { migrateDatabase, openDatabase, type Database } from '../engine/db';
import { registry } from '../engine/generated/schemas';
import type { PartyRow } from '../engine/generated/tables';
import { startAppServer, type RunningAppServer } from './app';
import type { AppConfig } from './config';
import { allPartyLinks, type PartyLinks } from './links';
import { seedDemo, type SeedResult } from './seed';

/** A running app server with its database, as `npm start` and `server/main.ts` use it. */
export interface BootedAppServer {
  readonly server: RunningAppServer;
  readonly database: Database;
  readonly seed: SeedResult;
  /** GM and player links of the oldest party (the demo party on a fresh install), if any. */
  readonly firstParty?: { party: PartyRow } & PartyLinks;
  /** Current GM and player links of every party, oldest first (`npm start` prints them all). */
  readonly parties: ReadonlyArray<{ party: PartyRow } & PartyLinks>;
  close(): Promise<void>;
}

/**
 * Opens and migrates the database, seeds the demo party when it is empty
 * (unless `seed: false`), and starts the app server on `config.appPort`.
 */
export async function bootAppServer(
  config: AppConfig,
  options: { seed?: boolean; hostname?: string; log?: (m: string) => void } = {},
): Promise<BootedAppServer> {
  const database = await openDatabase({
    url: config.databaseUrl,
    ...(config.databaseAuthToken ? { authToken: config.databaseAuthToken } : {}),
  });
  try {
    await migrateDatabase(database);
    const uploadsDir = join(config.dataDir, 'uploads');
    const seed =
      options.seed === false
        ? ({ seeded: false, reason: 'seeding disabled' } as const)
        : await seedDemo(database, registry, { uploadsDir });
    const server = await startAppServer({
      database,
      registry,
      tokenSecret: config.tokenSecret,
      internalSecret: config.internalSecret,
      dataDir: config.dataDir,
      uploadsDir,
      partykitHost: config.partykitHost,
      partykitUrl: config.partykitUrl,
      port: config.appPort,
      ...(config.staticDir ? { staticDir: config.staticDir } : {}),
      ...(options.hostname ? { hostname: options.hostname } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    const parties = await allPartyLinks(database.db, config.tokenSecret);
    const firstParty = parties[0];
    return {
      server,
      database,
      seed,
      parties,
      ...(firstParty ? { firstParty } : {}),
      async close() {
        await server.close();
        database.close();
      },
    };
  } catch (e) {
    database.close();
    throw e;
  }
}

/** A start-up failure as one line a person can act on (busy port, unreadable database…). */
export function describeStartError(e: unknown, config: AppConfig): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE')
    return `port ${config.appPort} is already in use; stop the other server or set APP_PORT to a free port`;
  if (err.code === 'EACCES') return `not allowed to use port ${config.appPort} or to write ${config.dataDir}`;
  return `${err.message ?? String(e)} (database ${config.databaseUrl})`;
}
