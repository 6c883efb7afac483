import type { PluginInfo, PropInfo, Registry } from '../../schema';
import { pascalCase } from '../../schema';
import { HEADER, defaultsName, objectKey, propsType, tsType } from './common';
import { tableVar } from './tables';

const rowType = (plugin: PluginInfo): string => `${pascalCase(tableVar(plugin))}Row`;

/** DB rows → `StageProps`, for the GM or the player view. */
export function emitBuildSceneProps(registry: Registry): string {
  const typeImports = [...registry.collections.map(propsType), 'StageProps', 'View'].sort();
  const defaults = registry.plugins.filter(needsDefaults).map(defaultsName).sort();
  const rowTypes = ['SceneRow', ...registry.collections.map(rowType)].sort();
  const out: string[] = [
    HEADER,
    `import type { ${rowTypes.join(', ')} } from './tables';`,
    `import { ${[...defaults, ...typeImports.map((t) => `type ${t}`)].join(', ')} } from './stageProps';`,
    '',
    '/** The rows of every collection of one scene, by collection key. */',
    'export interface CollectionRows {',
    ...registry.collections.map((c) => `  ${objectKey(c.key)}: readonly ${rowType(c)}[];`),
    '}',
    '',
    '/**',
    " * Builds a scene's props from its DB rows. Local-only properties start at",
    ' * their defaults. The player view replaces GM-only values with defaults and',
    ' * leaves out GM-only collection members.',
    ' */',
    'export function buildSceneProps(scene: SceneRow, collections: CollectionRows, view: View): StageProps {',
    "  const gm = view === 'gm';",
    '  return {',
  ];
  for (const plugin of registry.plugins) {
    if (plugin.attachTo === 'collection') {
      out.push(
        `    ${objectKey(plugin.key)}: build${pascalCase(plugin.key)}(collections.${plugin.key}, view),`,
      );
      continue;
    }
    out.push(`    ${objectKey(plugin.key)}: {`);
    for (const prop of plugin.props) out.push(`      ${objectKey(prop.key)}: ${valueExpr(prop, 'scene')},`);
    out.push('    },');
  }
  out.push('  };', '}');
  if (!out.join('\n').includes('gm ?')) out.splice(out.indexOf("  const gm = view === 'gm';"), 1);

  for (const plugin of registry.collections) {
    const T = propsType(plugin);
    const R = rowType(plugin);
    const gmOnly = [...plugin.gmOnlyWhen].filter(([, values]) => values.length > 0);
    out.push('');
    if (gmOnly.length > 0) {
      out.push(`/** True when players must not see this ${plugin.name} at all. */`);
      out.push(`export function isGmOnly${pascalCase(plugin.name)}(row: ${R}): boolean {`);
      const conds = gmOnly.map(([key, values]) => {
        const field = plugin.props.find((p) => p.key === key)!.columns[0]!.field;
        return `(${JSON.stringify(values)} as readonly unknown[]).includes(row.${field})`;
      });
      out.push(`  return ${conds.join(' || ')};`, '}', '');
    }
    out.push(`/** ${plugin.label} rows → members by id. */`);
    out.push(
      `export function build${pascalCase(plugin.key)}(rows: readonly ${R}[], view: View): Record<string, ${T}> {`,
    );
    out.push("  const gm = view === 'gm';");
    out.push(`  const members: Record<string, ${T}> = {};`);
    out.push('  for (const row of rows) {');
    if (gmOnly.length > 0) out.push(`    if (!gm && isGmOnly${pascalCase(plugin.name)}(row)) continue;`);
    out.push('    members[row.id] = {');
    for (const prop of plugin.props) out.push(`      ${objectKey(prop.key)}: ${valueExpr(prop, 'row')},`);
    out.push('    };', '  }', '  return members;', '}');
  }
  return out.join('\n');
}

/** Plugins whose defaults the builder needs: local-only or GM-only properties fall back to them. */
function needsDefaults(plugin: PluginInfo): boolean {
  return plugin.props.some((p) => p.localOnly || p.audience === 'gm');
}

function valueExpr(prop: PropInfo, row: string): string {
  if (prop.localOnly) {
    const d = `${defaultsName(prop.plugin)}.${prop.key}`;
    return prop.decl.kind === 'point' ? `{ ...${d} }` : d;
  }
  const [first, second] = prop.columns;
  let expr =
    prop.decl.kind === 'point'
      ? `{ x: ${row}.${first!.field}, y: ${row}.${second!.field} }`
      : `${row}.${first!.field}`;
  if (prop.decl.kind === 'enum') expr = `${expr} as ${tsType(prop.decl)}`;
  if (prop.audience === 'gm') {
    const d = `${defaultsName(prop.plugin)}.${prop.key}`;
    expr = `gm ? ${expr} : ${prop.decl.kind === 'point' ? `{ ...${d} }` : d}`;
  }
  return expr;
}
