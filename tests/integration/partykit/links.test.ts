/**
 * Revocable, long-lived links against the real app server and `partykit
 * dev`: a GM replaces the player link and then the GM link; the old links
 * are refused by the API and by both rooms, their open sockets close with
 * 4410, the new links work, and links carry no expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartykitDev } from '../../harness/partykit';
import {
  RawClient,
  createParty,
  roomUrl,
  startApp,
  startRooms,
  type AppHandle,
  type TestParty,
} from './support';

/** partykit/core/syncRoom.ts `CLOSE.linkReplaced`, as documented in the README. */
const LINK_REPLACED = 4410;

let app: AppHandle;
let pk: PartykitDev;
let party: TestParty;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  app = await startApp();
  pk = await startRooms(app);
  await app.useRooms(pk.httpUrl);
  party = await createParty(app, 'Links party');
});

afterAll(async () => {
  for (const c of cleanups) c();
  await pk?.stop();
  await app?.close();
});

async function open(room: 'game_session' | 'party', token: string): Promise<RawClient> {
  const id = room === 'party' ? party.partyId : party.gameSessionId;
  const c = await RawClient.connect(roomUrl(pk, room, id, token));
  cleanups.push(() => c.close());
  return c;
}

async function synced(room: 'game_session' | 'party', token: string): Promise<RawClient> {
  const c = await open(room, token);
  await c.whenSynced();
  return c;
}

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(app.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, asserted field by field
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

const payload = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('revocable links', () => {
  it('links carry a version and no expiry', () => {
    expect(payload(party.gm)).not.toHaveProperty('exp');
    expect(payload(party.player)).not.toHaveProperty('exp');
    expect(payload(party.gm).v).toBe(1);
  });

  it('a new player link refuses the old one at the API and in both rooms, closing its open sockets', async () => {
    const gm = await synced('game_session', party.gm);
    const oldSession = await synced('game_session', party.player);
    const oldParty = await synced('party', party.player);
    // Tickets the old link got just before it was replaced (they live a minute).
    const early = {
      game_session: await roomUrl(pk, 'game_session', party.gameSessionId, party.player),
      party: await roomUrl(pk, 'party', party.partyId, party.player),
    };

    expect(
      (await api('POST', `/api/parties/${party.partyId}/links/rotate`, party.player, { role: 'player' }))
        .status,
    ).toBe(403);
    const rotated = await api('POST', `/api/parties/${party.partyId}/links/rotate`, party.gm, {
      role: 'player',
    });
    expect(rotated.status).toBe(200);
    const player = rotated.body.tokens.player as string;
    expect(payload(player).v).toBe(2);
    expect(rotated.body.links.player).toContain(encodeURIComponent(player));

    for (const c of [oldSession, oldParty]) {
      const closed = await c.whenClosed();
      expect(closed.code).toBe(LINK_REPLACED);
      expect(closed.reason).toMatch(/replaced/);
    }
    expect(gm.closed).toBeUndefined();

    const refused = await api('GET', `/api/parties/${party.partyId}`, party.player);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatch(/replaced/);
    for (const room of ['game_session', 'party'] as const) {
      // The old link gets no new ticket, and the rooms refuse the ones it already had.
      expect(
        await RawClient.open(
          roomUrl(pk, room, room === 'party' ? party.partyId : party.gameSessionId, party.player),
        ),
      ).toMatchObject({ refused: 410, ticket: true });
      expect((await (await RawClient.connect(early[room])).whenClosed()).code).toBe(LINK_REPLACED);
    }

    expect((await api('GET', `/api/parties/${party.partyId}`, player)).status).toBe(200);
    await synced('game_session', player);
    await synced('party', player);
    // The GM's own link was not touched.
    expect(
      (await api('GET', `/api/parties/${party.partyId}/links`, party.gm)).body.tokens.player,
    ).toBeDefined();
  });

  it('a new GM link replaces the GM link the GM used to ask for it; the new one works everywhere', async () => {
    const oldGm = await synced('game_session', party.gm);
    const early = await roomUrl(pk, 'game_session', party.gameSessionId, party.gm);
    const rotated = await api('POST', `/api/parties/${party.partyId}/links/rotate`, party.gm, { role: 'gm' });
    expect(rotated.status).toBe(200);
    const gm = rotated.body.tokens.gm as string;
    expect((await oldGm.whenClosed()).code).toBe(LINK_REPLACED);
    expect((await api('GET', `/api/parties/${party.partyId}/links`, party.gm)).status).toBe(401);
    expect(await RawClient.open(roomUrl(pk, 'game_session', party.gameSessionId, party.gm))).toMatchObject({
      refused: 410,
      ticket: true,
    });
    expect((await (await RawClient.connect(early)).whenClosed()).code).toBe(LINK_REPLACED);
    expect((await api('GET', `/api/parties/${party.partyId}/links`, gm)).status).toBe(200);
    await synced('game_session', gm);
    // The party list skips the replaced link instead of failing the whole request.
    const list = await fetch(`${app.url}/api/parties/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tokens: [party.gm, gm] }),
    });
    expect(((await list.json()) as { parties: unknown[] }).parties).toHaveLength(1);
  });
});
