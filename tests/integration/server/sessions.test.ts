import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../engine/generated/schemas';
import { encodeTile, FOG_TILE } from '../../../plugins/fogOfWar/mask';
import { createParty, INTERNAL_SECRET, snapshot, startTestServer, type TestServer } from './harness';

/**
 * Stands in for PartyKit's room-control endpoint (the PartyKit server is
 * another helper's; here we check the request the app server sends).
 */
interface RoomRequest {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: { action: string; sceneIds: string[] };
}
let rooms: Server;
const received: RoomRequest[] = [];
let waiters: { match: (r: RoomRequest) => boolean; resolve: (r: RoomRequest) => void }[] = [];
/** The first room request (already received or still to come) that `match` accepts. */
const roomRequest = (match: (r: RoomRequest) => boolean) =>
  new Promise<RoomRequest>((resolve) => {
    const seen = received.find(match);
    if (seen) resolve(seen);
    else waiters.push({ match, resolve });
  });

let server: TestServer;
beforeAll(async () => {
  rooms = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const r = { url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(data) };
      received.push(r);
      for (const w of waiters.filter((x) => x.match(r))) w.resolve(r);
      waiters = waiters.filter((x) => !x.match(r));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => rooms.listen(0, '127.0.0.1', r));
  const port = (rooms.address() as AddressInfo).port;
  server = await startTestServer({ partykitUrl: `http://127.0.0.1:${port}` });
});
afterAll(async () => {
  await server.close();
  await new Promise((r) => rooms.close(r));
});

describe('game sessions', () => {
  it('lists, creates (with one scene), renames and deletes sessions', async () => {
    const p = await createParty(server);
    const base = `/api/parties/${p.party.id}/sessions`;
    const created = await server.api('POST', base, { token: p.tokens.gm, body: { name: 'Session 2' } });
    expect(created.status).toBe(201);
    expect(created.body.scenes).toHaveLength(1);
    const id = created.body.gameSession.id as string;
    const list = await server.api('GET', base, { token: p.tokens.player });
    expect(list.body.gameSessions.map((s: { name: string }) => s.name)).toEqual(['Session 1', 'Session 2']);

    const renamed = await server.api('PATCH', `/api/sessions/${id}`, {
      token: p.tokens.gm,
      body: { name: 'Finale' },
    });
    expect(renamed.body.gameSession.name).toBe('Finale');
    const one = await server.api('GET', `/api/sessions/${id}`, { token: p.tokens.gm });
    expect(one.body).toMatchObject({ gameSession: { name: 'Finale' }, scenes: [{ name: 'Scene 1' }] });
    // Players learn of shown scenes only, and no scene of this new session is shown.
    const asPlayer = await server.api('GET', `/api/sessions/${id}`, { token: p.tokens.player });
    expect(asPlayer.body).toMatchObject({ gameSession: { name: 'Finale' }, scenes: [] });

    expect((await server.api('DELETE', `/api/sessions/${id}`, { token: p.tokens.player })).status).toBe(403);
    expect((await server.api('DELETE', `/api/sessions/${id}`, { token: p.tokens.gm })).status).toBe(204);
    expect((await server.api('GET', `/api/sessions/${id}`, { token: p.tokens.gm })).status).toBe(404);
  });

  it('refuses bad input and strangers without writing', async () => {
    const p = await createParty(server);
    const other = await createParty(server);
    const before = await snapshot(server);
    const base = `/api/parties/${p.party.id}/sessions`;
    expect((await server.api('POST', base, { body: { name: 'x' } })).status).toBe(401);
    expect((await server.api('POST', base, { token: p.tokens.player, body: { name: 'x' } })).status).toBe(
      403,
    );
    expect((await server.api('POST', base, { token: other.tokens.gm, body: { name: 'x' } })).status).toBe(
      403,
    );
    const bad = await server.api('POST', base, { token: p.tokens.gm, body: { name: ['x'] } });
    expect(bad).toMatchObject({ status: 400, body: { field: 'name' } });
    expect(
      (
        await server.api('POST', '/api/parties/unknown1/sessions', {
          token: p.tokens.gm,
          body: { name: 'x' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await server.api('PATCH', '/api/sessions/unknown1', { token: p.tokens.gm, body: { name: 'x' } }))
        .status,
    ).toBe(404);
    expect(await snapshot(server)).toBe(before);
  });
});

describe('scenes', () => {
  it('creates, renames, duplicates (with members and blobs), reorders and deletes scenes', async () => {
    const p = await createParty(server);
    const sid = p.gameSession.id;
    const first = p.scenes[0]!.id;
    const gm = p.tokens.gm;

    const created = await server.api('POST', `/api/sessions/${sid}/scenes`, {
      token: gm,
      body: { name: 'Cave' },
    });
    expect(created.status).toBe(201);
    expect(created.body.scene).toMatchObject({ name: 'Cave', sortOrder: 1 });
    const cave = created.body.scene.id as string;

    // Give the first scene members and a blob (a valid fog tile: the channel checks content), then copy it.
    const tile = Buffer.from(encodeTile(new Uint8Array(FOG_TILE * FOG_TILE).fill(1))).toString('base64');
    const members = Object.fromEntries(
      registry.collections.map((c) => [c.key, [{ id: `a-${c.key}` }, { id: `b-${c.key}` }]]),
    );
    const save = await server.internal('PUT', `/internal/scenes/${first}`, {
      gameSessionId: sid,
      savedAt: Date.now(),
      collections: members,
      blobs: { 'fog/0_0': tile },
    });
    expect(save.status).toBe(200);
    const dup = await server.api('POST', `/api/scenes/${first}/duplicate`, { token: gm, body: {} });
    expect(dup.status).toBe(201);
    expect(dup.body.scene).toMatchObject({ name: 'Scene 1 (copy)', sortOrder: 1 });
    const copy = dup.body.scene.id as string;
    const list = await server.api('GET', `/api/sessions/${sid}/scenes`, { token: gm });
    expect(list.body.scenes.map((s: { id: string }) => s.id)).toEqual([first, copy, cave]);
    const session = await server.internal('GET', `/internal/sessions/${sid}`);
    const copied = session.body.scenes.find((s: { id: string }) => s.id === copy);
    for (const c of registry.collections) {
      const ids = Object.keys(copied.props[c.key]);
      expect(ids).toHaveLength(2);
      // Members get new ids: ids are global keys, the original keeps its own.
      expect(ids).not.toContain(`a-${c.key}`);
    }
    expect(copied.blobs).toEqual({ 'fog/0_0': tile });

    const renamed = await server.api('PATCH', `/api/scenes/${cave}`, {
      token: gm,
      body: { name: 'Deep cave' },
    });
    expect(renamed.body.scene.name).toBe('Deep cave');

    const order = await server.api('PUT', `/api/sessions/${sid}/scenes/order`, {
      token: gm,
      body: { sceneIds: [cave, first, copy] },
    });
    expect(order.status).toBe(200);
    expect(order.body.scenes.map((s: { id: string }) => s.id)).toEqual([cave, first, copy]);

    expect((await server.api('DELETE', `/api/scenes/${copy}`, { token: p.tokens.player })).status).toBe(403);
    expect((await server.api('DELETE', `/api/scenes/${copy}`, { token: gm })).status).toBe(204);
    const ts = await server.api('GET', `/api/sessions/${sid}/timestamps`, { token: gm });
    expect(Object.keys(ts.body).sort()).toEqual([cave, first].sort());
    expect((await server.api('DELETE', `/api/scenes/${copy}`, { token: gm })).status).toBe(404);
  });

  it('refuses bad reorders and names without writing', async () => {
    const p = await createParty(server);
    const other = await createParty(server);
    const sid = p.gameSession.id;
    const gm = p.tokens.gm;
    const a = p.scenes[0]!.id;
    const b = (await server.api('POST', `/api/sessions/${sid}/scenes`, { token: gm, body: { name: 'B' } }))
      .body.scene.id;
    const before = await snapshot(server);
    const order = (sceneIds: unknown) =>
      server.api('PUT', `/api/sessions/${sid}/scenes/order`, { token: gm, body: { sceneIds } });
    for (const bad of ['nope', [a], [a, a], [a, b, other.scenes[0]!.id], [a, 7], [b, '../x']]) {
      const res = await order(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.field).toMatch(/^sceneIds/);
    }
    expect((await server.api('PATCH', `/api/scenes/${a}`, { token: gm, body: { name: '' } })).status).toBe(
      400,
    );
    expect(
      (await server.api('PATCH', `/api/scenes/${a}`, { token: gm, body: { name: 'x', sortOrder: 2 } }))
        .status,
    ).toBe(400);
    expect(
      (await server.api('PATCH', `/api/scenes/${a}`, { token: other.tokens.gm, body: { name: 'x' } })).status,
    ).toBe(403);
    expect(
      (await server.api('PATCH', '/api/scenes/unknown1', { token: gm, body: { name: 'x' } })).status,
    ).toBe(404);
    expect(
      (await server.api('POST', `/api/scenes/${a}/duplicate`, { token: p.tokens.player, body: {} })).status,
    ).toBe(403);
    expect(
      (await server.api('POST', `/api/sessions/${sid}/scenes`, { token: gm, body: { name: 3 } })).status,
    ).toBe(400);
    expect(await snapshot(server)).toBe(before);
  });
});

describe('load and timestamps', () => {
  it('loads the active scene by default, or the one asked for, with built props and the PartyKit host', async () => {
    const p = await createParty(server);
    const sid = p.gameSession.id;
    const second = (
      await server.api('POST', `/api/sessions/${sid}/scenes`, { token: p.tokens.gm, body: { name: 'Two' } })
    ).body.scene.id;
    const def = await server.api('GET', `/api/sessions/${sid}/load`, { token: p.tokens.gm });
    expect(def.status).toBe(200);
    expect(def.body.sceneId).toBe(p.scenes[0]!.id);
    expect(def.body.role).toBe('gm');
    expect(def.body.partykitHost).toBe('127.0.0.1:1999');
    expect(def.body.scenes.map((s: { name: string }) => s.name)).toEqual(['Scene 1', 'Two']);
    for (const plugin of registry.plugins) expect(def.body.props).toHaveProperty([plugin.key]);
    const picked = await server.api('GET', `/api/sessions/${sid}/load?scene=${second}`, {
      token: p.tokens.gm,
    });
    expect(picked.body).toMatchObject({ sceneId: second, role: 'gm', scene: { name: 'Two' } });
    // A player asking for a scene the GM is not showing learns nothing of it, not even that it exists.
    const hidden = await server.api('GET', `/api/sessions/${sid}/load?scene=${second}`, {
      token: p.tokens.player,
    });
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain('Two');
    const shown = await server.api('GET', `/api/sessions/${sid}/load`, { token: p.tokens.player });
    expect(shown.body).toMatchObject({
      sceneId: p.scenes[0]!.id,
      role: 'player',
      scenes: [{ name: 'Scene 1' }],
    });
  });

  it('answers 404 for unknown sessions and scenes, 400 for a scene of another session, 401/403 for tokens', async () => {
    const p = await createParty(server);
    const other = await createParty(server);
    const sid = p.gameSession.id;
    expect((await server.api('GET', '/api/sessions/unknown1/load', { token: p.tokens.gm })).status).toBe(404);
    expect(
      (await server.api('GET', `/api/sessions/${sid}/load?scene=unknown1`, { token: p.tokens.gm })).status,
    ).toBe(404);
    const foreign = await server.api('GET', `/api/sessions/${sid}/load?scene=${other.scenes[0]!.id}`, {
      token: p.tokens.gm,
    });
    expect(foreign).toMatchObject({ status: 400, body: { field: 'scene' } });
    expect((await server.api('GET', `/api/sessions/${sid}/load`)).status).toBe(401);
    expect(
      (await server.api('GET', `/api/sessions/${sid}/load`, { token: other.tokens.player })).status,
    ).toBe(403);
    expect(
      (await server.api('GET', `/api/sessions/${sid}/timestamps`, { token: other.tokens.gm })).status,
    ).toBe(403);
  });

  it("reports each scene's last database save", async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const savedAt = Date.now() + 1000;
    await server.internal('PUT', `/internal/scenes/${sceneId}`, { gameSessionId: p.gameSession.id, savedAt });
    const ts = await server.api('GET', `/api/sessions/${p.gameSession.id}/timestamps`, {
      token: p.tokens.gm,
    });
    expect(ts.body).toEqual({ [sceneId]: savedAt });
  });
});

describe('room notifications', () => {
  it('tells the live room to reload a scene created through the API', async () => {
    const p = await createParty(server);
    const created = await server.api('POST', `/api/sessions/${p.gameSession.id}/scenes`, {
      token: p.tokens.gm,
      body: { name: 'New' },
    });
    // Player loads also ask the room (what a backstage hold publishes): look at reloads only.
    const r = await roomRequest(
      (x) => x.body.action === 'reload' && x.body.sceneIds.includes(created.body.scene.id),
    );
    expect(r.url).toBe(`/parties/game_session/${p.gameSession.id}`);
    expect(r.authorization).toBe(`Bearer ${INTERNAL_SECRET}`);
    expect(r.body).toEqual({ action: 'reload', sceneIds: [created.body.scene.id] });
  });

  it('forwards "reload from database" for a GM, and refuses players', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    expect(
      (await server.api('POST', `/api/scenes/${sceneId}/reload`, { token: p.tokens.player })).status,
    ).toBe(403);
    const res = await server.api('POST', `/api/scenes/${sceneId}/reload`, { token: p.tokens.gm });
    expect(res.status).toBe(200);
    // The reload endpoint waits for the room, so its request has arrived by now.
    expect(
      received
        .filter((x) => x.body.action === 'reload' && x.body.sceneIds.includes(sceneId))
        .map((x) => x.body),
    ).toEqual([{ action: 'reload', sceneIds: [sceneId] }]);
    expect((await server.api('POST', '/api/scenes/unknown1/reload', { token: p.tokens.gm })).status).toBe(
      404,
    );
  });

  it('answers 502 when the room server cannot be reached', async () => {
    const offline = await startTestServer({ partykitUrl: 'http://127.0.0.1:9' });
    try {
      const p = await createParty(offline);
      const res = await offline.api('POST', `/api/scenes/${p.scenes[0]!.id}/reload`, { token: p.tokens.gm });
      expect(res.status).toBe(502);
      expect(res.body.error).toMatch(/could not be reached/);
    } finally {
      await offline.close();
    }
  });
});
