/**
 * The whole stack the reliability suite runs against, all real: a libSQL
 * file in a temporary folder, the app server on a free port (restartable on
 * that port), a fault-injecting HTTP proxy between the rooms and the app
 * server, and `partykit dev` (restartable, killable) whose APP_URL is the
 * proxy. Everything is stopped and removed by `close()`.
 */
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { Database } from '../../../engine/db';
import { startPartykit, type PartykitDev } from '../../harness/partykit';
import {
  INTERNAL_SECRET,
  TOKEN_SECRET,
  startApp,
  ticketsFrom,
  type AppHandle,
} from '../../integration/partykit/support';
import { startFaultProxy, type FaultProxy } from './proxy';

/** The integration suites' app server: real libSQL file, restartable on its port, with its data folder. */
export type ReliabilityApp = AppHandle;
export const startReliabilityApp = startApp;

export interface Stack {
  readonly app: ReliabilityApp;
  readonly proxy: FaultProxy;
  readonly pk: PartykitDev;
  close(): Promise<void>;
}

/** App server, fault proxy and `partykit dev` wired together. */
export async function startStack(): Promise<Stack> {
  const app = await startReliabilityApp();
  const proxy = await startFaultProxy(app.url);
  // The rooms reach the app server through the fault proxy; clients fetch their tickets from it directly.
  const pk = ticketsFrom(
    await startPartykit({ vars: { TOKEN_SECRET, INTERNAL_SECRET, APP_URL: proxy.url } }),
    app.url,
  );
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
