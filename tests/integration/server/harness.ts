import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { migrateDatabase, openDatabase, type Database } from '../../../engine/db';
import { registry } from '../../../engine/generated/schemas';
import * as tables from '../../../engine/generated/tables';
import { startAppServer, type AppOptions } from '../../../server/app';

export const TOKEN_SECRET = 'test-token-secret-0123456789abcdef';
export const INTERNAL_SECRET = 'test-internal-secret-0123456789abcdef';

/** A real app server over a real libSQL file in a temporary folder, listening on a free port. */
export interface TestServer {
  readonly url: string;
  readonly dir: string;
  readonly database: Database;
  /** JSON request helper: returns status and parsed body (or text when not JSON). */
  api(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<{ status: number; body: any; headers: Headers }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  internal(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- as above
  /** Row counts of every table, to prove a refused request wrote nothing. */
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Sent as is (no JSON encoding). */
  readonly raw?: BodyInit;
  readonly headers?: Record<string, string>;
}

export async function startTestServer(options: Partial<AppOptions> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tablestage-server-'));
  const database = await openDatabase({ url: `file:${join(dir, 'test.db')}` });
  await migrateDatabase(database);
  const server = await startAppServer({
    database,
    registry,
    tokenSecret: TOKEN_SECRET,
    internalSecret: INTERNAL_SECRET,
    dataDir: dir,
    partykitUrl: null,
    log: () => undefined,
    ...options,
  });
  const api: TestServer['api'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    let body: BodyInit | undefined = o.raw;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(server.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    url: server.url,
    dir,
    database,
    api,
    internal: (method, path, body) =>
      api(method, path, {
        headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
        ...(body !== undefined ? { body } : {}),
      }),
    async counts() {
      const out: Record<string, number> = {};
      for (const [name, table] of Object.entries({
        party: tables.party,
        gameSession: tables.gameSession,
        scene: tables.scene,
        sceneBlob: tables.sceneBlob,
        ...tables.collectionTables,
      })) {
        const [row] = await database.db.select({ n: count() }).from(table);
        out[name] = row?.n ?? 0;
      }
      return out;
    },
    async close() {
      await server.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a party through the public API and returns the 201 body. */
export async function createParty(server: TestServer, name = 'Test party') {
  const res = await server.api('POST', '/api/parties', { body: { name } });
  if (res.status !== 201) throw new Error(`party creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    party: { id: string; name: string; activeGameSessionId: string; activeSceneId: string };
    gameSession: { id: string; partyId: string; name: string };
    scenes: { id: string; name: string; sortOrder: number; lastUpdated: number }[];
    tokens: { gm: string; player: string };
    links: { gm: string; player: string };
  };
}

/** Full snapshot of every table, to compare before and after a refused request. */
export async function snapshot(server: TestServer): Promise<string> {
  const all: Record<string, unknown[]> = {};
  for (const [name, table] of Object.entries({
    party: tables.party,
    gameSession: tables.gameSession,
    scene: tables.scene,
    sceneBlob: tables.sceneBlob,
    ...tables.collectionTables,
  }))
    all[name] = await server.database.db.select().from(table);
  return JSON.stringify(all, (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
  );
}
