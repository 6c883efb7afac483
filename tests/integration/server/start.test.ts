import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const listening = (port: number) =>
  fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

let proc: ChildProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'tablestage-start-'));
afterAll(() => {
  if (proc?.pid && proc.exitCode === null) process.kill(-proc.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('migrates, seeds, serves API + editor + PartyKit, prints the links, and stops every child on SIGINT', async () => {
    const [app, partykit, editor] = [await freePort(), await freePort(), await freePort()];
    proc = spawn(join(root, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dir,
        APP_PORT: String(app),
        PARTYKIT_PORT: String(partykit),
        PORT: String(editor),
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const ready = () => /player link: (\S+)/.test(output) && /Ready on/.test(output) && /Local:/.test(output);
    while (!ready()) {
      if (proc.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const gmLink = /GM link:\s+(\S+)/.exec(output)![1]!;
    const playerLink = /player link:\s+(\S+)/.exec(output)![1]!;
    expect(gmLink).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${editor}/gm/[^/]+/[^/]+/[^/?]+\\?token=`));
    expect(playerLink).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${editor}/play/[^/?]+\\?token=`));

    // The editor's dev server forwards the API to the app server; the player token opens the demo party.
    const partyId = new URL(playerLink).pathname.split('/')[2]!;
    const token = new URL(playerLink).searchParams.get('token')!;
    const party = await fetch(`http://127.0.0.1:${editor}/api/parties/${partyId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(party.status).toBe(200);
    expect(((await party.json()) as { party: { name: string } }).party.name).toBe('Demo party');
    expect(await listening(partykit)).toBe(true);

    process.kill(proc.pid!, 'SIGINT');
    await new Promise((r) => proc!.once('exit', r));
    for (const port of [app, partykit, editor]) expect(await listening(port), `port ${port}`).toBe(false);
  });
});
