/**
 * `npm run codegen` — regenerate everything derived from schemas/*.schema.ts and
 * the plugin folders (plugins/<name>/index.ts and room.ts).
 * `npm run codegen -- --check` — fail (naming the files) when committed output is stale.
 * `--root <dir>` runs on another tree (a plugin author's fixture, a test's temp copy).
 * `--squash <tag>` collapses every migration after `<tag>` (the last released one) into one.
 *
 * All or nothing: the output (generated files and the next migration) is
 * built in a staging folder and swapped in only when every step succeeded;
 * a schema error or a failing migration plan leaves the tree unchanged.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveConfig } from 'prettier';
import { createRegistry, SchemaError, type PluginSchema, type SchemaSource } from '../schema';
import { discoverPlugins } from './discover';
import { generate, type FileTree } from './generate';
import { discardAfter, pendingPlan, writeNextMigration } from './migrationFiles';
import { MigrationPlanError } from './migrationPlan';

const GENERATED_DIRS = ['engine/generated', 'editor/generated', 'partykit/generated'];
const MIGRATIONS = 'engine/generated/migrations';
const TABLES = 'engine/generated/tables.ts';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const rootArg = argv.indexOf('--root');
  const root = rootArg >= 0 ? resolve(argv[rootArg + 1] ?? '.') : repoRoot;
  const squashArg = argv.indexOf('--squash');
  const squash = squashArg >= 0 ? argv[squashArg + 1] : undefined;
  if (squashArg >= 0 && (!squash || squash.startsWith('--'))) {
    console.error(
      'codegen: --squash needs the tag of the last released migration (e.g. 0000_material_corsair)',
    );
    return 1;
  }

  // Everything is generated into a staging folder inside the tree (so the generated tables can import
  // drizzle from node_modules); the tree only changes once every step has succeeded.
  const staging = mkdtempSync(join(root, '.tmp-codegen-'));
  try {
    let sources: SchemaSource[];
    let tree: FileTree;
    let migration: string | undefined;
    let squashed: string[] = [];
    try {
      sources = await loadSchemas(root);
      const registry = createRegistry(sources);
      const plugins = await discoverPlugins(root, registry);
      const prettier = (await resolveConfig(join(repoRoot, 'package.json'))) ?? {};
      tree = await generate(registry, sources, prettier, plugins);
      stage(root, staging, tree);
      const tables = (await import(pathToFileURL(join(staging, TABLES)).href)) as Record<string, unknown>;
      const migrations = join(staging, MIGRATIONS);
      if (check) {
        const plan = await pendingPlan(migrations, registry, tables);
        const stale = staleFiles(root, tree);
        const pending = plan.statements.length ? [`${MIGRATIONS} (missing migration)`] : [];
        if (stale.length > 0 || pending.length > 0) {
          console.error('codegen: generated code is stale; run `npm run codegen` and commit the result.');
          for (const f of [...stale, ...pending]) console.error(`  ${f}`);
          return 1;
        }
        console.log(
          `codegen: ${Object.keys(tree).length} generated files and the migrations are up to date.`,
        );
        return 0;
      }
      if (squash) squashed = discardAfter(migrations, squash);
      migration = await writeNextMigration(migrations, registry, tables);
    } catch (e) {
      if (e instanceof SchemaError || e instanceof MigrationPlanError) {
        const message = e instanceof MigrationPlanError ? `${e.file}: ${e.message}` : e.message;
        console.error(`codegen: schema error — ${message}; nothing was written`);
        return 1;
      }
      throw e;
    }
    swapIn(root, staging);
    if (squashed.length)
      console.log(`codegen: squashed ${squashed.join(', ')} into ${migration ?? 'nothing'}.`);
    else if (migration) console.log(`codegen: added migration ${migration}.`);
    console.log(`codegen: wrote ${Object.keys(tree).length} files from ${sources.length} schema files.`);
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Copies the generated folders into `staging` and writes the new tree there (stale files removed). */
function stage(root: string, staging: string, tree: FileTree): void {
  for (const d of GENERATED_DIRS)
    if (existsSync(join(root, d))) cpSync(join(root, d), join(staging, d), { recursive: true });
  for (const f of extraFiles(staging, tree)) rmSync(join(staging, f));
  for (const [path, contents] of Object.entries(tree)) {
    const file = join(staging, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}

/**
 * Replaces each generated folder by its staged copy, by renaming folders; if
 * one rename fails, the folders already swapped are put back. Unchanged files
 * keep their content (their mtime changes, which nothing relies on).
 */
function swapIn(root: string, staging: string): void {
  const done: { dir: string; old?: string }[] = [];
  try {
    for (const [i, d] of GENERATED_DIRS.entries()) {
      if (!existsSync(join(staging, d))) continue;
      const old = existsSync(join(root, d)) ? join(staging, `.old-${i}`) : undefined;
      if (old) renameSync(join(root, d), old);
      mkdirSync(dirname(join(root, d)), { recursive: true });
      try {
        renameSync(join(staging, d), join(root, d));
      } catch (e) {
        if (old) renameSync(old, join(root, d));
        throw e;
      }
      done.push({ dir: d, ...(old ? { old } : {}) });
    }
  } catch (e) {
    for (const { dir, old } of done.reverse()) {
      rmSync(join(root, dir), { recursive: true, force: true });
      if (old) renameSync(old, join(root, dir));
    }
    throw e;
  }
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

process.exitCode = await main(process.argv.slice(2));
