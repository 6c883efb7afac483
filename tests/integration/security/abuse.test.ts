/**
 * Issue 12, finding 7: what one client can make the server store. Party
 * creation and uploads are rate-limited per client (429 with Retry-After,
 * nothing written), a party's uploads stop at its quota, and deleting a party
 * deletes its uploaded files — other parties' files stay. Files from before
 * any of this (the old demo seed's untagged maps, files of parties deleted
 * back then) are swept when the app server starts, unless a scene uses them.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signToken } from '../../../engine/auth';
import { registry } from '../../../engine/generated/schemas';
import { startAppServer } from '../../../server/app';
import { partyTag } from '../../../server/partyUploads';
import { encodePng } from '../../../server/png';
import { seedDemo } from '../../../server/seed';
import {
  INTERNAL_SECRET,
  TOKEN_SECRET,
  createParty,
  startTestServer,
  type TestServer,
} from '../server/harness';
import { waitFor } from '../partykit/support';
import { sceneColumns } from '../server/values';

const HOUR = 3_600_000;
const png = encodePng(4, 4, new Uint8Array(64).fill(120));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// Served files only: `.unused/` holds the sweep's markers.
const uploads = (s: TestServer) =>
  readdirSync(join(s.dir, 'uploads'))
    .filter((n) => !n.startsWith('.'))
    .sort();

function upload(s: TestServer, token: string, headers: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'map.png');
  return s.api('POST', '/api/uploads', { token, raw: form, headers });
}

describe('rate limits', () => {
  it('answers 429 with Retry-After to a client creating parties too fast, and writes nothing', async () => {
    server = await startTestServer({ rateLimits: { partyCreation: { burst: 3, refillMs: HOUR } } });
    for (let i = 0; i < 3; i++) await createParty(server, `P${i}`);
    const before = await server.counts();
    for (let i = 0; i < 5; i++) {
      const refused = await server.api('POST', '/api/parties', { body: { name: 'One too many' } });
      expect(refused.status).toBe(429);
      expect(refused.body.error).toMatch(/too many/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(await server.counts()).toEqual(before);
    // Another client (as a local proxy reports it) has its own allowance.
    const other = await server.api('POST', '/api/parties', {
      body: { name: 'Elsewhere' },
      headers: { 'x-forwarded-for': '198.51.100.7' },
    });
    expect(other.status).toBe(201);
  });

  it('answers 429 to a client uploading too fast, and stores no file', async () => {
    server = await startTestServer({ rateLimits: { upload: { burst: 2, refillMs: HOUR } } });
    const { tokens } = await createParty(server);
    for (let i = 0; i < 2; i++) expect((await upload(server, tokens.gm)).status).toBe(201);
    const before = uploads(server);
    const refused = await upload(server, tokens.gm);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(uploads(server)).toEqual(before);
  });
});

describe('party uploads', () => {
  it("stops a party's uploads at its quota; other parties are not affected", async () => {
    server = await startTestServer({ partyUploadQuota: Math.floor(png.byteLength * 2.5) });
    const full = await createParty(server, 'Full');
    const other = await createParty(server, 'Other');
    for (let i = 0; i < 2; i++) expect((await upload(server, full.tokens.gm)).status).toBe(201);
    const before = uploads(server);
    const refused = await upload(server, full.tokens.gm);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ field: 'file', error: expect.stringMatching(/quota/) });
    expect(uploads(server)).toEqual(before);
    expect((await upload(server, other.tokens.gm)).status).toBe(201);
  });

  it("deletes a party's uploaded files with the party and keeps everyone else's", async () => {
    server = await startTestServer();
    const doomed = await createParty(server, 'Doomed');
    const kept = await createParty(server, 'Kept');
    const doomedUrls = [
      (await upload(server, doomed.tokens.gm)).body.url,
      (await upload(server, doomed.tokens.gm)).body.url,
    ] as string[];
    const keptUrl = (await upload(server, kept.tokens.gm)).body.url as string;
    for (const url of [...doomedUrls, keptUrl]) expect((await fetch(server.url + url)).status).toBe(200);

    expect(
      (await server.api('DELETE', `/api/parties/${doomed.party.id}`, { token: doomed.tokens.gm })).status,
    ).toBe(204);
    for (const url of doomedUrls) expect((await fetch(server.url + url)).status).toBe(404);
    expect(uploads(server)).toEqual([keptUrl.slice('/uploads/'.length)]);
    expect((await fetch(server.url + keptUrl)).status).toBe(200);
  });

  it('deletes uploads no scene uses any more, once unused for the grace period', async () => {
    // The first asset column of scenes, whichever plugin declares it.
    const asset = sceneColumns.find((pc) => pc.prop.decl.kind === 'asset');
    expect(asset, 'the registry declares a scene asset').toBeDefined();
    const setup = async (s: TestServer) => {
      const p = await createParty(s, 'Maps');
      const second = (
        await s.api('POST', `/api/sessions/${p.gameSession.id}/scenes`, {
          token: p.tokens.gm,
          body: { name: 'Two' },
        })
      ).body.scene.id as string;
      const [a, b, loose] = [
        (await upload(s, p.tokens.gm)).body.url as string,
        (await upload(s, p.tokens.gm)).body.url as string,
        (await upload(s, p.tokens.gm)).body.url as string,
      ];
      for (const [sceneId, url] of [
        [p.scenes[0]!.id, a],
        [second, b],
      ] as const)
        expect(
          (
            await s.internal('PUT', `/internal/scenes/${sceneId}`, {
              gameSessionId: p.gameSession.id,
              savedAt: Date.now(),
              scene: { [asset!.column.field]: url },
            })
          ).status,
        ).toBe(200);
      expect((await s.api('DELETE', `/api/scenes/${second}`, { token: p.tokens.gm })).status).toBe(204);
      return { a, b, loose };
    };
    const name = (url: string) => url.slice('/uploads/'.length);

    // Within the grace period (an undo, a save in flight) nothing goes.
    server = await startTestServer();
    const kept = await setup(server);
    for (const url of [kept.a, kept.b, kept.loose]) expect(uploads(server)).toContain(name(url));
    await server.close();

    server = await startTestServer({ unusedUploadGraceMs: 0 });
    const swept = await setup(server);
    expect(uploads(server)).toEqual([name(swept.a)]);
    expect((await fetch(server.url + swept.b)).status).toBe(404);
  });

  it("deletes the demo party's map images with the demo party", async () => {
    server = await startTestServer();
    const seeded = await seedDemo(server.database, registry, { uploadsDir: join(server.dir, 'uploads') });
    if (!seeded.seeded) throw new Error(seeded.reason);
    const maps = uploads(server);
    expect(maps.length).toBeGreaterThan(0);
    const gm = await signToken(TOKEN_SECRET, { role: 'gm', partyId: seeded.party.id });
    expect((await server.api('DELETE', `/api/parties/${seeded.party.id}`, { token: gm })).status).toBe(204);
    expect(uploads(server)).toEqual([]);
  });

  it('sweeps, when the app server starts, uploads from before the sweeps that no scene uses', async () => {
    const asset = sceneColumns.find((pc) => pc.prop.decl.kind === 'asset')!;
    server = await startTestServer();
    const p = await createParty(server, 'Living');
    const dir = join(server.dir, 'uploads');
    // Files as older versions left them: untagged (the old demo seed), and tagged for a party deleted back then.
    const legacyUsed = 'legacyUsedMap01.png';
    const legacyLoose = 'legacyLooseMap1.png';
    const ofGoneParty = `${partyTag('a-party-deleted-long-ago')}_leftoverMap.png`;
    for (const name of [legacyUsed, legacyLoose, ofGoneParty]) writeFileSync(join(dir, name), png);
    const current = (await upload(server, p.tokens.gm)).body.url as string;
    const second = (
      await server.api('POST', `/api/sessions/${p.gameSession.id}/scenes`, {
        token: p.tokens.gm,
        body: { name: 'Old map' },
      })
    ).body.scene.id as string;
    for (const [sceneId, url] of [
      [p.scenes[0]!.id, current],
      [second, `/uploads/${legacyUsed}`],
    ] as const)
      expect(
        (
          await server.internal('PUT', `/internal/scenes/${sceneId}`, {
            gameSessionId: p.gameSession.id,
            savedAt: Date.now(),
            scene: { [asset.column.field]: url },
          })
        ).status,
      ).toBe(200);

    // The next start of the app server over the same data (no grace period here) sweeps them.
    const restarted = await startAppServer({
      database: server.database,
      registry,
      tokenSecret: TOKEN_SECRET,
      internalSecret: INTERNAL_SECRET,
      dataDir: server.dir,
      partykitUrl: null,
      log: () => undefined,
      unusedUploadGraceMs: 0,
    });
    try {
      await waitFor(
        'the start sweep',
        () => !existsSync(join(dir, legacyLoose)) && !existsSync(join(dir, ofGoneParty)),
      );
      expect(uploads(server)).toEqual([current.slice('/uploads/'.length), legacyUsed].sort());
      for (const url of [current, `/uploads/${legacyUsed}`])
        expect((await fetch(restarted.url + url)).status, url).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});
