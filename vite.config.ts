import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { codegenOnSchemaChange } from './engine/codegen/vitePlugin';

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

export default defineConfig({
  root: fileURLToPath(new URL('./editor', import.meta.url)),
  appType: 'spa',
  plugins: [codegenOnSchemaChange()],
  publicDir: false,
  clearScreen: false,
  server: {
    host: '127.0.0.1',
    port: editorPort,
    strictPort: true,
    // The editor imports engine/, plugins/ and generated code from outside its root.
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': { target: appServer, changeOrigin: false },
      '/uploads': { target: appServer, changeOrigin: false },
    },
  },
  preview: { host: '127.0.0.1', port: editorPort, strictPort: true },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  optimizeDeps: {
    // Pre-bundle what the editor always loads, so the first page view does not trigger a reload.
    include: ['lit', '@lit-labs/signals', 'yjs', 'y-partykit', 'partysocket', 'immer', 'mitt'],
  },
});
