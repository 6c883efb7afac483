/**
 * Issue 12, finding 5: a room — a Durable Object with its storage — exists
 * only for a real game session reached with a valid ticket for it, which the
 * app server signs only for a real session of the token's party.
 * Unauthenticated requests, made-up ids, tickets for another room and plain
 * HTTP without the internal secret are refused in the worker: no storage
 * file appears, and the rooms make no call to the app server.
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
  ticketsFrom,
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
  // The rooms call the app server through the recorder; clients fetch tickets from it directly.
  pk = ticketsFrom(
    await startPartykit({ vars: { TOKEN_SECRET, INTERNAL_SECRET, APP_URL: proxy.url } }),
    app.url,
  );
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

it('refuses made-up game-session ids: no ticket from the app server, and a real ticket opens no other id; no storage, no app-server call', async () => {
  const party = await createParty(app, 'Gate');
  proxy.calls.length = 0;
  const ids = Array.from({ length: 20 }, madeUp);
  for (const id of ids)
    expect(await RawClient.open(roomUrl(pk, 'game_session', id, party.gm))).toMatchObject({
      refused: 404,
      ticket: true,
    });
  // A valid ticket for the party's real session, tried on made-up ids: refused in the worker.
  const real = new URL(await roomUrl(pk, 'game_session', party.gameSessionId, party.gm));
  for (const id of ids) {
    const attempt = await RawClient.open(`${pk.wsUrl}/parties/game_session/${id}${real.search}`);
    expect(attempt).toMatchObject({ refused: 401, body: expect.stringMatching(/another room/) });
  }
  expect(storageFiles(pk)).toEqual([]);
  expect(proxy.calls).toEqual([]);
});

it("refuses another party's token for a real session without creating its room, and still serves its own party", async () => {
  const mine = await createParty(app, 'Mine');
  const other = await createParty(app, 'Other');
  expect(await RawClient.open(roomUrl(pk, 'game_session', mine.gameSessionId, other.gm))).toMatchObject({
    refused: 403,
    ticket: true,
    body: expect.stringMatching(/another party/),
  });
  // The other party's ticket for its own session does not open this one either.
  const theirs = new URL(await roomUrl(pk, 'game_session', other.gameSessionId, other.gm));
  expect(
    await RawClient.open(`${pk.wsUrl}/parties/game_session/${mine.gameSessionId}${theirs.search}`),
  ).toMatchObject({ refused: 401 });
  expect(storageFiles(pk)).toEqual([]);
  expect(proxy.calls).toEqual([]);

  const gm = await RawClient.connect(roomUrl(pk, 'game_session', mine.gameSessionId, mine.gm));
  await waitFor('the GM to sync', () => gm.synced);
  expect(proxy.calls).toContain(`GET /internal/sessions/${mine.gameSessionId}`);
  await waitFor('the room to store its state', () => storageFiles(pk).length > 0);
  gm.ws.close();
});
