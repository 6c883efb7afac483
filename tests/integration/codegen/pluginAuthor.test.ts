/**
 * (The fixture schema in tests/fixtures/ is excluded from the repo's tsconfig:
 * its imports resolve only once it is copied into a tree's schemas/ folder.)
 *
 * What a plugin author does: add one property to a schema file and one new
 * schema file, run codegen, and get types, converters, a table column, a
 * migration and an inspector panel that typecheck — with no edit anywhere else.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
// Codegen imports the plugin folders (their runtimes import the engine), and writes the editor's and rooms' lists.
const COPY = ['schemas', 'engine', 'plugins', 'editor', 'partykit', 'package.json', '.prettierrc.json'];

let tmp: string;
let before: Map<string, string>;

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = join(e.parentPath, e.name);
    if (e.isFile() && !full.includes('node_modules'))
      out.set(relative(dir, full), createHash('sha1').update(readFileSync(full)).digest('hex'));
  }
  return out;
}

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: tmp, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tablestage-plugin-author-'));
  for (const path of COPY)
    if (existsSync(join(repo, path)))
      cpSync(join(repo, path), join(tmp, path), {
        recursive: true,
        filter: (src) => !src.endsWith('.test.ts'),
      });
  symlinkSync(join(repo, 'node_modules'), join(tmp, 'node_modules'));
  before = hashes(tmp);

  // The author's whole change: one property in grid.schema.ts, one new schema file.
  const grid = join(tmp, 'schemas/grid.schema.ts');
  const source = readFileSync(grid, 'utf8');
  const edited = source.replace(
    '  props: {\n',
    "  props: {\n    dashed: p.boolean(false, { label: 'Dashed lines' }),\n",
  );
  expect(edited).not.toBe(source);
  writeFileSync(grid, edited);
  cpSync(join(repo, 'tests/fixtures/weather.schema.ts'), join(tmp, 'schemas/weather.schema.ts'));

  run(join(repo, 'node_modules/.bin/tsx'), [join(repo, 'engine/codegen/cli.ts'), '--root', tmp]);
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a plugin author adds a property and a plugin', () => {
  it('changes only generated files and the schema files', () => {
    const after = hashes(tmp);
    const changed = [...after].filter(([f, h]) => before.get(f) !== h).map(([f]) => f);
    expect(changed.length).toBeGreaterThan(0);
    for (const f of changed)
      expect(f, f).toMatch(
        /^(engine\/generated\/|editor\/generated\/|partykit\/generated\/|schemas\/(grid|weather)\.schema\.ts$)/,
      );
  });

  it('adds exactly one migration, which adds the new columns', () => {
    const migrations = (dir: string) =>
      readdirSync(join(dir, 'engine/generated/migrations')).filter((f) => f.endsWith('.sql'));
    const added = migrations(tmp).filter((f) => !migrations(repo).includes(f));
    expect(added).toHaveLength(1);
    const sql = readFileSync(join(tmp, 'engine/generated/migrations', added[0]!), 'utf8');
    expect(sql).toContain('grid_dashed');
    expect(sql).toContain('weather_rain');
  });

  it('writes types, builder, converters and tables that name the new properties', () => {
    const read = (f: string) => readFileSync(join(tmp, 'engine/generated', f), 'utf8');
    expect(read('stageProps.ts')).toMatch(/dashed: boolean;/);
    expect(read('stageProps.ts')).toMatch(/weather: WeatherProps;/);
    expect(read('buildSceneProps.ts')).toContain('dashed: scene.gridDashed');
    expect(read('converters.ts')).toContain('gridDashed: props.grid.dashed');
    expect(read('tables.ts')).toContain(
      "gridDashed: integer('grid_dashed', { mode: 'boolean' }).notNull().default(false)",
    );
  });

  it('writes an inspector panel for the new plugin when panels are generated', () => {
    const panels = join(tmp, 'editor/generated/panels');
    if (!existsSync(join(repo, 'editor/generated/panels'))) return;
    const weather = readdirSync(panels).find((f) => f === 'weather-panel.ts');
    expect(weather).toBeDefined();
    expect(readFileSync(join(panels, weather!), 'utf8')).toContain('Rain intensity');
  });

  it('typechecks', () => {
    writeFileSync(
      join(tmp, 'tsconfig.json'),
      JSON.stringify({
        extends: join(repo, 'tsconfig.json'),
        compilerOptions: { types: ['node'], typeRoots: [join(repo, 'node_modules/@types')] },
        include: ['engine/generated', 'editor/generated', 'schemas'],
      }),
    );
    run(join(repo, 'node_modules/.bin/tsc'), ['--noEmit', '-p', tmp]);
  }, 120_000);

  it('the new migration upgrades a database with rows in place', async () => {
    const client = createClient({ url: `file:${join(tmp, 'test.db')}` });
    try {
      const db = drizzle(client);
      await migrate(db, { migrationsFolder: join(repo, 'engine/generated/migrations') });
      await client.execute("INSERT INTO party (id, name, created_at) VALUES ('p', 'Party', 0)");
      await client.execute(
        "INSERT INTO game_session (id, party_id, name, created_at) VALUES ('g', 'p', 'Session', 0)",
      );
      await client.execute(
        "INSERT INTO scene (id, game_session_id, name, grid_opacity) VALUES ('s', 'g', 'Cave', 0.25)",
      );
      await client.execute(
        "INSERT INTO marker (id, scene_id, created_at, label) VALUES ('m', 's', 0, 'Orc')",
      );
      await migrate(db, { migrationsFolder: join(tmp, 'engine/generated/migrations') });
      const row = (
        await client.execute("SELECT name, grid_opacity, grid_dashed, weather_kind FROM scene WHERE id = 's'")
      ).rows[0];
      expect(row).toMatchObject({ name: 'Cave', grid_opacity: 0.25, grid_dashed: 0, weather_kind: 'none' });
      // Rebuilding the scene table must not cascade into its markers.
      expect((await client.execute('SELECT label FROM marker')).rows).toEqual([
        expect.objectContaining({ label: 'Orc' }),
      ]);
    } finally {
      client.close();
    }
  });
});
