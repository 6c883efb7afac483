/**
 * Issue 12, finding 8: the app server sends its security headers on every kind
 * of answer — the built editor's pages and files, API data, API errors, the
 * internal API, uploaded files (downloaded, sandboxed) and their 404s — so a
 * page cannot be framed, a file cannot be sniffed into script, and no URL
 * (with its `?token=`) leaks through `Referer`.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../../server/png';
import { createParty, startTestServer, type TestServer } from '../server/harness';

let server: TestServer;
let staticDir: string;
let gm: string;
let partyId: string;
let upload: string;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'tablestage-dist-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><ts-app></ts-app>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'main-abc123.js'), 'export {};');
  server = await startTestServer({ staticDir, partykitHost: 'rooms.example.test' });
  const created = await createParty(server);
  gm = created.tokens.gm;
  partyId = created.party.id;
  const form = new FormData();
  form.append(
    'file',
    new Blob([new Uint8Array(encodePng(2, 2, new Uint8Array(16).fill(9)))], { type: 'image/png' }),
  );
  upload = (await server.api('POST', '/api/uploads', { token: gm, raw: form })).body.url as string;
});

afterAll(async () => {
  await server?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

const get = (path: string, token?: string) =>
  fetch(server.url + path, token ? { headers: { authorization: `Bearer ${token}` } } : {});

function expectBase(res: Response, what: string) {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
}

describe('security headers', () => {
  it('editor pages and files get the page policy: own scripts only, no framing, the rooms reachable', async () => {
    for (const path of ['/', '/gm/p/s/x', '/play/p', '/assets/main-abc123.js', '/missing.js']) {
      const res = await get(path);
      expectBase(res, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).not.toMatch(/unsafe-eval/);
      expect(csp, path).toContain('wss://rooms.example.test');
      expect(csp, path).toContain("object-src 'none'");
    }
  });

  it('API answers and API errors get the data-only policy', async () => {
    const cases: [string, number, string?][] = [
      ['/api/health', 200],
      ['/api/parties', 200, gm],
      ['/api/parties', 401],
      ['/api/parties', 401, 'forged'],
      ['/api/nothing-here', 404],
      ['/internal/sessions/x', 401],
    ];
    for (const [path, status, token] of cases) {
      const res = await get(path, token);
      expect(res.status, path).toBe(status);
      expectBase(res, path);
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'none'");
    }
    // Refused uploads and tickets, and a ticket itself: API answers too.
    const posts: [string, RequestInit, number][] = [
      ['/api/uploads', { body: new FormData() }, 401],
      ['/api/uploads', { headers: { authorization: `Bearer ${gm}` }, body: 'not a form' }, 415],
      ['/api/tickets', { headers: { authorization: `Bearer ${gm}` }, body: '{"party":"nope"}' }, 400],
      [
        '/api/tickets',
        {
          headers: { authorization: `Bearer ${gm}`, 'content-type': 'application/json' },
          body: JSON.stringify({ party: 'party', room: partyId }),
        },
        200,
      ],
    ];
    for (const [path, init, status] of posts) {
      const res = await fetch(server.url + path, { method: 'POST', ...init });
      expect(res.status, `POST ${path}`).toBe(status);
      expectBase(res, `POST ${path}`);
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'none'");
    }
  });

  it('uploads download instead of rendering, inside a sandbox; their 404s too', async () => {
    const res = await get(upload);
    expect(res.status).toBe(200);
    expectBase(res, upload);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9_-]+\.png"$/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('sandbox');
    expect(csp).toContain("default-src 'none'");
    const missing = await get('/uploads/aaaaaaaaaaaa.png');
    expect(missing.status).toBe(404);
    expectBase(missing, 'missing upload');
    expect(missing.headers.get('content-security-policy')).toContain('sandbox');
  });
});
