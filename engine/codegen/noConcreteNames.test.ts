import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registry } from '../generated/schemas';
import { editorPlugins } from '../../editor/generated/plugins';

/**
 * The architecture's one rule: only `schemas/` and `plugins/` (and generated
 * code) name concrete plugins. Everything else iterates the registry and the
 * registered plugin runtimes, so a new plugin needs no edit there: no import
 * from `plugins/`, no plugin name or collection key, no tool id, no channel
 * prefix. Tests may use names as data.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['engine', 'editor', 'server', 'partykit', 'scripts'];
const EXEMPT = /(^|\/)generated\/|\.test\.ts$|(^|\/)node_modules\//;

// Names that are also ordinary words of the framework itself are not checked:
// `scene` (the view plugin; also the entity every scene plugin attaches to) and
// `select` (the selecting tool; also an inspector control kind).
const GENERIC = new Set(['scene', 'select']);

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

const quoted = (word: string) => `['"\`]${word}['"\`]`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Every concrete name the core must not spell, with the pattern that finds it in a line of code. */
export function concreteNames(): { name: string; re: RegExp }[] {
  const keys = registry.plugins.map((p) => p.key).filter((k) => !GENERIC.has(k));
  const names = registry.plugins.map((p) => p.name).filter((n) => !GENERIC.has(n) && !keys.includes(n));
  const tools = editorPlugins.flatMap((r) => (r.tools ?? []).map((t) => t.id)).filter((k) => !GENERIC.has(k));
  return [
    // Keys are StageProps paths: quoted, or read as `props.key.prop`.
    ...keys.map((n) => ({
      name: n,
      re: new RegExp(`${quoted(n)}|(?<=[\\w\\])])\\.${n}\\.|\\b${n}Props\\b`),
    })),
    // Names are spelled as strings (`registry.plugin('…')`); `x.name.y` is too common to be one.
    ...names.map((n) => ({ name: n, re: new RegExp(quoted(n)) })),
    ...tools.map((id) => ({ name: `tool ${id}`, re: new RegExp(quoted(id)) })),
    ...registry.channels.map((c) => ({
      name: `channel prefix ${c.decl.prefix}`,
      re: new RegExp(`['"\`]${escape(c.decl.prefix)}`),
    })),
  ];
}

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/;

/**
 * The lines of `source` (the file at `file`, relative to the repository)
 * that name something concrete or import from the top-level `plugins/`
 * folder (comments aside).
 */
export function offendingLines(
  source: string,
  patterns: readonly { name: string; re: RegExp }[],
  file = 'editor/x.ts',
): string[] {
  const plugins = join(root, 'plugins');
  const out: string[] = [];
  source.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
    for (const { name, re } of patterns) if (re.test(line)) out.push(`${i + 1} names ${name}`);
    const spec = IMPORT.exec(line)?.[1];
    const target = spec?.startsWith('.') ? resolve(dirname(join(root, file)), spec) : undefined;
    if (target && (target === plugins || target.startsWith(plugins + sep)))
      out.push(`${i + 1} imports from plugins/`);
  });
  return out;
}

describe('the guard itself', () => {
  const patterns = concreteNames();
  it('catches a tool id, a plugin name, a collection key, a channel prefix and an import from plugins/', () => {
    const tool = editorPlugins.flatMap((r) => r.tools ?? []).find((t) => !GENERIC.has(t.id))!;
    const plugin = registry.plugins.find((p) => p.attachTo === 'collection' && p.key !== p.name)!;
    const channel = registry.channels[0]!;
    for (const line of [
      `const t = '${tool.id}';`,
      `registry.plugin('${plugin.name}');`,
      `props["${plugin.key}"]`,
      `blobs.get(\`${channel.decl.prefix}0_0\`)`,
      "import { x } from '../../plugins/anything/index';",
    ])
      expect(offendingLines(line, patterns, 'editor/state/x.ts'), line).not.toEqual([]);
    // An editor module of its own called plugins is not the plugins folder.
    expect(offendingLines("import { PLUGINS } from './plugins';", patterns, 'editor/state/x.ts')).toEqual([]);
  });

  it('lets comments and generic words through', () => {
    expect(offendingLines(`// the '${registry.plugins[0]!.name}' plugin`, patterns)).toEqual([]);
    expect(offendingLines("const view = 'scene';", patterns)).toEqual([]);
  });
});

describe('no concrete names outside schemas/ and plugins/', () => {
  const patterns = concreteNames();

  for (const dir of SCANNED)
    it(`${dir}/ iterates the registry and the registered plugins`, () => {
      const offenders: string[] = [];
      for (const file of sourceFiles(dir))
        for (const o of offendingLines(readFileSync(join(root, file), 'utf8'), patterns, file))
          offenders.push(`${file}:${o}`);
      expect(offenders).toEqual([]);
    });
});
