/**
 * `npm run codegen` — regenerate everything derived from schemas/*.schema.ts and
 * the plugin folders (plugins/<name>/index.ts and room.ts).
 * `npm run codegen -- --check` — fail (naming the files) when committed output is stale.
 * `--root <dir>` runs on another tree (a plugin author's fixture, a test's temp copy).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveConfig } from 'prettier';
import { createRegistry, SchemaError, type PluginSchema, type SchemaSource } from '../schema';
import { discoverPlugins } from './discover';
import { generate, type FileTree } from './generate';
import { fixLatestMigration } from './migrationFix';

const GENERATED_DIRS = ['engine/generated', 'editor/generated', 'partykit/generated'];
const MIGRATIONS = 'engine/generated/migrations';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const rootArg = argv.indexOf('--root');
  const root = rootArg >= 0 ? resolve(argv[rootArg + 1] ?? '.') : repoRoot;

  let sources: SchemaSource[];
  let tree: FileTree;
  try {
    sources = await loadSchemas(root);
    const registry = createRegistry(sources);
    const plugins = await discoverPlugins(root, registry);
    const prettier = (await resolveConfig(join(repoRoot, 'package.json'))) ?? {};
    tree = await generate(registry, sources, prettier, plugins);
  } catch (e) {
    if (e instanceof SchemaError) {
      console.error(`codegen: schema error — ${e.message}`);
      return 1;
    }
    throw e;
  }

  if (check) {
    const stale = staleFiles(root, tree);
    const migration = pendingMigration(root);
    if (stale.length > 0 || migration.length > 0) {
      console.error('codegen: generated code is stale; run `npm run codegen` and commit the result.');
      for (const f of [...stale, ...migration]) console.error(`  ${f}`);
      return 1;
    }
    console.log(`codegen: ${Object.keys(tree).length} generated files and the migrations are up to date.`);
    return 0;
  }

  for (const f of extraFiles(root, tree)) rmSync(join(root, f));
  for (const [path, contents] of Object.entries(tree)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file) || readFileSync(file, 'utf8') !== contents) writeFileSync(file, contents);
  }
  drizzleGenerate(root, join(root, MIGRATIONS));
  if (fixLatestMigration(join(root, MIGRATIONS)))
    console.log('codegen: fixed the column copy of the new migration.');
  console.log(`codegen: wrote ${Object.keys(tree).length} files from ${sources.length} schema files.`);
  return 0;
}

/** Every `schemas/*.schema.ts` under root, imported, with its path for error messages. */
async function loadSchemas(root: string): Promise<SchemaSource[]> {
  const dir = join(root, 'schemas');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.schema.ts'))
    .sort();
  const sources: SchemaSource[] = [];
  for (const f of files) {
    const file = `schemas/${f}`;
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default?: PluginSchema };
    if (!mod.default)
      throw new SchemaError(file, undefined, 'the file must `export default definePlugin({...})`');
    sources.push({ file, plugin: mod.default });
  }
  return sources;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Files in generated folders that codegen no longer writes (migrations excepted: they are history). */
function extraFiles(root: string, tree: FileTree): string[] {
  return GENERATED_DIRS.flatMap((d) => listFiles(join(root, d)))
    .map((f) => relative(root, f))
    .filter((f) => !f.startsWith(MIGRATIONS) && !(f in tree));
}

function staleFiles(root: string, tree: FileTree): string[] {
  const stale = Object.entries(tree)
    .filter(([path, contents]) => {
      const file = join(root, path);
      return !existsSync(file) || readFileSync(file, 'utf8') !== contents;
    })
    .map(([path]) => `${path} (differs from what codegen writes)`);
  return [...stale, ...extraFiles(root, tree).map((f) => `${f} (no longer generated)`)];
}

/** Runs drizzle-kit on a copy of the migrations; anything it would add means a migration is missing. */
function pendingMigration(root: string): string[] {
  const tmp = mkdtempSync(join(tmpdir(), 'tablestage-migrations-'));
  try {
    const out = join(tmp, 'migrations');
    if (existsSync(join(root, MIGRATIONS))) cpSync(join(root, MIGRATIONS), out, { recursive: true });
    const before = new Set(listFiles(out).map((f) => relative(out, f)));
    drizzleGenerate(root, out);
    return listFiles(out)
      .map((f) => relative(out, f))
      .filter((f) => !before.has(f) && f.endsWith('.sql'))
      .map((f) => `${MIGRATIONS}/${f} (missing migration)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function drizzleGenerate(root: string, out: string): void {
  // drizzle-kit resolves --out and --schema against its working directory, so both are passed relative to it.
  const cwd = dirname(out);
  const bin = join(repoRoot, 'node_modules/.bin/drizzle-kit');
  const schema = relative(cwd, join(root, 'engine/generated/tables.ts'));
  const args = ['generate', '--dialect', 'sqlite', '--schema', schema, '--out', relative(cwd, out)];
  const run = spawnSync(bin, args, { cwd, encoding: 'utf8' });
  // drizzle-kit can print an error and still exit 0, so its output is read too.
  if (run.status !== 0 || /error/i.test(run.stderr))
    throw new Error(`drizzle-kit generate failed:\n${run.stderr}`);
}

process.exitCode = await main(process.argv.slice(2));
