import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scene } from '../../../engine/generated/tables';
import { sweepPartyUploads } from '../../../server/partyUploads';
import { encodePng } from '../../../server/png';
import { createParty, snapshot, startTestServer, type TestServer } from './harness';

let server: TestServer;
let party: Awaited<ReturnType<typeof createParty>>;
let other: Awaited<ReturnType<typeof createParty>>;
let sceneId: string;
beforeAll(async () => {
  server = await startTestServer();
  party = await createParty(server, 'Thumbnails');
  other = await createParty(server, 'Another party');
  sceneId = party.scenes[0]!.id;
});
afterAll(() => server.close());

const picture = (w: number, h: number, shade = 120) => encodePng(w, h, new Uint8Array(w * h * 4).fill(shade));
/** A lossless WebP header of the given size (the server reads sizes from headers; it never decodes). */
function webpHeader(w: number, h: number): Uint8Array {
  const bits = ((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14);
  const out = Buffer.alloc(64);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(56, 4);
  out.write('WEBPVP8L', 8, 'latin1');
  out.writeUInt32LE(44, 16);
  out[20] = 0x2f;
  out.writeUInt32LE(bits, 21);
  return out;
}
const stored = () => readdirSync(join(server.dir, 'uploads')).filter((f) => !f.startsWith('.'));
const put = (data: Uint8Array, o: { type?: string; token?: string | null; id?: string } = {}) =>
  server.api('PUT', `/api/scenes/${encodeURIComponent(o.id ?? sceneId)}/thumbnail`, {
    ...(o.token !== null ? { token: o.token ?? party.tokens.gm } : {}),
    raw: new Uint8Array(data),
    headers: { 'content-type': o.type ?? 'image/png' },
  });
const row = async (id = sceneId) =>
  (await server.database.db.select().from(scene).where(eq(scene.id, id)))[0]!;

describe('PUT /api/scenes/:id/thumbnail', () => {
  it('stores the picture as an upload and records it on the scene, leaving lastUpdated alone', async () => {
    const before = await row();
    const data = picture(256, 144);
    const res = await put(data);
    expect(res.status).toBe(200);
    expect(res.body.thumbnail).toMatch(/^\/uploads\/[A-Za-z0-9_-]+\.png$/);
    const after = await row();
    expect(after.thumbnailUrl).toBe(res.body.thumbnail);
    // Not scene content: a thumbnail must not look like drift or a newer save to the rooms.
    expect(after.lastUpdated).toBe(before.lastUpdated);
    const back = await fetch(server.url + res.body.thumbnail);
    expect(back.status).toBe(200);
    expect(Buffer.from(await back.arrayBuffer()).equals(data)).toBe(true);
  });

  it('accepts WebP, judged by its bytes', async () => {
    const res = await put(webpHeader(200, 100), { type: 'image/webp' });
    expect(res.status).toBe(200);
    expect(res.body.thumbnail).toMatch(/\.webp$/);
  });

  it('lists the thumbnail for GMs, in the session, its scenes and the load', async () => {
    const { thumbnail } = (await put(picture(64, 64))).body as { thumbnail: string };
    const id = party.gameSession.id;
    const token = party.tokens.gm;
    for (const path of [`/api/sessions/${id}`, `/api/sessions/${id}/scenes`, `/api/sessions/${id}/load`]) {
      const res = await server.api('GET', path, { token });
      expect(res.status).toBe(200);
      expect(res.body.scenes.find((s: { id: string }) => s.id === sceneId).thumbnail).toBe(thumbnail);
    }
    const internal = await server.internal('GET', `/internal/sessions/${id}`);
    expect(internal.body.scenes[0].thumbnail).toBe(thumbnail);
  });

  it('never shows players a thumbnail, not even of the scene they are shown', async () => {
    const { thumbnail } = (await put(picture(64, 64))).body as { thumbnail: string };
    const id = party.gameSession.id;
    expect(party.party.activeSceneId).toBe(sceneId);
    for (const path of [`/api/sessions/${id}`, `/api/sessions/${id}/scenes`, `/api/sessions/${id}/load`]) {
      const res = await server.api('GET', path, { token: party.tokens.player });
      expect(res.status).toBe(200);
      expect(res.body.scenes.map((s: { id: string }) => s.id)).toEqual([sceneId]);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('thumbnail');
      expect(text).not.toContain(thumbnail);
    }
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const big = Buffer.concat([picture(8, 8), Buffer.alloc(600 * 1024)]);
    const cases: [string, () => ReturnType<typeof put>, number, RegExp][] = [
      ['no token', () => put(picture(8, 8), { token: null }), 401, /token/i],
      ['a player token', () => put(picture(8, 8), { token: party.tokens.player }), 403, /gm token/i],
      ["another party's GM", () => put(picture(8, 8), { token: other.tokens.gm }), 403, /another party/],
      ['an unknown scene', () => put(picture(8, 8), { id: 'no-such-scene' }), 404, /scene "no-such-scene"/],
      ['a malformed scene id', () => put(picture(8, 8), { id: 'bad id!' }), 400, /sceneId must be an id/],
      ['an empty body', () => put(new Uint8Array(0)), 400, /empty/],
      [
        'HTML',
        () => put(Buffer.from('<html></html>'), { type: 'image/png' }),
        415,
        /image\/png or image\/webp/,
      ],
      [
        'a JPEG',
        () =>
          put(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60)]), {
            type: 'image/jpeg',
          }),
        415,
        /image\/png or image\/webp/,
      ],
      [
        'a declared type that disagrees',
        () => put(picture(8, 8), { type: 'image/webp' }),
        415,
        /contents are image\/png/,
      ],
      ['over 512 kB', () => put(big), 413, /512 kB/],
      ['a PNG over 512 px', () => put(picture(600, 4)), 400, /600×4/],
      ['a WebP over 512 px', () => put(webpHeader(20, 900), { type: 'image/webp' }), 400, /20×900/],
    ];
    for (const [what, send, status, message] of cases) {
      const files = stored();
      const db = await snapshot(server);
      const res = await send();
      expect({ what, status: res.status }).toEqual({ what, status });
      expect(res.body.error, what).toMatch(message);
      expect(stored(), what).toEqual(files);
      expect(await snapshot(server), what).toBe(db);
    }
  });

  it('keeps the current thumbnail through the upload sweep and collects the one it replaced', async () => {
    const first = (await put(picture(32, 32, 10))).body.thumbnail as string;
    const second = (await put(picture(32, 32, 250))).body.thumbnail as string;
    const file = (url: string) => join(server.dir, 'uploads', url.slice('/uploads/'.length));
    expect(existsSync(file(first))).toBe(true);
    const deleted = await sweepPartyUploads(server.database, join(server.dir, 'uploads'), party.party.id, 0);
    expect(deleted).toContain(first.slice('/uploads/'.length));
    expect(existsSync(file(first))).toBe(false);
    expect(existsSync(file(second))).toBe(true);
    expect((await row()).thumbnailUrl).toBe(second);
  });
});
