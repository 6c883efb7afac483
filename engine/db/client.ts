import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import * as tables from '../generated/tables';

/** The drizzle database over every generated table. */
export type Db = LibSQLDatabase<typeof tables>;
/** What a write transaction callback receives: the same query API, inside one transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** An open database: drizzle for queries, `write` for serialised write transactions, `close` when done. */
export interface Database {
  readonly db: Db;
  readonly client: Client;
  readonly url: string;
  /**
   * Runs `fn` in one write transaction; a throw rolls everything back.
   * Writers in this process queue behind each other (SQLite has one writer
   * anyway), so concurrent requests never fail with SQLITE_BUSY between
   * themselves; other processes wait up to the busy timeout.
   */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): void;
}

export interface OpenOptions {
  /** `file:/path/to.db`, `libsql://…` or `http(s)://…`. */
  readonly url: string;
  readonly authToken?: string;
}

/** The generated drizzle-kit migrations shipped with the code. */
export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../generated/migrations');

const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the database at `url`. A local file gets its folder created, WAL
 * journaling (readers do not block the writer) and a busy timeout; a remote
 * libSQL/Turso URL is used as is.
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  const isFile = options.url.startsWith('file:');
  if (isFile) {
    const path = options.url.slice('file:'.length).replace(/^\/\/(localhost)?(?=\/)/, '');
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient({
    url: options.url,
    ...(options.authToken ? { authToken: options.authToken } : {}),
    ...(isFile ? { timeout: BUSY_TIMEOUT_MS } : {}),
  });
  // libSQL enables foreign keys on every connection it opens; WAL is a property of the file and persists.
  if (isFile) await client.execute('PRAGMA journal_mode = WAL');
  const db = drizzle(client, { schema: tables });
  let queue: Promise<unknown> = Promise.resolve();
  return {
    db,
    client,
    url: options.url,
    write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      const run = queue.then(() => db.transaction(fn));
      // The queue continues whether this write succeeds or fails.
      queue = run.catch(() => undefined);
      return run;
    },
    close: () => client.close(),
  };
}
