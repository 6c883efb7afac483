import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, loadOrCreateSecrets } from './config';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'tablestage-config-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const cwd = temp();
    const c = loadConfig({}, cwd);
    expect(c).toMatchObject({
      appPort: 8787,
      partykitPort: 1999,
      editorPort: 5173,
      dataDir: join(cwd, 'data'),
      databaseUrl: `file:${join(cwd, 'data', 'tablestage.db')}`,
      partykitHost: '127.0.0.1:1999',
      partykitUrl: 'http://127.0.0.1:1999',
    });
  });

  it('takes every setting from the environment', () => {
    const cwd = temp();
    const c = loadConfig(
      {
        APP_PORT: '9000',
        PARTYKIT_PORT: '9001',
        PORT: '9002',
        DATA_DIR: 'elsewhere',
        DATABASE_URL: 'libsql://db.example.com',
        DATABASE_AUTH_TOKEN: 'tok',
        TOKEN_SECRET: 'a'.repeat(32),
        INTERNAL_SECRET: 'b'.repeat(32),
      },
      cwd,
    );
    expect(c).toMatchObject({
      appPort: 9000,
      partykitPort: 9001,
      editorPort: 9002,
      dataDir: join(cwd, 'elsewhere'),
      databaseUrl: 'libsql://db.example.com',
      databaseAuthToken: 'tok',
      tokenSecret: 'a'.repeat(32),
      internalSecret: 'b'.repeat(32),
      partykitHost: '127.0.0.1:9001',
    });
  });

  it('refuses ports that are not ports and secrets that are too short', () => {
    const cwd = temp();
    expect(() => loadConfig({ APP_PORT: 'eighty' }, cwd)).toThrow(/APP_PORT/);
    expect(() => loadConfig({ PORT: '70000' }, cwd)).toThrow(/PORT/);
    expect(() => loadConfig({ TOKEN_SECRET: 'short' }, cwd)).toThrow(/TOKEN_SECRET/);
  });
});

describe('loadOrCreateSecrets', () => {
  it('generates secrets once, readable by the owner only, and reuses them', () => {
    const dir = join(temp(), 'data');
    const first = loadOrCreateSecrets(dir);
    expect(first.tokenSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.tokenSecret).not.toBe(first.internalSecret);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o077).toBe(0);
    expect(loadOrCreateSecrets(dir)).toEqual(first);
    expect(loadConfig({ DATA_DIR: dir }, '/').tokenSecret).toBe(first.tokenSecret);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual(first);
  });

  it('says how to recover from a damaged file instead of silently replacing it', () => {
    const dir = temp();
    writeFileSync(join(dir, 'secrets.json'), '{"tokenSecret": 1}');
    expect(() => loadOrCreateSecrets(dir)).toThrow(/delete it/);
  });
});
