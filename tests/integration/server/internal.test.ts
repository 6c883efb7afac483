import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../engine/generated/schemas';
import { encodeTile, FOG_TILE } from '../../../plugins/fogOfWar/mask';
import { createParty, snapshot, startTestServer, type TestServer } from './harness';
import { badColumnValues, memberColumns, otherColumnValue, sceneColumns } from './values';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const put = (sceneId: string, body: unknown) => server.internal('PUT', `/internal/scenes/${sceneId}`, body);
const sessionScenes = async (id: string) =>
  (await server.internal('GET', `/internal/sessions/${id}`)).body.scenes as {
    id: string;
    name: string;
    sortOrder: number;
    lastUpdated: number;
    props: Record<string, Record<string, unknown>>;
    blobs: Record<string, string>;
  }[];

/** Fog tiles are the built-in binary channel: valid tiles (base64) to store, and the channel's limits. */
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const tile = (value: 0 | 1) => b64(encodeTile(new Uint8Array(FOG_TILE * FOG_TILE).fill(value)));
const [TILE_A, TILE_B] = [tile(0), tile(1)];
const fog = registry.channelOf('fog/0_0')!;

describe('internal API authentication', () => {
  it('refuses requests without the internal secret', async () => {
    const p = await createParty(server);
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${p.tokens.gm}` },
    ];
    for (const headers of attempts) {
      const res = await server.api('GET', `/internal/sessions/${p.gameSession.id}`, { headers });
      expect(res.status).toBe(401);
    }
    const before = await snapshot(server);
    const res = await server.api('PUT', `/internal/scenes/${p.scenes[0]!.id}`, {
      headers: { authorization: 'Bearer wrong' },
      body: { gameSessionId: p.gameSession.id, savedAt: Date.now(), name: 'Hacked' },
    });
    expect(res.status).toBe(401);
    expect(await snapshot(server)).toBe(before);
  });
});

describe('GET /internal/sessions/:id', () => {
  it('returns every scene in order with GM-view props and base64 blobs', async () => {
    const p = await createParty(server);
    const res = await server.internal('GET', `/internal/sessions/${p.gameSession.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ gameSessionId: p.gameSession.id, partyId: p.party.id });
    expect(res.body.scenes).toHaveLength(1);
    expect(res.body.scenes[0]).toMatchObject({
      id: p.scenes[0]!.id,
      name: 'Scene 1',
      sortOrder: 0,
      blobs: {},
    });
    for (const plugin of registry.plugins) expect(res.body.scenes[0].props).toHaveProperty([plugin.key]);
    expect((await server.internal('GET', '/internal/sessions/unknown1')).status).toBe(404);
  });
});

describe('PUT /internal/scenes/:sceneId', () => {
  it('writes only the columns sent, replaces collections, sets and deletes blobs, in one save', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const [a, b] = sceneColumns;
    const first = await put(sceneId, {
      gameSessionId: p.gameSession.id,
      savedAt: Date.now(),
      scene: { [a!.column.field]: otherColumnValue(a!) },
      blobs: { 'fog/0_0': TILE_A, 'fog/1_0': TILE_B },
      collections: Object.fromEntries(registry.collections.map((c) => [c.key, [{ id: 'm1' }, { id: 'm2' }]])),
    });
    expect(first.status).toBe(200);
    const savedAt = Date.now() + 1;
    const second = await put(sceneId, {
      gameSessionId: p.gameSession.id,
      savedAt,
      scene: { [b!.column.field]: otherColumnValue(b!) },
      blobs: { 'fog/0_0': null },
      collections: Object.fromEntries(registry.collections.map((c) => [c.key, [{ id: 'm2' }, { id: 'm3' }]])),
    });
    expect(second.body).toEqual({ lastUpdated: savedAt });
    const [scene] = await sessionScenes(p.gameSession.id);
    expect(scene!.lastUpdated).toBe(savedAt);
    const value = (pc: (typeof sceneColumns)[number]) => {
      const v = scene!.props[pc.prop.plugin.key]![pc.prop.key];
      return pc.column.part ? (v as Record<string, unknown>)[pc.column.part] : v;
    };
    // The first save's column survived the second, partial save.
    expect(value(a!)).toEqual(otherColumnValue(a!));
    expect(value(b!)).toEqual(otherColumnValue(b!));
    expect(scene!.blobs).toEqual({ 'fog/1_0': TILE_B });
    for (const c of registry.collections)
      expect(Object.keys(scene!.props[c.key]!).sort()).toEqual(['m2', 'm3']);
  });

  it('creates a scene the database has not seen yet in that game session', async () => {
    const p = await createParty(server);
    const res = await put('roomMadeScene1', {
      gameSessionId: p.gameSession.id,
      savedAt: Date.now(),
      name: 'From the room',
    });
    expect(res.status).toBe(200);
    const scenes = await sessionScenes(p.gameSession.id);
    expect(scenes.map((s) => [s.id, s.name, s.sortOrder])).toEqual([
      [p.scenes[0]!.id, 'Scene 1', 0],
      ['roomMadeScene1', 'From the room', 1],
    ]);
  });

  it('refuses every bad scene column value with 400 naming the field, writing nothing', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const before = await snapshot(server);
    for (const pc of sceneColumns)
      for (const bad of badColumnValues(pc)) {
        const res = await put(sceneId, {
          gameSessionId: p.gameSession.id,
          savedAt: Date.now(),
          name: 'Should not be written',
          scene: { [pc.column.field]: bad },
        });
        expect(res.status, `${pc.column.field} = ${JSON.stringify(bad)}`).toBe(400);
        expect(res.body.field).toBe(`scene.${pc.column.field}`);
      }
    expect(await snapshot(server)).toBe(before);
  });

  it('refuses bad members, blobs, envelope fields and unknown columns, writing nothing', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const sid = p.gameSession.id;
    const now = Date.now();
    const [coll] = registry.collections;
    const cases: [unknown, string][] = [
      [{ gameSessionId: sid }, 'savedAt'],
      [{ gameSessionId: sid, savedAt: 'yesterday' }, 'savedAt'],
      [{ gameSessionId: sid, savedAt: now + 10 * 3600_000 }, 'savedAt'],
      [{ savedAt: now }, 'gameSessionId'],
      [{ gameSessionId: 'unknown1', savedAt: now }, 'gameSessionId'],
      [{ gameSessionId: sid, savedAt: now, name: '' }, 'name'],
      [{ gameSessionId: sid, savedAt: now, sortOrder: -1 }, 'sortOrder'],
      [{ gameSessionId: sid, savedAt: now, extra: 1 }, 'extra'],
      [{ gameSessionId: sid, savedAt: now, scene: { noSuchColumn: 1 } }, 'scene.noSuchColumn'],
      [{ gameSessionId: sid, savedAt: now, scene: [] }, 'scene'],
      [{ gameSessionId: sid, savedAt: now, blobs: { 'fog/0_0': 'not base64!' } }, 'blobs.fog/0_0'],
      [{ gameSessionId: sid, savedAt: now, blobs: { '../evil': TILE_A } }, 'blobs.../evil'],
      [
        { gameSessionId: sid, savedAt: now, collections: { noSuchCollection: [] } },
        'collections.noSuchCollection',
      ],
    ];
    if (coll) {
      const at = `collections.${coll.key}[0]`;
      cases.push(
        [{ gameSessionId: sid, savedAt: now, collections: { [coll.key]: {} } }, `collections.${coll.key}`],
        [{ gameSessionId: sid, savedAt: now, collections: { [coll.key]: [{ id: '../x' }] } }, `${at}.id`],
        [
          { gameSessionId: sid, savedAt: now, collections: { [coll.key]: [{ id: 'a1', nope: 1 }] } },
          `${at}.nope`,
        ],
        [
          {
            gameSessionId: sid,
            savedAt: now,
            collections: { [coll.key]: [{ id: 'a1', sceneId: 'other1' }] },
          },
          `${at}.sceneId`,
        ],
      );
      for (const pc of memberColumns(coll.key))
        cases.push([
          {
            gameSessionId: sid,
            savedAt: now,
            collections: { [coll.key]: [{ id: 'a1', [pc.column.field]: badColumnValues(pc)[1] ?? null }] },
          },
          `${at}.${pc.column.field}`,
        ]);
      cases.push([
        { gameSessionId: sid, savedAt: now, collections: { [coll.key]: [{ id: 'a1' }, { id: 'a1' }] } },
        `collections.${coll.key}[1].id`,
      ]);
    }
    const before = await snapshot(server);
    for (const [body, field] of cases) {
      const res = await put(sceneId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field, JSON.stringify(body)).toBe(field);
    }
    expect(await snapshot(server)).toBe(before);
  });

  it('refuses blobs outside the declared channels or their limits (400 naming the key), writing nothing of the save', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const sid = p.gameSession.id;
    const [col] = sceneColumns;
    // A stored tile and name that a refused save must leave exactly as they are.
    expect(
      (await put(sceneId, { gameSessionId: sid, savedAt: Date.now(), blobs: { 'fog/0_0': TILE_A } })).status,
    ).toBe(200);
    const oversize = new Uint8Array(fog.decl.maxBytes + 1).fill(1);
    const cases: [Record<string, string | null>, string, RegExp][] = [
      [{ 'nope/1': TILE_A }, 'blobs.nope/1', /"nope\/1" belongs to no declared binary channel/],
      [{ 'nope/1': null }, 'blobs.nope/1', /belongs to no declared binary channel/],
      [{ 'fog/a_b': TILE_A }, 'blobs.fog/a_b', /not a valid key of this channel/],
      [
        { 'fog/2_2': b64(oversize) },
        'blobs.fog/2_2',
        new RegExp(`more than the ${fog.decl.maxBytes} allowed`),
      ],
      [{ 'fog/3_3': b64(Uint8Array.from([9, 9, 9])) }, 'blobs.fog/3_3', /fog tile: unknown encoding/],
      [{ 'fog/default': b64(Uint8Array.from([0, 0])) }, 'blobs.fog/default', /the fill is one byte/],
    ];
    // One key more than the channel allows, counting the tile already stored and fog/5_5 sent with it.
    const many: Record<string, string> = {};
    for (let i = 0; i < fog.decl.maxKeys; i++) many[`fog/${i}_1`] = TILE_B;
    cases.push([
      many,
      `blobs.fog/${fog.decl.maxKeys - 2}_1`,
      new RegExp(`at most ${fog.decl.maxKeys} are allowed`),
    ]);
    const before = await snapshot(server);
    for (const [blobs, field, reason] of cases) {
      const res = await put(sceneId, {
        gameSessionId: sid,
        savedAt: Date.now(),
        name: 'Must not be written',
        ...(col ? { scene: { [col.column.field]: otherColumnValue(col) } } : {}),
        blobs: { 'fog/5_5': TILE_B, ...blobs },
      });
      expect(res.status, field).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.error).toMatch(reason);
    }
    expect(await snapshot(server)).toBe(before);
    const [scene] = await sessionScenes(sid);
    expect(scene!.blobs).toEqual({ 'fog/0_0': TILE_A });
    expect(scene!.name).toBe('Scene 1');
    // Deleting the stored tile and replacing it is within the limit again.
    const full = { ...many, 'fog/0_0': null };
    expect((await put(sceneId, { gameSessionId: sid, savedAt: Date.now() + 1, blobs: full })).status).toBe(
      200,
    );
  });

  it('refuses (409) a save older than the stored scene, and scenes or members that belong elsewhere', async () => {
    const p = await createParty(server);
    const other = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const t = Date.now();
    expect((await put(sceneId, { gameSessionId: p.gameSession.id, savedAt: t, name: 'Newer' })).status).toBe(
      200,
    );
    const before = await snapshot(server);
    const older = await put(sceneId, { gameSessionId: p.gameSession.id, savedAt: t - 1, name: 'Older' });
    expect(older).toMatchObject({ status: 409, body: { field: 'savedAt' } });
    const moved = await put(sceneId, { gameSessionId: other.gameSession.id, savedAt: t + 1, name: 'Moved' });
    expect(moved).toMatchObject({ status: 409, body: { field: 'gameSessionId' } });
    const [coll] = registry.collections;
    if (coll) {
      expect(
        (
          await put(other.scenes[0]!.id, {
            gameSessionId: other.gameSession.id,
            savedAt: t,
            collections: { [coll.key]: [{ id: 'taken1' }] },
          })
        ).status,
      ).toBe(200);
      const before2 = await snapshot(server);
      const stolen = await put(sceneId, {
        gameSessionId: p.gameSession.id,
        savedAt: t + 1,
        collections: { [coll.key]: [{ id: 'taken1' }] },
      });
      expect(stolen).toMatchObject({ status: 409, body: { field: `collections.${coll.key}` } });
      expect(await snapshot(server)).toBe(before2);
    } else expect(await snapshot(server)).toBe(before);
    // The same savedAt again (a retried save) is accepted.
    expect((await put(sceneId, { gameSessionId: p.gameSession.id, savedAt: t, name: 'Retry' })).status).toBe(
      200,
    );
  });

  it('keeps every field when several saves of different fields of one scene arrive at once', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const savedAt = Date.now();
    const columns = sceneColumns;
    const results = await Promise.all([
      ...columns.map((pc) =>
        put(sceneId, {
          gameSessionId: p.gameSession.id,
          savedAt,
          scene: { [pc.column.field]: otherColumnValue(pc) },
        }),
      ),
      put(sceneId, { gameSessionId: p.gameSession.id, savedAt, name: 'Renamed by the room' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    const [scene] = await sessionScenes(p.gameSession.id);
    for (const pc of columns) {
      const v = scene!.props[pc.prop.plugin.key]![pc.prop.key];
      expect(pc.column.part ? (v as Record<string, unknown>)[pc.column.part] : v, pc.column.field).toEqual(
        otherColumnValue(pc),
      );
    }
    expect(scene!.name).toBe('Renamed by the room');
  });

  it('never lets a later save be overwritten by an earlier one arriving late', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const t = Date.now();
    const saves = [5, 3, 9, 1, 7].map((dt) =>
      put(sceneId, { gameSessionId: p.gameSession.id, savedAt: t + dt, name: `At ${dt}` }),
    );
    await Promise.all(saves);
    const [scene] = await sessionScenes(p.gameSession.id);
    expect(scene).toMatchObject({ name: 'At 9', lastUpdated: t + 9 });
  });
});

describe('DELETE /internal/scenes/:sceneId', () => {
  it('deletes a scene with its members (204) and answers 404 for an unknown one', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const before = await server.counts();
    expect((await server.internal('DELETE', `/internal/scenes/${sceneId}`)).status).toBe(204);
    expect((await server.counts()).scene).toBe(before.scene! - 1);
    expect((await server.internal('DELETE', `/internal/scenes/${sceneId}`)).status).toBe(404);
    // The party's active scene pointed at it and is cleared, not left dangling.
    expect((await server.internal('GET', `/internal/parties/${p.party.id}`)).body.activeSceneId).toBeNull();
  });
});

describe('/internal/parties/:partyId', () => {
  it('reads and writes the party state', async () => {
    const p = await createParty(server);
    const path = `/internal/parties/${p.party.id}`;
    expect((await server.internal('GET', path)).body).toEqual({
      partyId: p.party.id,
      activeGameSessionId: p.gameSession.id,
      activeSceneId: p.scenes[0]!.id,
      paused: false,
      settings: {},
    });
    const res = await server.internal('PUT', path, { paused: true, activeSceneId: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      paused: true,
      activeSceneId: null,
      activeGameSessionId: p.gameSession.id,
    });
    expect((await server.internal('GET', '/internal/parties/unknown1')).status).toBe(404);
  });

  it('refuses bad state without writing', async () => {
    const p = await createParty(server);
    const other = await createParty(server);
    const path = `/internal/parties/${p.party.id}`;
    const before = await snapshot(server);
    for (const [body, field] of [
      [{ paused: 'yes' }, 'paused'],
      [{ activeSceneId: other.scenes[0]!.id }, 'activeSceneId'],
      [{ activeGameSessionId: other.gameSession.id }, 'activeGameSessionId'],
      [{ activeGameSessionId: 5 }, 'activeGameSessionId'],
      [{ partyId: other.party.id }, 'partyId'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      const res = await server.internal('PUT', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field).toBe(field);
    }
    // A scene not saved yet is "try again", not "wrong": its room may save it in a moment.
    const pending = await server.internal('PUT', path, { activeSceneId: 'unsaved1' });
    expect(pending).toMatchObject({ status: 409, body: { field: 'activeSceneId' } });
    expect(await snapshot(server)).toBe(before);
  });
});
