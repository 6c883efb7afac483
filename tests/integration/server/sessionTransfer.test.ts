import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../engine/generated/schemas';
import { encodeTile, FOG_TILE } from '../../../plugins/fogOfWar/mask';
import { encodePng } from '../../../server/png';
import { createParty, snapshot, startTestServer, type TestServer } from './harness';
import { memberColumns, otherColumnValue, sceneColumns } from './values';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const tile = (value: 0 | 1) => b64(encodeTile(new Uint8Array(FOG_TILE * FOG_TILE).fill(value)));
const PNG_A = encodePng(3, 2, new Uint8Array(24).fill(120));
const PNG_B = encodePng(2, 2, new Uint8Array(16).fill(7));

let server: TestServer;
let source: Awaited<ReturnType<typeof createParty>>;
let target: Awaited<ReturnType<typeof createParty>>;

/** A value for every column of `columns` other than its default; asset columns point at `asset`. */
function filled(columns: typeof sceneColumns, asset: string, salt: number): Record<string, unknown> {
  return Object.fromEntries(
    columns.map((pc) => [
      pc.column.field,
      pc.prop.decl.kind === 'asset' ? asset : otherColumnValue(pc, salt),
    ]),
  );
}

const uploadsOnDisk = () => readdirSync(join(server.dir, 'uploads')).filter((f) => !f.startsWith('.'));

async function upload(data: Uint8Array): Promise<string> {
  const res = await server.api('POST', '/api/uploads', {
    token: source.tokens.gm,
    raw: new Uint8Array(data),
    headers: { 'content-type': 'image/png' },
  });
  expect(res.status).toBe(201);
  return res.body.url as string;
}

/** The file with ids and upload names replaced by their order of first appearance, and the export time dropped. */
function normalised(file: Record<string, unknown>): unknown {
  const names = new Map<string, string>();
  const text = JSON.stringify({ ...file, exportedAt: 0 }).replace(
    /\/uploads\/[A-Za-z0-9_-]+\.[a-z0-9]+/g,
    (u) => {
      if (!names.has(u)) names.set(u, `/uploads/asset${names.size}`);
      return names.get(u)!;
    },
  );
  return JSON.parse(text);
}

beforeAll(async () => {
  server = await startTestServer();
  source = await createParty(server, 'Source');
  target = await createParty(server, 'Target');
  const sid = source.gameSession.id;
  const [mapUrl, tokenUrl] = [await upload(PNG_A), await upload(PNG_B)];
  // Two scenes: every property column and every collection's members away from their defaults, fog tiles too.
  const second = await server.api('POST', `/api/sessions/${sid}/scenes`, {
    token: source.tokens.gm,
    body: { name: 'Crypt' },
  });
  for (const [i, sceneId] of [source.scenes[0]!.id, second.body.scene.id as string].entries()) {
    const collections = Object.fromEntries(
      registry.collections.map((p) => [
        p.key,
        [1, 2].map((n) => ({
          id: `${'a'.repeat(19)}${i}${n}`.slice(-20),
          ...filled(memberColumns(p.key), tokenUrl, n),
        })),
      ]),
    );
    const saved = await server.internal('PUT', `/internal/scenes/${sceneId}`, {
      gameSessionId: sid,
      savedAt: Date.now(),
      scene: filled(sceneColumns, mapUrl, i),
      collections,
      blobs: { 'fog/0_0': tile(1), 'fog/1_0': tile(0) },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  }
});
afterAll(() => server.close());

describe('session export and import', () => {
  it('round-trips a session into another party with nothing lost and the files byte-identical', async () => {
    const first = await server.api('GET', `/api/sessions/${source.gameSession.id}/export`, {
      token: source.tokens.gm,
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toMatch(/attachment/);
    expect(first.body.scenes).toHaveLength(2);
    expect(Object.keys(first.body.assets)).toHaveLength(2);
    expect(first.body.warnings).toEqual([]);

    const imported = await server.api('POST', `/api/parties/${target.party.id}/import`, {
      token: target.tokens.gm,
      body: first.body,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.ignored).toEqual([]);
    const newSession = imported.body.gameSession.id as string;
    expect(newSession).not.toBe(source.gameSession.id);
    expect(imported.body.gameSession.partyId).toBe(target.party.id);

    const again = await server.api('GET', `/api/sessions/${newSession}/export`, { token: target.tokens.gm });
    expect(again.status).toBe(200);
    expect(normalised(again.body)).toEqual(normalised(first.body));
    // The copies are the target party's own files, not links to the source's.
    const oldUrls = Object.keys(first.body.assets).sort();
    const newUrls = Object.keys(again.body.assets).sort();
    for (const u of newUrls) expect(oldUrls).not.toContain(u);
    for (const u of newUrls) {
      const served = Buffer.from(await (await fetch(server.url + u)).arrayBuffer());
      expect([b64(PNG_A), b64(PNG_B)]).toContain(served.toString('base64'));
    }
    expect(
      new Set(newUrls.map((u) => Buffer.from(again.body.assets[u].data, 'base64').toString('base64'))),
    ).toEqual(new Set([b64(PNG_A), b64(PNG_B)]));

    // The imported scenes load like any other.
    const load = await server.api('GET', `/api/sessions/${newSession}/load`, { token: target.tokens.gm });
    expect(load.status).toBe(200);
    expect(load.body.scenes.map((s: { name: string }) => s.name)).toEqual(
      first.body.scenes.map((s: { name: string }) => s.name),
    );
  });

  it('refuses another party’s GM, and players, on both endpoints', async () => {
    const url = `/api/sessions/${source.gameSession.id}/export`;
    expect((await server.api('GET', url, { token: target.tokens.gm })).status).toBe(403);
    expect((await server.api('GET', url, { token: source.tokens.player })).status).toBe(403);
    const file = (await server.api('GET', url, { token: source.tokens.gm })).body;
    const into = `/api/parties/${target.party.id}/import`;
    expect((await server.api('POST', into, { token: source.tokens.gm, body: file })).status).toBe(403);
    expect((await server.api('POST', into, { token: target.tokens.player, body: file })).status).toBe(403);
  });

  it('refuses a bad value with 400 naming its place in the file, writing nothing', async () => {
    const file = (
      await server.api('GET', `/api/sessions/${source.gameSession.id}/export`, { token: source.tokens.gm })
    ).body;
    const pc = sceneColumns.find((c) => c.prop.decl.kind !== 'asset')!;
    const field = pc.column.field;
    const files = uploadsOnDisk().length;
    const before = await snapshot(server);
    const cases: [(f: typeof file) => void, string][] = [
      [(f) => (f.scenes[1].columns[field] = { nested: true }), `scenes[1].columns.${field}`],
      [(f) => (f.scenes[0].blobs['fog/0_0'] = b64(Uint8Array.from([9, 9, 9]))), 'scenes[0].blobs.fog/0_0'],
      [(f) => (f.format = 'zip'), 'format'],
      [
        (f) => {
          const url = Object.keys(f.assets)[0]!;
          f.assets[url].data = b64(Buffer.from('<script>alert(1)</script>'));
        },
        `assets.${Object.keys(file.assets)[0]}`,
      ],
      [
        (f) => {
          const url = Object.keys(f.assets)[0]!;
          delete f.assets[url];
        },
        '',
      ],
    ];
    for (const [spoil, where] of cases) {
      const copy = structuredClone(file);
      spoil(copy);
      const res = await server.api('POST', `/api/parties/${target.party.id}/import`, {
        token: target.tokens.gm,
        body: copy,
      });
      expect([400, 415], where).toContain(res.status);
      if (where !== '') expect(res.body.field).toBe(where);
      else expect(res.body.error).toMatch(/is not among the file's assets/);
    }
    expect(await snapshot(server)).toBe(before);
    expect(uploadsOnDisk()).toHaveLength(files);
  });

  it('keeps what the registry knows of a newer file and reports the rest', async () => {
    const file = (
      await server.api('GET', `/api/sessions/${source.gameSession.id}/export`, { token: source.tokens.gm })
    ).body;
    file.scenes[0].columns.futurePluginValue = 3;
    file.scenes[0].collections.futureThings = [{ size: 1 }];
    file.scenes[0].blobs['future/1'] = b64(Uint8Array.from([1]));
    const res = await server.api('POST', `/api/parties/${target.party.id}/import`, {
      token: target.tokens.gm,
      body: file,
    });
    expect(res.status).toBe(201);
    expect(res.body.ignored).toEqual([
      'scenes[0].columns.futurePluginValue',
      'scenes[0].collections.futureThings',
      'scenes[0].blobs.future/1',
    ]);
    const back = await server.api('GET', `/api/sessions/${res.body.gameSession.id}/export`, {
      token: target.tokens.gm,
    });
    delete file.scenes[0].columns.futurePluginValue;
    delete file.scenes[0].collections.futureThings;
    delete file.scenes[0].blobs['future/1'];
    expect(normalised(back.body)).toEqual(normalised(file));
  });

  it('imports a file far larger than the API’s JSON body limit', async () => {
    const big = await startTestServer({ maxJsonBytes: 64 * 1024 });
    try {
      const a = await createParty(big, 'A');
      const b = await createParty(big, 'B');
      // Noise does not compress: the PNG, and so the file, is well over the 64 KB JSON limit.
      const noise = new Uint8Array(randomBytes(200 * 200 * 4));
      const up = await big.api('POST', '/api/uploads', {
        token: a.tokens.gm,
        raw: new Uint8Array(encodePng(200, 200, noise)),
        headers: { 'content-type': 'image/png' },
      });
      expect(up.status).toBe(201);
      const col = sceneColumns.find((c) => c.prop.decl.kind === 'asset')!;
      await big.internal('PUT', `/internal/scenes/${a.scenes[0]!.id}`, {
        gameSessionId: a.gameSession.id,
        savedAt: Date.now(),
        scene: { [col.column.field]: up.body.url },
      });
      const file = (await big.api('GET', `/api/sessions/${a.gameSession.id}/export`, { token: a.tokens.gm }))
        .body;
      expect(JSON.stringify(file).length).toBeGreaterThan(64 * 1024);
      const res = await big.api('POST', `/api/parties/${b.party.id}/import`, {
        token: b.tokens.gm,
        body: file,
      });
      expect(res.status).toBe(201);
    } finally {
      await big.close();
    }
  });

  it('counts the files against the target party’s upload quota', async () => {
    const small = await startTestServer({ partyUploadQuota: PNG_A.byteLength });
    try {
      const a = await createParty(small, 'A');
      const b = await createParty(small, 'B');
      for (const png of [PNG_A, PNG_B]) {
        const up = await small.api('POST', '/api/uploads', {
          token: a.tokens.gm,
          raw: new Uint8Array(png),
          headers: { 'content-type': 'image/png' },
        });
        // Only the first file fits the quota; the scene uses it, so the file carries exactly one.
        if (up.status !== 201) continue;
        const col = sceneColumns.find((c) => c.prop.decl.kind === 'asset')!;
        await small.internal('PUT', `/internal/scenes/${a.scenes[0]!.id}`, {
          gameSessionId: a.gameSession.id,
          savedAt: Date.now(),
          scene: { [col.column.field]: up.body.url },
        });
      }
      const file = (
        await small.api('GET', `/api/sessions/${a.gameSession.id}/export`, { token: a.tokens.gm })
      ).body;
      expect(Object.keys(file.assets)).toHaveLength(1);
      expect(
        (await small.api('POST', `/api/parties/${b.party.id}/import`, { token: b.tokens.gm, body: file }))
          .status,
      ).toBe(201);
      const before = await snapshot(small);
      const res = await small.api('POST', `/api/parties/${b.party.id}/import`, {
        token: b.tokens.gm,
        body: file,
      });
      expect(res.status).toBe(413);
      expect(res.body.error).toMatch(/quota/);
      expect(await snapshot(small)).toBe(before);
    } finally {
      await small.close();
    }
  });
});
