/**
 * A loopback HTTP relay between the rooms and the app server that counts the
 * rooms' calls (bench metric 11): the rooms get its URL as APP_URL, and every
 * request is forwarded unchanged to the real app server. Counts are kept per
 * path, with request bytes, so the bench can attribute each call to a table
 * by the ids in its path.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AppCall {
  readonly method: string;
  readonly path: string;
  readonly bytes: number;
}

export interface AppCallCounter {
  readonly url: string;
  readonly calls: AppCall[];
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => done(Buffer.concat(parts)));
    req.on('error', fail);
  });
}

/** Starts the relay in front of `appUrl` (http://host:port). */
export async function startAppCallCounter(appUrl: string): Promise<AppCallCounter> {
  const target = new URL(appUrl);
  const calls: AppCall[] = [];
  const server = createServer((req, res) => {
    void body(req).then(
      (data) => {
        calls.push({ method: req.method ?? 'GET', path: req.url ?? '/', bytes: data.byteLength });
        const forward = request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        forward.end(data);
      },
      () => res.destroy(),
    ); // the caller went away mid-request (the rooms stopping)
  });
  // workerd keeps connections to the app server open between calls; closing them idle loses calls.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
