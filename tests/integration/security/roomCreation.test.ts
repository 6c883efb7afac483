/**
 * Issue 12, finding 5: a room — a Durable Object with its storage — exists
 * only for a real game session reached with a valid token of its party.
 * Unauthenticated requests, made-up ids and plain HTTP without the internal
 * secret are refused in the worker: no storage file appears, and the app
 * server gets no call (made-up ids with a valid token: one cheap ownership
 * lookup per id, cached, never a session load).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startPartykit, type PartykitDev } from '../../harness/partykit';
import {
  createParty,
  INTERNAL_SECRET,
  RawClient,
  roomUrl,
  startApp,
  TOKEN_SECRET,
  waitFor,
  type AppHandle,
} from '../partykit/support';

/** Forwards to the app server and records every request line the rooms make. */
interface Recorder {
  readonly url: string;
  readonly calls: string[];
  close(): Promise<void>;
}

function recordingProxy(target: string): Promise<Recorder> {
  const calls: string[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        calls,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

/** Every file under the rooms' Durable Object storage. */
function storageFiles(pk: PartykitDev): string[] {
  const root = join(pk.persistDir, 'party');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk(root);
  return out;
}

const madeUp = () => randomBytes(10).toString('hex');

let app: AppHandle;
let proxy: Recorder;
let pk: PartykitDev;

beforeAll(async () => {
  app = await startApp();
  proxy = await recordingProxy(app.url);
  pk = await startPartykit({ vars: { TOKEN_SECRET, INTERNAL_SECRET, APP_URL: proxy.url } });
});

afterAll(async () => {
  await pk?.stop();
  await proxy?.close();
  await app?.close();
});

beforeEach(() => {
  proxy.calls.length = 0;
});

it('refuses unauthenticated connections and plain HTTP to any id without creating a room or calling the app server', async () => {
  for (let i = 0; i < 10; i++) {
    for (const party of ['game_session', 'party'] as const) {
      const ws = await RawClient.open(roomUrl(pk, party, madeUp()));
      expect(ws).toMatchObject({ refused: 401 });
      const forged = await RawClient.open(roomUrl(pk, party, madeUp(), 'not-a-token'));
      expect(forged).toMatchObject({ refused: 401 });
      for (const method of ['GET', 'POST'])
        expect((await fetch(`${pk.httpUrl}/parties/${party}/${madeUp()}`, { method })).status).toBe(401);
    }
    expect((await fetch(`${pk.httpUrl}/parties/main/${madeUp()}`)).status).toBe(404);
  }
  expect(storageFiles(pk)).toEqual([]);
  expect(proxy.calls).toEqual([]);
});

it('refuses made-up game-session ids with a valid token in the worker: no storage, no session load, one cached lookup per id', async () => {
  const party = await createParty(app, 'Gate');
  proxy.calls.length = 0;
  const ids = Array.from({ length: 20 }, madeUp);
  for (const id of ids)
    for (let attempt = 0; attempt < 3; attempt++) {
      const client = await RawClient.connect(roomUrl(pk, 'game_session', id, party.gm));
      const closed = await client.whenClosed();
      expect(closed).toEqual({ code: 4404, reason: 'no such game session' });
      expect(client.allBytes().length).toBe(0);
    }
  expect(storageFiles(pk)).toEqual([]);
  // Never the session load (`/internal/sessions/<id>`), only the ownership lookup, once per id.
  expect(proxy.calls.filter((c) => !/\/party$/.test(c))).toEqual([]);
  expect(proxy.calls.sort()).toEqual(ids.map((id) => `GET /internal/sessions/${id}/party`).sort());
});

it("refuses another party's token for a real session without creating its room, and still serves its own party", async () => {
  const mine = await createParty(app, 'Mine');
  const other = await createParty(app, 'Other');
  const intruder = await RawClient.connect(roomUrl(pk, 'game_session', mine.gameSessionId, other.gm));
  expect(await intruder.whenClosed()).toEqual({
    code: 4403,
    reason: 'token refused: it is for another party',
  });
  expect(storageFiles(pk)).toEqual([]);
  expect(proxy.calls.some((c) => c === `GET /internal/sessions/${mine.gameSessionId}`)).toBe(false);

  const gm = await RawClient.connect(roomUrl(pk, 'game_session', mine.gameSessionId, mine.gm));
  await waitFor('the GM to sync', () => gm.synced);
  expect(proxy.calls).toContain(`GET /internal/sessions/${mine.gameSessionId}`);
  await waitFor('the room to store its state', () => storageFiles(pk).length > 0);
  gm.ws.close();
});
