/**
 * The whole stack the reliability suite runs against, all real: a libSQL
 * file in a temporary folder, the app server on a free port (restartable on
 * that port), a fault-injecting HTTP proxy between the rooms and the app
 * server, and `partykit dev` (restartable, killable) whose APP_URL is the
 * proxy. Everything is stopped and removed by `close()`.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { migrateDatabase, openDatabase, type Database } from '../../../engine/db';
import { registry } from '../../../engine/generated';
import { startAppServer, type RunningAppServer } from '../../../server/app';
import { freePort, startPartykit, type PartykitDev } from '../../harness/partykit';
import { INTERNAL_SECRET, TOKEN_SECRET, type AppHandle } from '../../integration/partykit/support';
import { startFaultProxy, type FaultProxy } from './proxy';

/** An {@link AppHandle} (so the integration helpers work with it) plus the data folder. */
export interface ReliabilityApp extends AppHandle {
  readonly dir: string;
  readonly uploadsDir: string;
}

export interface Stack {
  readonly app: ReliabilityApp;
  readonly proxy: FaultProxy;
  readonly pk: PartykitDev;
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
type Reply = { status: number; body: any };

async function request(
  url: string,
  method: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed as Reply['body'] };
}

/** The real app server over a real libSQL file, stoppable and restartable on the same port. */
export async function startReliabilityApp(): Promise<ReliabilityApp> {
  const dir = mkdtempSync(join(tmpdir(), 'tablestage-reliability-'));
  const database: Database = await openDatabase({ url: `file:${join(dir, 'test.db')}` });
  await migrateDatabase(database);
  const port = await freePort();
  let running: RunningAppServer | undefined;
  const start = async () => {
    running = await startAppServer({
      database,
      registry,
      tokenSecret: TOKEN_SECRET,
      internalSecret: INTERNAL_SECRET,
      dataDir: dir,
      partykitUrl: null,
      log: () => undefined,
      port,
    });
  };
  await start();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    dir,
    uploadsDir: join(dir, 'uploads'),
    database,
    start,
    async stop() {
      await running?.close();
      running = undefined;
    },
    internal: (method, path, body) =>
      request(url + path, method, body, { authorization: `Bearer ${INTERNAL_SECRET}` }),
    api: (method, path, body) => request(url + path, method, body, {}),
    async close() {
      await running?.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** App server, fault proxy and `partykit dev` wired together. */
export async function startStack(): Promise<Stack> {
  const app = await startReliabilityApp();
  const proxy = await startFaultProxy(app.url);
  const pk = await startPartykit({ vars: { TOKEN_SECRET, INTERNAL_SECRET, APP_URL: proxy.url } });
  return {
    app,
    proxy,
    pk,
    async close() {
      await pk.stop();
      await proxy.close();
      await app.close();
    },
  };
}

/** The room's own report (`GET /parties/game_session/:id` with the internal secret). */
export interface RoomStatus {
  readonly hydrated: boolean;
  readonly connections: number;
  readonly stateBytes: number;
  readonly viewStateBytes: number;
  readonly pendingSave: boolean;
  readonly scenes: string[];
}

export async function roomStatus(pk: PartykitDev, gameSessionId: string): Promise<RoomStatus> {
  const res = await fetch(`${pk.httpUrl}/parties/game_session/${gameSessionId}`, {
    headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
  });
  if (res.status !== 200) throw new Error(`room status: ${res.status} ${await res.text()}`);
  return (await res.json()) as RoomStatus;
}

/** Asks the room to save everything dirty now and waits for that round. */
export async function flushRoom(pk: PartykitDev, gameSessionId: string): Promise<RoomStatus> {
  const res = await fetch(`${pk.httpUrl}/parties/game_session/${gameSessionId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
    body: JSON.stringify({ action: 'flush' }),
  });
  if (res.status !== 200) throw new Error(`room flush: ${res.status} ${await res.text()}`);
  return (await res.json()) as RoomStatus;
}

/**
 * Resident memory of the `partykit dev` process group (node CLI + workerd),
 * in bytes, found through the process listening on the dev port.
 */
export function serverMemoryBytes(pk: PartykitDev): number {
  const listening = execFileSync('ss', ['-ltnpH', `sport = :${pk.port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(listening)?.[1];
  if (!pid) throw new Error(`nothing listens on ${pk.port}: ${listening}`);
  const pgid = execFileSync('ps', ['-o', 'pgid=', '-p', pid], { encoding: 'utf8' }).trim();
  const rows = execFileSync('ps', ['-o', 'rss=', '-g', pgid], { encoding: 'utf8' });
  return rows
    .split('\n')
    .map((r) => Number(r.trim()))
    .filter((n) => Number.isFinite(n) && n > 0)
    .reduce((a, b) => a + b * 1024, 0);
}

/** Every row of every table, as one string: equal digests mean nothing was written. */
export async function dbDigest(database: Database): Promise<string> {
  const tables = await database.client.execute(
    "select name from sqlite_master where type = 'table' and name not like '\\_\\_%' escape '\\' and name not like 'sqlite_%' order by name",
  );
  const parts: string[] = [];
  for (const row of tables.rows) {
    const name = String(row.name);
    const rows = await database.client.execute(`select * from "${name}" order by 1`);
    parts.push(
      name,
      JSON.stringify(rows.rows, (_k, v: unknown) =>
        v instanceof ArrayBuffer ? [...new Uint8Array(v)] : typeof v === 'bigint' ? String(v) : v,
      ),
    );
  }
  return parts.join('\n');
}

/** Files in a folder (missing folder: none). */
export function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
