/**
 * Production: the app server alone serves the built editor, so one process
 * (plus the rooms) is a deployment. Links to `/gm/…` and `/play/…` open the
 * app; API, internal and upload paths keep their own answers.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness';

let server: TestServer;

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'tablestage-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><title>Tablestage</title><script src="/assets/app-1a2b.js"></script>',
  );
  writeFileSync(join(dist, 'assets/app-1a2b.js'), 'console.log("tablestage")');
  server = await startTestServer({ staticDir: dist });
});

afterAll(() => server?.close());

describe('the built editor', () => {
  it('answers app links with index.html, uncached', async () => {
    for (const path of ['/', '/gm/p1/g1/s1', '/play/p1?token=x']) {
      const res = await server.api('GET', path);
      expect(res.status, path).toBe(200);
      expect(String(res.body)).toContain('<title>Tablestage</title>');
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
  });

  it('serves hashed assets with a long cache', async () => {
    const res = await server.api('GET', '/assets/app-1a2b.js');
    expect(res.status).toBe(200);
    expect(res.body).toBe('console.log("tablestage")');
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('leaves API, internal and upload paths to their own routes', async () => {
    expect(await server.api('GET', '/api/no-such-route')).toMatchObject({
      status: 404,
      body: { error: expect.any(String) },
    });
    expect((await server.api('GET', '/uploads/not-an-upload.png')).status).toBe(404);
    expect(String((await server.api('GET', '/assets/../../../../etc/passwd')).body)).not.toContain('root:');
    expect((await server.api('GET', '/internal/sessions/x')).status).toBe(401);
    expect((await server.api('GET', '/api/health')).body).toMatchObject({ ok: true });
  });
});
