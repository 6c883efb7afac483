/**
 * A fault-injecting HTTP proxy between the rooms and the app server. The
 * rooms' APP_URL points here, so a test can make the internal API
 * unreachable (connections reset), failing (503) or lying (200 with a body
 * that is not the session) — without touching the app server — and can read
 * the log of every request that went through, to check what was saved and
 * in which order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with the next requests. */
export type FaultMode = 'pass' | 'reset' | 'unavailable' | 'garbage';

/** One request that reached the proxy. */
export interface ProxyEntry {
  readonly method: string;
  readonly path: string;
  readonly mode: FaultMode;
  /** Status sent back (0: connection reset). */
  readonly status: number;
  /** Parsed JSON body of a forwarded write, if any. */
  readonly body: unknown;
}

export interface FaultProxy {
  readonly url: string;
  mode: FaultMode;
  /** Optional: only requests this matches get `mode`; the rest pass. */
  only: ((method: string, path: string) => boolean) | undefined;
  readonly log: ProxyEntry[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** Starts the proxy on a free port, forwarding to `target`. */
export function startFaultProxy(target: string): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = {
    url: '',
    mode: 'pass',
    only: undefined,
    log: [],
    close: () => Promise.resolve(),
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const applies = !proxy.only || proxy.only(method, path);
    const mode: FaultMode = applies ? proxy.mode : 'pass';
    let parsed: unknown;
    try {
      parsed = body.length ? JSON.parse(body.toString()) : undefined;
    } catch {
      parsed = undefined;
    }
    const record = (status: number) => proxy.log.push({ method, path, mode, status, body: parsed });
    if (mode === 'reset') {
      record(0);
      req.socket.destroy();
      return;
    }
    if (mode === 'unavailable') {
      record(503);
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'injected: service unavailable' }));
      return;
    }
    if (mode === 'garbage') {
      record(200);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"gameSessionId": "truncated", "scenes": [{"id": ');
      return;
    }
    try {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection')
          headers[k] = v;
      const upstream = await fetch(target + path, {
        method,
        headers,
        body: body.length && method !== 'GET' && method !== 'HEAD' ? new Uint8Array(body) : undefined,
      });
      const out = Buffer.from(await upstream.arrayBuffer());
      record(upstream.status);
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
      });
      res.end(out);
    } catch {
      // The app server itself is down: look exactly like it to the room.
      record(0);
      req.socket.destroy();
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      Object.assign(proxy, {
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((closed) => {
            for (const s of sockets) s.destroy();
            server.close(() => closed());
          }),
      });
      done(proxy);
    });
  });
}
