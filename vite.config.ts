import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { codegenOnSchemaChange } from './engine/codegen/vitePlugin.ts';

/**
 * The editor's Vite config: the Lit app in `editor/`, built to `dist/`. In
 * development Vite serves the app and forwards the API and uploaded files to
 * the Node app server (`APP_PORT`), so the browser talks to one origin.
 * Unknown paths (`/gm/…`, `/play/…`) fall back to `index.html` (SPA routing).
 */
const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const appPort = Number(process.env.APP_PORT || 8787);
const editorPort = Number(process.env.PORT || 5173);
const appServer = `http://127.0.0.1:${appPort}`;
// Loopback by default; `EDITOR_HOST=0.0.0.0` lets a TV or tablet on the LAN open the player view
// (set PARTYKIT_HOST to an address those devices can reach too).
const host = process.env.EDITOR_HOST || '127.0.0.1';

export default defineConfig({
  root: fileURLToPath(new URL('./editor', import.meta.url)),
  appType: 'spa',
  plugins: [codegenOnSchemaChange()],
  publicDir: false,
  clearScreen: false,
  server: {
    host,
    port: editorPort,
    strictPort: true,
    // The editor imports engine/, plugins/ and generated code from outside its root.
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': { target: appServer, changeOrigin: false },
      '/uploads': { target: appServer, changeOrigin: false },
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
