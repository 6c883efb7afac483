import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SchemaError, type Registry } from '../schema';
import type { PluginFolders } from './emit/plugins';

/** A `plugins/<name>/` folder and which entry files it has. */
export interface PluginFolder {
  readonly name: string;
  readonly hasIndex: boolean;
  readonly hasRoom: boolean;
}

/** Every folder under `root/plugins` (none when there is no such folder), sorted by name. */
export function listPluginFolders(root: string): PluginFolder[] {
  const dir = join(root, 'plugins');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => ({
      name,
      hasIndex: existsSync(join(dir, name, 'index.ts')),
      hasRoom: existsSync(join(dir, name, 'room.ts')),
    }));
}

/** Refuses a plugin folder whose name is no schema's plugin name (a typo would otherwise be ignored). */
export function checkPluginFolders(registry: Registry, folders: readonly PluginFolder[]): PluginFolders {
  for (const f of folders)
    if ((f.hasIndex || f.hasRoom) && !registry.plugin(f.name))
      throw new SchemaError(
        `plugins/${f.name}/${f.hasIndex ? 'index.ts' : 'room.ts'}`,
        undefined,
        `no schema declares a plugin named "${f.name}" (the folder must be named like schemas/<file>'s \`name\`)`,
      );
  return {
    runtimes: folders.filter((f) => f.hasIndex).map((f) => f.name),
    rooms: folders.filter((f) => f.hasRoom).map((f) => f.name),
  };
}

/** What codegen needs of a loaded runtime (the module's default export, not yet trusted). */
export interface LoadedRuntime {
  readonly file: string;
  readonly folder: string;
  readonly runtime: unknown;
}

/**
 * Checks the runtimes' default exports: each is an object whose `name` is its
 * folder's (and so its schema's) name, and no tool id is used twice across
 * all plugins (the active-tool property stores bare ids).
 */
export function checkRuntimes(loaded: readonly LoadedRuntime[]): void {
  const toolOwners = new Map<string, string>();
  for (const { file, folder, runtime } of loaded) {
    if (typeof runtime !== 'object' || runtime === null)
      throw new SchemaError(file, undefined, 'the file must `export default definePluginRuntime({...})`');
    const { name, tools } = runtime as { name?: unknown; tools?: unknown };
    if (name !== folder)
      throw new SchemaError(
        file,
        undefined,
        `the runtime's name ${JSON.stringify(name)} differs from its schema's plugin name "${folder}"`,
      );
    for (const tool of Array.isArray(tools) ? (tools as { id?: unknown }[]) : []) {
      const id = String(tool.id);
      const owner = toolOwners.get(id);
      if (owner) throw new SchemaError(file, undefined, `tool id "${id}" is already used by ${owner}`);
      toolOwners.set(id, file);
    }
  }
}

/**
 * Checks that every property naming a `customControl` names one its plugin's
 * runtime registers in `controls`: otherwise the generated panel would render
 * an element nobody defines, an empty row with no error anywhere.
 */
export function checkCustomControls(registry: Registry, loaded: readonly LoadedRuntime[]): void {
  for (const plugin of registry.plugins)
    for (const prop of plugin.props) {
      const name = prop.decl.customControl;
      if (name === undefined) continue;
      // The name becomes part of a custom element tag, which must be lowercase ASCII once kebab-cased.
      if (!/^[a-z][A-Za-z0-9]*$/.test(name))
        throw new SchemaError(plugin.file, prop.id, `customControl "${name}" must be a camelCase name`);
      const runtime = loaded.find((l) => l.folder === plugin.name);
      const controls = (runtime?.runtime as { controls?: unknown } | undefined)?.controls;
      const control: unknown =
        typeof controls === 'object' && controls !== null && Object.hasOwn(controls, name)
          ? (controls as Record<string, unknown>)[name]
          : undefined;
      if (typeof control !== 'function')
        throw new SchemaError(
          plugin.file,
          prop.id,
          `customControl "${name}" is not registered: plugins/${plugin.name}/index.ts must list it in \`controls\``,
        );
    }
}

/** Finds, imports and checks every plugin folder under `root`; throws a SchemaError naming the file. */
export async function discoverPlugins(root: string, registry: Registry): Promise<PluginFolders> {
  const folders = checkPluginFolders(registry, listPluginFolders(root));
  const loaded: LoadedRuntime[] = [];
  for (const folder of folders.runtimes) {
    const file = `plugins/${folder}/index.ts`;
    const mod = (await import(pathToFileURL(join(root, file)).href)) as { default?: unknown };
    loaded.push({ file, folder, runtime: mod.default });
  }
  checkRuntimes(loaded);
  checkCustomControls(registry, loaded);
  return folders;
}
