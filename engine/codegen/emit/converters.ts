import type { PropInfo, Registry } from '../../schema';
import { pascalCase } from '../../schema';
import { HEADER, objectKey, propsType, savedProps } from './common';
import { tableVar } from './tables';

/** `StageProps` → DB rows: the scene's property columns and one row list per collection. */
export function emitConverters(registry: Registry): string {
  const insertTypes = ['SceneInsert', ...registry.collections.map((c) => `${pascalCase(tableVar(c))}Insert`)];
  const propTypes = ['StageProps', ...registry.collections.map(propsType)];
  const sceneProps = registry.scenePlugins.flatMap(savedProps);
  const out: string[] = [
    HEADER,
    `import type { ${insertTypes.sort().join(', ')} } from './tables';`,
    `import type { ${propTypes.sort().join(', ')} } from './stageProps';`,
    '',
    "/** The scene row's property columns (everything saved that a scene plugin declares). */",
    `export type SceneData = Required<Pick<SceneInsert, ${sceneProps
      .flatMap((p) => p.columns.map((c) => `'${c.field}'`))
      .join(' | ')}>>;`,
    '',
    "/** The scene's property columns from its props (local-only properties are not saved). */",
    'export function convertStagePropsToSceneData(props: StageProps): SceneData {',
    '  return {',
  ];
  for (const prop of sceneProps) out.push(...fields(prop, `props.${prop.plugin.key}.${prop.key}`, '    '));
  out.push('  };', '}');

  for (const plugin of registry.collections) {
    const I = `${pascalCase(tableVar(plugin))}Insert`;
    const name = pascalCase(plugin.name);
    out.push('');
    out.push(`/** One ${plugin.name} row from its props. */`);
    out.push(
      `export function convert${name}PropsToRow(id: string, sceneId: string, member: ${propsType(plugin)}): ${I} {`,
    );
    out.push('  return {', '    id,', '    sceneId,');
    for (const prop of savedProps(plugin)) out.push(...fields(prop, `member.${prop.key}`, '    '));
    out.push('  };', '}', '');
    out.push(`/** Every ${plugin.name} of a scene as rows. */`);
    out.push(`export function convertStagePropsTo${name}Data(props: StageProps, sceneId: string): ${I}[] {`);
    out.push(
      `  return Object.entries(props.${plugin.key}).map(([id, member]) => convert${name}PropsToRow(id, sceneId, member));`,
    );
    out.push('}');
  }
  out.push(
    '',
    "/** Each collection's converter, by collection key. */",
    'export const collectionConverters = {',
  );
  for (const plugin of registry.collections)
    out.push(`  ${objectKey(plugin.key)}: convertStagePropsTo${pascalCase(plugin.name)}Data,`);
  out.push('} as const;');
  return out.join('\n');
}

function fields(prop: PropInfo, value: string, indent: string): string[] {
  return prop.columns.map((c) => `${indent}${c.field}: ${c.part ? `${value}.${c.part}` : value},`);
}
