import { defineConfig, type Plugin } from 'vite';
import { realpathSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegenOnSchemaChange } from './engine/codegen/vitePlugin.ts';
import { securityHeaders } from './server/securityHeaders.ts';

/**
 * The editor's Vite config: the Lit app in `editor/`, built to `dist/`. In
 * development Vite serves the app and forwards the API and uploaded files to
 * the Node app server (`APP_PORT`), so the browser talks to one origin.
 * Unknown paths (`/gm/…`, `/play/…`) fall back to `index.html` (SPA routing).
 */
const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const appPort = Number(process.env.APP_PORT || 8787);
const partykitPort = Number(process.env.PARTYKIT_PORT || 1999);
const editorPort = Number(process.env.PORT || 5173);
const appServer = `http://127.0.0.1:${appPort}`;
// Loopback unless `npm start -- --lan` / TABLESTAGE_LAN=1 (scripts/lan.ts): then this is the one port
// a TV or phone needs, and it forwards `/parties` (the rooms' WebSockets) as well as the API.
const lan = ['1', 'true', 'yes', 'on'].includes((process.env.TABLESTAGE_LAN ?? '').toLowerCase());
const host = lan ? '0.0.0.0' : '127.0.0.1';
const partykitHost = process.env.PARTYKIT_HOST || `127.0.0.1:${partykitPort}`;
const dataDir = resolve(repoRoot, process.env.DATA_DIR || 'data');

/** Security headers (server/securityHeaders.ts) on everything Vite answers; proxied answers keep the app server's. */
function securityHeadersPlugin(): Plugin {
  const apply = (_req: unknown, res: ServerResponse, next: () => void) => {
    for (const [name, value] of Object.entries(securityHeaders('page', partykitHost)))
      res.setHeader(name, value);
    next();
  };
  return {
    name: 'tablestage-security-headers',
    configureServer: (server) => void server.middlewares.use(apply),
    configurePreviewServer: (server) => void server.middlewares.use(apply),
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./editor', import.meta.url)),
  appType: 'spa',
  plugins: [securityHeadersPlugin(), codegenOnSchemaChange()],
  publicDir: false,
  clearScreen: false,
  server: {
    host,
    port: editorPort,
    strictPort: true,
    fs: {
      strict: true,
      // Only what the editor imports: its own sources, the generic engine, plugins, schemas and the
      // packages. Never the repository root: it holds data/ (secrets.json, the database, uploads).
      allow: ['editor', 'engine', 'plugins', 'schemas']
        .map((d) => join(repoRoot, d))
        .concat(
          // node_modules may be a symlink; Vite checks real paths.
          realpathSync(join(repoRoot, 'node_modules')),
        ),
      deny: [
        '.env',
        '.env.*',
        '*.{crt,pem,key}',
        '**/.git/**',
        'secrets.json',
        '*.{db,db-*,sqlite,sqlite3}',
        `${dataDir}/**`,
      ],
    },
    proxy: {
      // xfwd: the app server's per-client limits see the browser's address, not Vite's (server/rateLimit.ts).
      '/api': { target: appServer, changeOrigin: false, xfwd: true },
      '/uploads': { target: appServer, changeOrigin: false, xfwd: true },
      ...(lan
        ? { '/parties': { target: `http://127.0.0.1:${partykitPort}`, ws: true, changeOrigin: false } }
        : {}),
    },
  },
  preview: { host, port: editorPort, strictPort: true },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  optimizeDeps: {
    // Scan every editor module (pages load lazily) so all dependencies, Babylon's deep imports
    // included, are pre-bundled at start: a dependency found later forces a full page reload.
    entries: ['index.html', '**/*.ts', '!**/*.test.ts', '!**/testing.ts'],
  },
});
