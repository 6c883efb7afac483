import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../../server/png';
import { createParty, startTestServer, type TestServer } from './harness';

const LIMIT = 64 * 1024;
let server: TestServer;
let gm: string;
let player: string;
beforeAll(async () => {
  server = await startTestServer({ maxUploadBytes: LIMIT });
  const p = await createParty(server);
  gm = p.tokens.gm;
  player = p.tokens.player;
});
afterAll(() => server.close());

const png = encodePng(2, 2, new Uint8Array(16).fill(200));
/** The smallest headers each format is recognised by, padded to look like a file. */
const samples: Record<string, Uint8Array> = {
  'image/png': png,
  'image/jpeg': Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60)]),
  'image/gif': Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(60)]),
  'image/webp': Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.from([60, 0, 0, 0]),
    Buffer.from('WEBPVP8 '),
    Buffer.alloc(48),
  ]),
  'video/mp4': Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(52)]),
  'video/webm': Buffer.concat([
    Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]),
    Buffer.from('webm'),
    Buffer.alloc(52),
  ]),
};
const stored = () => readdirSync(join(server.dir, 'uploads')).filter((f) => !f.startsWith('.'));
/** Uploads as the GM unless another token (or `null`: none) is given. */
const upload = (data: Uint8Array, type: string, token: string | null = gm) =>
  server.api('POST', '/api/uploads', {
    ...(token !== null ? { token } : {}),
    raw: new Uint8Array(data),
    headers: { 'content-type': type },
  });

describe('POST /api/uploads', () => {
  it.each(Object.entries(samples))(
    'stores %s recognised by its bytes and serves it back',
    async (mime, data) => {
      const res = await upload(data, 'application/octet-stream');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type: mime, size: data.byteLength });
      expect(res.body.url).toMatch(/^\/uploads\/[A-Za-z0-9_-]+\.[a-z0-9]+$/);
      const back = await fetch(server.url + res.body.url);
      expect(back.status).toBe(200);
      expect(back.headers.get('content-type')).toBe(mime);
      expect(back.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await back.arrayBuffer()).equals(Buffer.from(data))).toBe(true);
    },
  );

  it('accepts multipart form uploads in the field "file"', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'map.png');
    const res = await server.api('POST', '/api/uploads', { token: gm, raw: form });
    expect(res.status).toBe(201);
    expect(res.body.type).toBe('image/png');
  });

  it('serves byte ranges, which video seeking needs', async () => {
    const res = await upload(samples['video/mp4']!, 'video/mp4');
    const part = await fetch(server.url + res.body.url, { headers: { range: 'bytes=4-11' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1')).toBe('ftypisom');
  });

  it('refuses files whose bytes are no accepted format, or disagree with their declared type', async () => {
    const before = stored();
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const r1 = await upload(html, 'image/png');
    expect(r1).toMatchObject({ status: 415, body: { field: 'file' } });
    const r2 = await upload(samples['image/jpeg']!, 'image/png');
    expect(r2.status).toBe(415);
    expect(r2.body.error).toMatch(/image\/jpeg/);
    expect((await upload(new Uint8Array(0), 'image/png')).status).toBe(400);
    const form = new FormData();
    form.append('other', new Blob([new Uint8Array(png)]), 'map.png');
    expect((await server.api('POST', '/api/uploads', { token: gm, raw: form })).status).toBe(400);
    expect(stored()).toEqual(before);
  });

  it('refuses files over the size limit with 413 and stores nothing', async () => {
    const before = stored();
    const big = Buffer.concat([png, Buffer.alloc(LIMIT)]);
    const res = await upload(big, 'image/png');
    expect(res).toMatchObject({ status: 413, body: { field: 'file' } });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(big)], { type: 'image/png' }), 'big.png');
    expect((await server.api('POST', '/api/uploads', { token: gm, raw: form })).status).toBe(413);
    expect(stored()).toEqual(before);
  });

  it('needs a GM token', async () => {
    const before = stored();
    expect((await upload(png, 'image/png', null)).status).toBe(401);
    expect((await upload(png, 'image/png', 'junk')).status).toBe(401);
    expect((await upload(png, 'image/png', player)).status).toBe(403);
    expect(stored()).toEqual(before);
  });
});

describe('GET /uploads/<name>', () => {
  it('serves only generated names: no other folders, dot files or encoded tricks', async () => {
    const { body } = await upload(png, 'image/png');
    const name = (body.url as string).slice('/uploads/'.length);
    for (const path of [
      '/uploads/../secrets.json',
      '/uploads/..%2fsecrets.json',
      '/uploads/%2e%2e/secrets.json',
      '/uploads/..%5csecrets.json',
      `/uploads/.tmp-${name}`,
      '/uploads/secrets.json',
      '/uploads/test.db',
      `/uploads/${name}/x`,
      '/uploads/nonexistent12345.png',
    ]) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toMatch(/tokenSecret|SQLite/);
    }
  });
});
