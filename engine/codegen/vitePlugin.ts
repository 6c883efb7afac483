import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Reruns `npm run codegen` when a schema file changes while the dev server
 * runs, so a plugin author sees the new property in the inspector at once.
 * Codegen runs in a child process: schema modules must be imported afresh.
 */
export function codegenOnSchemaChange(): Plugin {
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): Promise<void> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'engine/codegen/cli.ts'], {
        cwd: root,
        stdio: 'inherit',
      });
      child.on('exit', () => resolve());
    });
  const schedule = () => {
    if (running) {
      again = true;
      return;
    }
    running = run().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        schedule();
      }
    });
  };
  return {
    name: 'tablestage-codegen',
    apply: 'serve',
    configureServer(server) {
      const isSchema = (file: string) => /[\\/]schemas[\\/][^\\/]+\.schema\.ts$/.test(file);
      server.watcher.add(`${root}schemas`);
      for (const event of ['add', 'change', 'unlink'] as const)
        server.watcher.on(event, (file) => {
          if (isSchema(file)) schedule();
        });
    },
  };
}
