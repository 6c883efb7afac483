import { defineConfig } from 'vitest/config';

/**
 * Node-side suites. Browser suites (Lit components, WebGL pixels) run under
 * web-test-runner in Debian's Chromium; see web-test-runner.config.mjs.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['{engine,plugins,server,partykit,editor,schemas,bench}/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**', '**/generated/**'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
