import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/**
 * The built editor (`npm run build` → `dist/`) in production: files as they
 * are, and `index.html` for every other GET that is not an API or upload
 * path, so `/gm/…` and `/play/…` links open the app (it routes in the
 * browser). Hashed assets are cached for a year; `index.html` never is, so a
 * deploy reaches users on their next load.
 */
export function editorAssets(staticDir: string): Hono {
  const indexFile = join(staticDir, 'index.html');
  const app = new Hono();
  app.use(
    '/assets/*',
    async (c, next) => {
      await next();
      if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    },
    serveStatic({ root: staticDir }),
  );
  // Only paths naming a file (favicon.svg, robots.txt…); `/` and app routes get index.html below.
  const serveFile = serveStatic({ root: staticDir });
  app.use('/*', (c, next) => (/\.[a-z0-9]+$/i.test(c.req.path) ? serveFile(c, next) : next()));
  app.get('*', (c) => {
    if (/^\/(api|internal|uploads)(\/|$)/.test(c.req.path)) return c.notFound();
    if (!existsSync(indexFile)) return c.notFound();
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(indexFile, 'utf8'));
  });
  return app;
}
