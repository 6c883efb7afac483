/**
 * Issue 12, finding 8 (tokens in WebSocket URLs): link tokens never travel in
 * a URL. The editor's connections (PartyDataManager, through a recording proxy
 * in front of the real rooms) fetch a one-use room ticket from the real app
 * server with the token in a header, first and on every reconnect, and the
 * URL carries only that. The rooms take a ticket once, for its own room,
 * within its minute; a link token in its place opens nothing, a ticket is no
 * link token at the API; and no token shows in a close reason or the rooms' log.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PartyDataManager, ticketsFromApp } from '../../../engine/sync';
import type { PartykitDev } from '../../harness/partykit';
import {
  createParty,
  RawClient,
  roomUrl,
  startApp,
  startRooms,
  TOKEN_SECRET,
  waitFor,
  type AppHandle,
  type TestParty,
} from '../partykit/support';

/** A TCP proxy to the rooms that keeps every request head a client sends and can cut every connection. */
interface Tap {
  readonly host: string;
  readonly heads: string[];
  cutAll(): void;
  close(): Promise<void>;
}

function tap(port: number): Promise<Tap> {
  const heads: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    let head = '';
    client.on('data', (d: Buffer) => {
      if (!head.includes('\r\n\r\n')) {
        head += d.toString('latin1');
        if (head.includes('\r\n\r\n')) heads.push(head.slice(0, head.indexOf('\r\n\r\n')));
      }
    });
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({
        host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
        heads,
        cutAll: () => {
          for (const s of sockets) s.destroy();
        },
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

let app: AppHandle;
let pk: PartykitDev;
let party: TestParty;
const reasons: string[] = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
  party = await createParty(app, 'Tickets');
});

afterAll(async () => {
  await pk?.stop();
  await app?.close();
});

const ticketOf = (url: string) => new URL(url).searchParams.get('ticket')!;

it("the editor's connections carry a fresh one-use ticket in their URL, never the token, reconnects included", async () => {
  const proxy = await tap(pk.port);
  const manager = new PartyDataManager(
    party.partyId,
    'gm-1',
    party.gameSessionId,
    proxy.host,
    ticketsFromApp(app.url, party.gm),
    {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      storage: null,
      maxBackoffTime: 300,
    },
  );
  try {
    await manager.whenSynced();
    proxy.cutAll();
    await waitFor('the reconnect', () => proxy.heads.length >= 4 && manager.isSynced());
    const lines = proxy.heads.map((h) => h.split('\r\n')[0]!);
    for (const head of proxy.heads) {
      expect(head).not.toContain(party.gm);
      expect(head).not.toMatch(/[?&]token=/);
    }
    for (const line of lines) expect(line).toMatch(/^GET \/parties\/(game_session|party)\/[^?]+\?.*ticket=/);
    const tickets = lines.map((l) => new URLSearchParams(l.split(' ')[1]!.split('?')[1]).get('ticket'));
    expect(new Set(tickets).size).toBe(tickets.length);
  } finally {
    manager.destroy();
    await proxy.close();
  }
});

it('a ticket opens its room once; a link token in its place, or a ticket past its minute, opens nothing', async () => {
  const url = await roomUrl(pk, 'game_session', party.gameSessionId, party.gm);
  const first = await RawClient.connect(url);
  await first.whenSynced();
  const again = await RawClient.connect(url);
  const spent = await again.whenClosed();
  expect(spent.code).toBe(4401);
  expect(spent.reason).toMatch(/spent/);
  reasons.push(spent.reason);
  first.close();

  const base = `${pk.wsUrl}/parties/game_session/${party.gameSessionId}`;
  for (const attempt of [
    `${base}?token=${encodeURIComponent(party.gm)}`,
    `${base}?ticket=${encodeURIComponent(party.gm)}`,
  ]) {
    const refused = await RawClient.open(attempt);
    expect(refused).toMatchObject({ refused: 401 });
    reasons.push((refused as { body: string }).body);
  }

  const late = await new SignJWT({ role: 'gm', partyId: party.partyId, v: 1 })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('tablestage:ticket')
    .setAudience(`game_session/${party.gameSessionId}`)
    .setJti('late-ticket')
    .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
    .sign(new TextEncoder().encode(TOKEN_SECRET));
  const expired = await RawClient.open(`${base}?ticket=${late}`);
  expect(expired).toMatchObject({ refused: 401, body: expect.stringMatching(/expired/) });
  reasons.push((expired as { body: string }).body);
});

it('a ticket is no link token at the API, and tickets are asked for with the token in a header only', async () => {
  const ticket = ticketOf(await roomUrl(pk, 'party', party.partyId, party.gm));
  const res = await fetch(`${app.url}/api/parties/${party.partyId}`, {
    headers: { authorization: `Bearer ${ticket}` },
  });
  expect(res.status).toBe(401);
  const inQuery = await fetch(`${app.url}/api/tickets?token=${encodeURIComponent(party.gm)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ party: 'party', room: party.partyId }),
  });
  expect(inQuery.status).toBe(401);
});

it("no token appears in a close reason or in the rooms' log", () => {
  expect(reasons.length).toBeGreaterThan(0);
  for (const text of [...reasons, pk.output()])
    for (const token of [party.gm, party.player]) expect(text).not.toContain(token);
});
