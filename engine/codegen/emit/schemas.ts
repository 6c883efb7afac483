import type { SchemaSource } from '../../schema';
import { camelCase } from '../../schema';
import { HEADER } from './common';

/**
 * The registry as a module: static imports of every schema file, so bundlers
 * (Vite, PartyKit's esbuild) include them without a filesystem scan at run time.
 */
export function emitSchemaIndex(sources: readonly SchemaSource[]): string {
  const files = sources.map((s) => s.file).sort();
  const ident = (file: string) =>
    `${camelCase(file.replace(/^.*\//, '').replace(/\.schema\.ts$/, ''))}Schema`;
  return [
    HEADER,
    "import { createRegistry, type Registry, type SchemaSource } from '../schema';",
    ...files.map((f) => `import ${ident(f)} from '../../${f.replace(/\.ts$/, '')}';`),
    '',
    '/** Every schema file, with the path errors should name. */',
    'export const schemaSources: readonly SchemaSource[] = [',
    ...files.map((f) => `  { file: '${f}', plugin: ${ident(f)} },`),
    '];',
    '',
    '/** The one registry every module reads. */',
    'export const registry: Registry = createRegistry(schemaSources);',
  ].join('\n');
}
