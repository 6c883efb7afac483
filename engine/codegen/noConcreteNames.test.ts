import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registry } from '../generated/schemas';

/**
 * The architecture's one rule: only `schemas/` and `plugins/` (and generated
 * code) name concrete plugins. Everything else iterates the registry, so a
 * new plugin needs no edit there. Tests may use names as data.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['engine', 'editor', 'server', 'partykit', 'scripts'];
const EXEMPT = /(^|\/)generated\/|\.test\.ts$|(^|\/)node_modules\//;

// Plugin keys that are also ordinary words of the framework itself are not checked.
const GENERIC = new Set(['scene']);

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((f) => !EXEMPT.test(f));
}

describe('no concrete property names outside schemas/ and plugins/', () => {
  const names = registry.plugins.map((p) => p.key).filter((k) => !GENERIC.has(k));
  const patterns = names.map((n) => ({
    name: n,
    re: new RegExp(`['"\`]${n}['"\`]|(?<=[\\w\\])])\\.${n}\\.|\\b${n}Props\\b`),
  }));

  for (const dir of SCANNED)
    it(`${dir}/ iterates the registry`, () => {
      const offenders: string[] = [];
      for (const file of sourceFiles(dir)) {
        const lines = readFileSync(join(root, file), 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
          for (const { name, re } of patterns)
            if (re.test(line)) offenders.push(`${file}:${i + 1} names "${name}"`);
        });
      }
      expect(offenders).toEqual([]);
    });
});
