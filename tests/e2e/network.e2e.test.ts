/**
 * What `npm start` exposes to the network (issue 12, findings 1 and 2), on
 * the real stack: the listening sockets of its whole process tree, read from
 * /proc (nothing but loopback is ever contacted), the inspector that
 * `partykit dev` used to open, secrets in process arguments, and Vite's
 * `/@fs/` access to the data folder. LAN mode is checked by bind address
 * only; its "LAN address" is set to 127.0.0.1 so every request stays local.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from './stack';
import { commandLine, isLoopback, listeningSockets, processTree } from './sockets';
import { canvasDigest, launchChromium, waitLive } from './browser';

const ROOT = resolve(import.meta.dirname, '../..');
const portOf = (url: string) => Number(new URL(url).port);

/** GET with the path exactly as written (fetch would normalise `..` and encodings away). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('latin1')));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Whether a loopback port answers like a V8 inspector (`/json/version` with a protocol version). */
async function isInspector(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(3000) });
    const text = await res.text();
    return /Protocol-Version|webSocketDebuggerUrl/i.test(text);
  } catch {
    return false;
  }
}

describe('npm start (default)', () => {
  let stack: RunningStack;
  // Inside the repository, where the default ./data lives: the place Vite used to serve.
  beforeAll(async () => {
    stack = await startStack({ dataParent: join(ROOT, 'data') });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('listens on loopback only, on the three documented ports plus internal loopback ones, with no inspector', async () => {
    const sockets = listeningSockets(stack.pid);
    const exposed = sockets.filter((s) => !isLoopback(s.address));
    expect(exposed, JSON.stringify(exposed, null, 2)).toEqual([]);
    const ports = new Set(sockets.map((s) => s.port));
    for (const port of [portOf(stack.editorUrl), portOf(stack.appUrl), stack.partykitPort])
      expect(ports).toContain(port);
    expect(ports).not.toContain(9229);
    for (const port of ports) expect(await isInspector(port), `port ${port} is an inspector`).toBe(false);
  });

  it('passes no secret in any process argument', () => {
    const secrets = JSON.parse(readFileSync(join(stack.dataDir, 'secrets.json'), 'utf8')) as Record<
      string,
      string
    >;
    const commands = processTree(stack.pid).map(commandLine);
    expect(commands.length).toBeGreaterThan(3);
    for (const secret of Object.values(secrets))
      for (const command of commands) expect(command).not.toContain(secret);
  });

  it('refuses /@fs/ requests for the secrets, the database and anything outside the editor sources', async () => {
    const editorPort = portOf(stack.editorUrl);
    const data = stack.dataDir;
    const paths = [
      `/@fs${data}/secrets.json`,
      `/@fs${data}/secrets.json?raw`,
      `/@fs${data}/secrets.json?import&raw`,
      `/@fs${data}/tablestage.db`,
      `/@fs${data}/tablestage.db?url`,
      `/@fs${ROOT}/package.json`,
      `/@fs/etc/passwd`,
      `/@fs${ROOT}/editor/../${data.slice(ROOT.length + 1)}/secrets.json`,
      `/@fs${data}%2Fsecrets.json`,
    ];
    const secrets = readFileSync(join(data, 'secrets.json'), 'utf8');
    const tokenSecret = (JSON.parse(secrets) as { tokenSecret: string }).tokenSecret;
    for (const path of paths) {
      const res = await rawGet(editorPort, path);
      // Refused, or (for a path Vite does not take as a file) the app's own index.html.
      if (res.status === 200) expect(res.body, path).toContain('<ts-app>');
      else expect([403, 404], `${path} answered ${res.status}`).toContain(res.status);
      expect(res.body).not.toContain(tokenSecret);
      expect(res.body).not.toContain('SQLite format');
    }
    // The editor's own sources are still served.
    expect((await rawGet(editorPort, `/@fs${ROOT}/engine/schema/index.ts`)).status).toBe(200);
  });

  it('sends the security headers on every kind of answer through the editor port', async () => {
    const editorPort = portOf(stack.editorUrl);
    const cases: [string, RegExp][] = [
      ['/', /script-src 'self'(;|$)/],
      ['/play/some-party', /script-src 'self'(;|$)/],
      ['/main.ts', /script-src 'self'(;|$)/],
      [`/@fs${stack.dataDir}/secrets.json`, /script-src 'self'(;|$)/],
      // Proxied to the app server: its data-only policy.
      ['/api/health', /default-src 'none'/],
      ['/api/no-such-route', /default-src 'none'/],
    ];
    for (const [path, policy] of cases) {
      const res = await fetch(`http://127.0.0.1:${editorPort}${path}`);
      await res.arrayBuffer();
      expect(res.headers.get('content-security-policy') ?? '', path).toMatch(policy);
      expect(res.headers.get('content-security-policy') ?? '', path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('runs the GM and player pages under the policy: live, drawn, no violation reported, no token in a WebSocket URL', async () => {
    const browser = await launchChromium();
    try {
      for (const link of [stack.demo.gm, stack.demo.player]) {
        const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
        const page = await context.newPage();
        const violations: string[] = [];
        const sockets: string[] = [];
        page.on('websocket', (ws) => sockets.push(ws.url()));
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
        });
        await page.addInitScript(() =>
          document.addEventListener('securitypolicyviolation', (e) =>
            console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
          ),
        );
        await page.goto(link);
        // The first load waits for Vite to bundle the editor's dependencies.
        await waitLive(page, 150_000);
        // The map was drawn: the canvas is not one flat colour.
        expect(new Set(await canvasDigest(page)).size, link).toBeGreaterThan(1);
        expect(violations, link).toEqual([]);
        // Both rooms were reached with one-use tickets; the link's token stayed out of every URL.
        const token = new URL(link).searchParams.get('token')!;
        const rooms = sockets.filter((u) => u.includes('/parties/'));
        expect(rooms.length, link).toBeGreaterThanOrEqual(2);
        for (const url of rooms) {
          expect(url).toMatch(/[?&]ticket=/);
          expect(url).not.toMatch(/[?&]token=/);
          expect(url).not.toContain(encodeURIComponent(token));
          expect(url).not.toContain(token);
        }
        await context.close();
      }
    } finally {
      await browser.close();
    }
  }, 360_000);
});

describe('npm start in LAN mode', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ env: { TABLESTAGE_LAN: '1', TABLESTAGE_LAN_ADDRESS: '127.0.0.1' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('opens the editor port alone to the network; the API and the rooms stay on loopback', () => {
    const sockets = listeningSockets(stack.pid);
    const exposed = sockets.filter((s) => !isLoopback(s.address));
    expect(exposed.map((s) => s.port)).toEqual([portOf(stack.editorUrl)]);
    expect(sockets.map((s) => s.port)).not.toContain(9229);
    expect(stack.output()).toMatch(/player link on the LAN: http:\/\/127\.0\.0\.1:\d+\/play\//);
  });

  it('lets a player reach the rooms and the API through the editor port', async () => {
    const editorPort = portOf(stack.editorUrl);
    // The rooms answer through Vite's forward: an unauthenticated request is refused by them, not by Vite.
    const rooms = await rawGet(editorPort, '/parties/game_session/nope');
    expect(rooms.status).toBe(401);
    const player = new URL(stack.demo.player);
    const token = player.searchParams.get('token') ?? '';
    const parties = await fetch(`${stack.editorUrl}/api/parties`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(parties.status).toBe(200);
    const { gameSessions } = (await (
      await fetch(`${stack.editorUrl}/api/parties/${player.pathname.split('/')[2]}/sessions`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as { gameSessions: { id: string }[] };
    const first = gameSessions[0];
    const load = (await (
      await fetch(`${stack.editorUrl}/api/sessions/${first!.id}/load`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as { partykitHost: string };
    expect(load.partykitHost).toBe(`127.0.0.1:${editorPort}`);
  });
});
