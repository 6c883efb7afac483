import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propertyColumns } from '../../../engine/db';
import { registry } from '../../../engine/generated/schemas';
import { defineRoomPlugin } from '../../../engine/plugin';
import { createParty, startTestServer, type TestServer } from './harness';
import { otherColumnValue } from './values';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const SECRET = 'SECRET-for-gm-eyes-only';

/** Column values that give every gm-audience property of `table` a non-default value (text: the secret). */
function gmOnlyColumns(table: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pc of propertyColumns(registry, table).values())
    if (pc.prop.audience === 'gm')
      out[pc.column.field] = pc.prop.decl.kind === 'string' ? SECRET : otherColumnValue(pc);
  return out;
}

describe('what a player token receives', () => {
  it('never includes GM-only members or gm-audience values; the GM gets both', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const collections: Record<string, Record<string, unknown>[]> = {};
    for (const c of registry.collections) {
      const members: Record<string, unknown>[] = [{ id: `visible-${c.key}`, ...gmOnlyColumns(c.table) }];
      // One member per value that hides a member from players, with a text property carrying the secret.
      for (const [propKey, values] of c.gmOnlyWhen) {
        const prop = c.props.find((x) => x.key === propKey)!;
        const text = c.props.find((x) => x.decl.kind === 'string' && x.audience === 'all');
        for (const [i, value] of values.entries())
          members.push({
            id: `hidden-${c.key}-${i}`,
            [prop.columns[0]!.field]: value,
            ...(text ? { [text.columns[0]!.field]: SECRET } : {}),
          });
      }
      collections[c.key] = members;
    }
    const save = await server.internal('PUT', `/internal/scenes/${sceneId}`, {
      gameSessionId: p.gameSession.id,
      savedAt: Date.now(),
      scene: gmOnlyColumns('scene'),
      collections,
    });
    expect(save.status).toBe(200);

    const asPlayer = await server.api('GET', `/api/sessions/${p.gameSession.id}/load`, {
      token: p.tokens.player,
    });
    expect(asPlayer.status).toBe(200);
    expect(JSON.stringify(asPlayer.body)).not.toContain(SECRET);
    for (const plugin of registry.scenePlugins)
      for (const prop of plugin.props)
        if (prop.audience === 'gm')
          expect(asPlayer.body.props[plugin.key][prop.key], prop.id).toEqual(prop.decl.default);
    for (const c of registry.collections) {
      expect(Object.keys(asPlayer.body.props[c.key])).toEqual([`visible-${c.key}`]);
      for (const prop of c.props)
        if (prop.audience === 'gm')
          expect(asPlayer.body.props[c.key][`visible-${c.key}`][prop.key], prop.id).toEqual(
            prop.decl.default,
          );
    }

    const asGm = await server.api('GET', `/api/sessions/${p.gameSession.id}/load`, { token: p.tokens.gm });
    for (const c of registry.collections)
      expect(Object.keys(asGm.body.props[c.key]).length).toBe(collections[c.key]!.length);
    if (registry.props.some((x) => x.audience === 'gm' && x.decl.kind === 'string'))
      expect(JSON.stringify(asGm.body)).toContain(SECRET);
  });

  it("applies the room plugins' projectForPlayer: hidden members and values never reach a player", async () => {
    // A test room plugin on the first collection with an `all`-audience text property:
    // members whose text says "backstage" are hidden, and every member's text is kept from players.
    const c = registry.collections.find((x) =>
      x.props.some((p) => p.decl.kind === 'string' && p.audience === 'all'),
    )!;
    const text = c.props.find((p) => p.decl.kind === 'string' && p.audience === 'all')!;
    const hide = defineRoomPlugin({
      name: c.name,
      projectForPlayer: (item) =>
        item.kind === 'member' && item.values[text.key] === 'backstage' ? 'hide' : { hideValues: [text.key] },
    });
    const own = await startTestServer({ roomPlugins: [hide] });
    try {
      const p = await createParty(own);
      const save = await own.internal('PUT', `/internal/scenes/${p.scenes[0]!.id}`, {
        gameSessionId: p.gameSession.id,
        savedAt: Date.now(),
        collections: {
          [c.key]: [
            { id: 'shown1', [text.columns[0]!.field]: SECRET },
            { id: 'hidden1', [text.columns[0]!.field]: 'backstage' },
          ],
        },
      });
      expect(save.status).toBe(200);
      const load = (token: string) => own.api('GET', `/api/sessions/${p.gameSession.id}/load`, { token });
      const asPlayer = await load(p.tokens.player);
      expect(Object.keys(asPlayer.body.props[c.key])).toEqual(['shown1']);
      expect(asPlayer.body.props[c.key].shown1[text.key]).toEqual(text.decl.default);
      expect(JSON.stringify(asPlayer.body)).not.toContain(SECRET);
      const asGm = await load(p.tokens.gm);
      expect(Object.keys(asGm.body.props[c.key]).sort()).toEqual(['hidden1', 'shown1']);
      expect(asGm.body.props[c.key].shown1[text.key]).toBe(SECRET);
    } finally {
      await own.close();
    }
  });

  it('cannot be used for GM actions or the internal API', async () => {
    const p = await createParty(server);
    const sceneId = p.scenes[0]!.id;
    const attempts: [string, string, unknown?][] = [
      ['PATCH', `/api/parties/${p.party.id}`, { name: 'x' }],
      ['DELETE', `/api/parties/${p.party.id}`],
      ['GET', `/api/parties/${p.party.id}/links`],
      ['POST', `/api/parties/${p.party.id}/sessions`, { name: 'x' }],
      ['PATCH', `/api/sessions/${p.gameSession.id}`, { name: 'x' }],
      ['DELETE', `/api/sessions/${p.gameSession.id}`],
      ['POST', `/api/sessions/${p.gameSession.id}/scenes`, { name: 'x' }],
      ['PUT', `/api/sessions/${p.gameSession.id}/scenes/order`, { sceneIds: [sceneId] }],
      ['PATCH', `/api/scenes/${sceneId}`, { name: 'x' }],
      ['POST', `/api/scenes/${sceneId}/duplicate`, {}],
      ['DELETE', `/api/scenes/${sceneId}`],
      ['POST', `/api/scenes/${sceneId}/reload`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await server.api(method, path, {
        token: p.tokens.player,
        ...(body !== undefined ? { body } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const internal = await server.api('GET', `/internal/sessions/${p.gameSession.id}`, {
      token: p.tokens.player,
    });
    expect(internal.status).toBe(401);
  });
});
