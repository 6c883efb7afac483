/**
 * `npm run deploy` as CI runs it, in `--dry-run` mode (no network): the
 * command it builds from the environment, the host it reports, the clear
 * refusals when a setting is missing, and secrets never printed. One run
 * goes past the dry run to a stand-in CLI (PARTYKIT_BIN) that records what
 * it was started with, since the real one needs a PartyKit account: no
 * secret in its arguments (what `ps` shows), the variables in a config
 * file only the user can read, and that file gone afterwards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function deploy(env: Record<string, string>, ...flags: string[]) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(PARTYKIT_|CLOUDFLARE_|TOKEN_SECRET|INTERNAL_SECRET|APP_URL)/.test(k),
    ),
  );
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/deploy.ts', ...flags], {
    cwd: ROOT,
    env: { ...clean, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

const room = {
  TOKEN_SECRET: 'token-secret-that-is-long-enough',
  INTERNAL_SECRET: 'internal-secret-that-is-long-enough',
  APP_URL: 'https://app.example.com',
};

describe('npm run deploy', () => {
  it('deploys to a Cloudflare account with name, domain and room variables, masking secrets', () => {
    const r = deploy(
      {
        ...room,
        PARTYKIT_NAME: 'tablestage',
        PARTYKIT_DOMAIN: 'rooms.example.com',
        CLOUDFLARE_ACCOUNT_ID: 'acct',
        CLOUDFLARE_API_TOKEN: 'cf-token',
      },
      '--dry-run',
    );
    expect(r.status).toBe(0);
    expect(r.out).toContain('partykit deploy --name tablestage --domain rooms.example.com --with-vars');
    expect(r.out).toContain('variables TOKEN_SECRET, INTERNAL_SECRET, APP_URL from a private config file');
    expect(r.out).not.toContain('--var ');
    expect(r.out).toContain('host: rooms.example.com');
    expect(r.out).not.toContain(room.TOKEN_SECRET);
    expect(r.out).not.toContain(room.INTERNAL_SECRET);
    expect(r.out).not.toContain('cf-token');
  });

  it('reports the partykit.dev host on the managed platform', () => {
    const r = deploy({ ...room, PARTYKIT_NAME: 'tablestage-pr-7', PARTYKIT_LOGIN: 'octocat' }, '--dry-run');
    expect(r.status).toBe(0);
    expect(r.out).toContain('host: tablestage-pr-7.octocat.partykit.dev');
  });

  it('refuses with a clear message when a setting is missing or wrong', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PARTYKIT_NAME: 'tablestage' }, /set TOKEN_SECRET, INTERNAL_SECRET, APP_URL/],
      [{ ...room, PARTYKIT_NAME: 'Bad Name!' }, /PARTYKIT_NAME must be/],
      [{ ...room, CLOUDFLARE_ACCOUNT_ID: 'a', CLOUDFLARE_API_TOKEN: 't' }, /needs PARTYKIT_DOMAIN/],
      [
        { ...room, CLOUDFLARE_ACCOUNT_ID: 'a', PARTYKIT_DOMAIN: 'rooms.example.com' },
        /both CLOUDFLARE_ACCOUNT_ID/,
      ],
      [{ ...room, TOKEN_SECRET: 'short' }, /TOKEN_SECRET must be at least 16/],
    ];
    for (const [env, message] of cases) {
      const r = deploy(env, '--dry-run');
      expect(r.status, r.out).toBe(2);
      expect(r.out).toMatch(message);
    }
  });

  it('hands the variables to partykit in a private config file, never in its arguments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tablestage-deploy-test-'));
    const record = join(dir, 'record.json');
    const bin = join(dir, 'partykit');
    // The stand-in CLI: records its arguments, and the --config file's mode and contents.
    writeFileSync(
      bin,
      `#!${process.execPath}
const fs = require('node:fs');
const argv = process.argv.slice(2);
const file = argv[argv.indexOf('--config') + 1];
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({
  argv, file, mode: fs.statSync(file).mode & 0o777, dirMode: fs.statSync(require('node:path').dirname(file)).mode & 0o777,
  config: JSON.parse(fs.readFileSync(file, 'utf8')),
}));
`,
      { mode: 0o700 },
    );
    try {
      const r = deploy({
        ...room,
        PARTYKIT_NAME: 'tablestage',
        PARTYKIT_LOGIN: 'octocat',
        PARTYKIT_BIN: bin,
      });
      expect(r.status, r.out).toBe(0);
      const seen = JSON.parse(readFileSync(record, 'utf8')) as {
        argv: string[];
        file: string;
        mode: number;
        dirMode: number;
        config: { vars: Record<string, string>; parties: Record<string, string>; main: string };
      };
      const args = seen.argv.join(' ');
      expect(args).toContain('deploy --name tablestage --with-vars --config ');
      expect(args).not.toContain(room.TOKEN_SECRET);
      expect(args).not.toContain(room.INTERNAL_SECRET);
      expect(seen.mode).toBe(0o600);
      expect(seen.dirMode).toBe(0o700);
      expect(seen.config.vars).toEqual(room);
      // The copied config still finds the rooms' code from its temporary folder.
      for (const path of [seen.config.main, ...Object.values(seen.config.parties)])
        expect(existsSync(path), path).toBe(true);
      expect(existsSync(seen.file)).toBe(false);
      expect(r.out).not.toContain(room.TOKEN_SECRET);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletes a pull request deployment by name', () => {
    const r = deploy({ PARTYKIT_NAME: 'tablestage-pr-7' }, '--delete', '--dry-run');
    expect(r.status).toBe(0);
    expect(r.out).toContain('partykit delete --name tablestage-pr-7 --force');
  });
});
