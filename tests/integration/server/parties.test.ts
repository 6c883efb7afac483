import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { signToken, verifyToken } from '../../../engine/auth';
import { registry } from '../../../engine/generated/schemas';
import { collectionTables } from '../../../engine/generated/tables';
import { allPartyLinks } from '../../../server/links';
import { createParty, snapshot, startTestServer, TOKEN_SECRET, type TestServer } from './harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('GET /api/health', () => {
  it('answers ok with a working database', async () => {
    const res = await server.api('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, database: 'ok' });
  });
});

describe('POST /api/parties', () => {
  it('creates a party with one game session, one empty scene, tokens and links', async () => {
    const before = await server.counts();
    const created = await createParty(server, '  Friday group  ');
    expect(created.party.name).toBe('Friday group');
    expect(created.gameSession.partyId).toBe(created.party.id);
    expect(created.scenes).toHaveLength(1);
    expect(created.party.activeGameSessionId).toBe(created.gameSession.id);
    expect(created.party.activeSceneId).toBe(created.scenes[0]!.id);
    const gm = await verifyToken(TOKEN_SECRET, created.tokens.gm);
    const player = await verifyToken(TOKEN_SECRET, created.tokens.player);
    expect(gm).toMatchObject({ ok: true, claims: { role: 'gm', partyId: created.party.id } });
    expect(player).toMatchObject({ ok: true, claims: { role: 'player', partyId: created.party.id } });
    expect(created.links.gm).toBe(
      `/gm/${created.party.id}/${created.gameSession.id}/${created.scenes[0]!.id}?token=${encodeURIComponent(created.tokens.gm)}`,
    );
    expect(created.links.player).toBe(
      `/play/${created.party.id}?token=${encodeURIComponent(created.tokens.player)}`,
    );
    const after = await server.counts();
    expect(after.party).toBe(before.party! + 1);
    expect(after.gameSession).toBe(before.gameSession! + 1);
    expect(after.scene).toBe(before.scene! + 1);
  });

  it.each([
    ['a number name', { name: 5 }, 'name'],
    ['no name', {}, 'name'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a name that is too long', { name: 'x'.repeat(121) }, 'name'],
    ['an unknown field', { name: 'ok', colour: 'red' }, 'colour'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_what, body, field) => {
    const before = await snapshot(server);
    const res = await server.api('POST', '/api/parties', { body });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(typeof res.body.error).toBe('string');
    expect(await snapshot(server)).toBe(before);
  });

  it('refuses a body that is not a JSON object', async () => {
    const before = await snapshot(server);
    for (const body of ['{not json', '[1,2]', '"text"']) {
      const res = await server.api('POST', '/api/parties', { body });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/JSON/);
    }
    expect(await snapshot(server)).toBe(before);
  });

  it('refuses a JSON body over the size limit with 413', async () => {
    const before = await snapshot(server);
    const res = await server.api('POST', '/api/parties', { body: { name: 'x'.repeat(2 * 1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(await snapshot(server)).toBe(before);
  });
});

describe('reading, renaming and deleting a party', () => {
  it('lets the GM and players of the party read it, with their role', async () => {
    const p = await createParty(server);
    const gm = await server.api('GET', `/api/parties/${p.party.id}`, { token: p.tokens.gm });
    expect(gm.status).toBe(200);
    expect(gm.body.role).toBe('gm');
    expect(gm.body.gameSessions.map((s: { id: string }) => s.id)).toEqual([p.gameSession.id]);
    const player = await server.api(
      'GET',
      `/api/parties/${p.party.id}?token=${encodeURIComponent(p.tokens.player)}`,
    );
    expect(player.status).toBe(200);
    expect(player.body.role).toBe('player');
  });

  it('answers 401 without a token or with a bad one, 403 for another party, 404 for an unknown party', async () => {
    const p = await createParty(server);
    const other = await createParty(server, 'Other');
    expect((await server.api('GET', `/api/parties/${p.party.id}`)).status).toBe(401);
    expect((await server.api('GET', `/api/parties/${p.party.id}`, { token: 'garbage' })).status).toBe(401);
    const forged = await signToken('a-different-secret-0123456789', { role: 'gm', partyId: p.party.id });
    expect((await server.api('GET', `/api/parties/${p.party.id}`, { token: forged })).status).toBe(401);
    const expired = await new SignJWT({ role: 'gm', partyId: p.party.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('tablestage')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(TOKEN_SECRET));
    const res = await server.api('GET', `/api/parties/${p.party.id}`, { token: expired });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/expired/);
    expect((await server.api('GET', `/api/parties/${p.party.id}`, { token: other.tokens.gm })).status).toBe(
      403,
    );
    expect((await server.api('GET', '/api/parties/nope123', { token: p.tokens.gm })).status).toBe(404);
  });

  it('lists the parties the presented tokens open', async () => {
    const a = await createParty(server, 'A');
    const b = await createParty(server, 'B');
    const res = await server.api('POST', '/api/parties/lookup', {
      body: { tokens: [a.tokens.gm, b.tokens.player] },
    });
    expect(res.status).toBe(200);
    expect(
      res.body.parties.map((x: { party: { name: string }; role: string }) => [x.party.name, x.role]),
    ).toEqual([
      ['A', 'gm'],
      ['B', 'player'],
    ]);
    expect((await server.api('GET', '/api/parties')).status).toBe(401);
    expect(
      (await server.api('POST', '/api/parties/lookup', { body: { tokens: ['bad.token.x'] } })).status,
    ).toBe(401);
    expect((await server.api('POST', '/api/parties/lookup', { body: { tokens: [] } })).body.field).toBe(
      'tokens',
    );
    expect(
      (await server.api('POST', '/api/parties/lookup', { body: { tokens: [a.tokens.gm, 7] } })).body.field,
    ).toBe('tokens[1]');
    // A Bearer header names one party; tokens are not taken from the URL.
    const one = await server.api('GET', '/api/parties', { token: a.tokens.gm });
    expect(one.body.parties.map((x: { party: { name: string } }) => x.party.name)).toEqual(['A']);
    expect((await server.api('GET', `/api/parties?token=${encodeURIComponent(a.tokens.gm)}`)).status).toBe(
      401,
    );
  });

  it('renames for a GM only; bad names change nothing', async () => {
    const p = await createParty(server);
    const path = `/api/parties/${p.party.id}`;
    expect((await server.api('PATCH', path, { token: p.tokens.player, body: { name: 'Nope' } })).status).toBe(
      403,
    );
    const before = await snapshot(server);
    const bad = await server.api('PATCH', path, { token: p.tokens.gm, body: { name: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('name');
    expect(await snapshot(server)).toBe(before);
    const ok = await server.api('PATCH', path, { token: p.tokens.gm, body: { name: 'Renamed' } });
    expect(ok.status).toBe(200);
    expect(ok.body.party.name).toBe('Renamed');
  });

  it('deletes for a GM only, with its sessions, scenes and members', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const save = await server.internal('PUT', `/internal/scenes/${sceneId}`, {
      gameSessionId: p.gameSession.id,
      savedAt: Date.now(),
      collections: Object.fromEntries(registry.collections.map((c) => [c.key, [{ id: `member-${c.key}` }]])),
    });
    expect(save.status).toBe(200);
    expect(
      (await server.api('DELETE', `/api/parties/${p.party.id}`, { token: p.tokens.player })).status,
    ).toBe(403);
    const before = await server.counts();
    expect((await server.api('DELETE', `/api/parties/${p.party.id}`, { token: p.tokens.gm })).status).toBe(
      204,
    );
    const after = await server.counts();
    expect(after.party).toBe(before.party! - 1);
    expect(after.gameSession).toBe(before.gameSession! - 1);
    expect(after.scene).toBe(before.scene! - 1);
    for (const key of Object.keys(collectionTables)) expect(after[key]).toBe(before[key]! - 1);
    expect((await server.api('GET', `/api/parties/${p.party.id}`, { token: p.tokens.gm })).status).toBe(404);
  });

  it('gives the GM fresh links', async () => {
    const p = await createParty(server);
    expect(
      (await server.api('GET', `/api/parties/${p.party.id}/links`, { token: p.tokens.player })).status,
    ).toBe(403);
    const res = await server.api('GET', `/api/parties/${p.party.id}/links`, { token: p.tokens.gm });
    expect(res.status).toBe(200);
    expect(res.body.links.gm).toMatch(
      new RegExp(`^/gm/${p.party.id}/${p.gameSession.id}/${p.scenes[0]!.id}\\?token=`),
    );
    expect(await verifyToken(TOKEN_SECRET, res.body.tokens.player)).toMatchObject({
      ok: true,
      claims: { role: 'player' },
    });
  });

  it('lists current links of every party, oldest first, for npm start', async () => {
    const a = await createParty(server);
    const b = await createParty(server);
    await server.api('POST', `/api/parties/${b.party.id}/links/rotate`, {
      token: b.tokens.gm,
      body: { role: 'gm' },
    });
    const all = await allPartyLinks(server.database.db, TOKEN_SECRET);
    const ids = all.map((l) => l.party.id);
    expect(ids.indexOf(a.party.id)).toBeLessThan(ids.indexOf(b.party.id));
    const links = all.find((l) => l.party.id === b.party.id)!;
    // The printed GM link is the current one, which the API accepts; the replaced one it refuses.
    expect((await server.api('GET', `/api/parties/${b.party.id}`, { token: links.tokens.gm })).status).toBe(
      200,
    );
    expect((await server.api('GET', `/api/parties/${b.party.id}`, { token: b.tokens.gm })).status).toBe(401);
  });
});
