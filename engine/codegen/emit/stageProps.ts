import type { Registry } from '../../schema';
import { HEADER, defaultsName, docLine, objectKey, propsType, tsType } from './common';

/** `StageProps`, one interface per plugin, and the defaults every other module builds on. */
export function emitStageProps(registry: Registry): string {
  const out: string[] = [HEADER, "import type { Point } from '../schema';", ''];
  out.push('/** Who is looking: the GM sees everything, players never see GM-only data. */');
  out.push("export type View = 'gm' | 'player';", '');
  for (const plugin of registry.plugins) {
    out.push(`/** ${plugin.label} (${plugin.file}). */`);
    out.push(`export interface ${propsType(plugin)} {`);
    for (const prop of plugin.props)
      out.push(`${docLine(prop)}  ${objectKey(prop.key)}: ${tsType(prop.decl)};`);
    out.push('}', '');
  }
  out.push(
    '/** Everything a scene shows: one group per scene plugin, one record per collection (id → member). */',
  );
  out.push('export interface StageProps {');
  for (const plugin of registry.plugins) {
    const type = propsType(plugin);
    out.push(
      `  ${objectKey(plugin.key)}: ${plugin.attachTo === 'scene' ? type : `Record<string, ${type}>`};`,
    );
  }
  out.push('}', '');
  out.push('/** The props of each scene plugin, by group key. */');
  out.push('export interface ScenePluginProps {');
  for (const plugin of registry.scenePlugins) out.push(`  ${objectKey(plugin.key)}: ${propsType(plugin)};`);
  out.push('}', '');
  out.push('/** The member props of each collection, by collection key. */');
  out.push('export interface CollectionMemberProps {');
  for (const plugin of registry.collections) out.push(`  ${objectKey(plugin.key)}: ${propsType(plugin)};`);
  out.push('}', '');
  for (const plugin of registry.plugins) {
    out.push(`export const ${defaultsName(plugin)}: Readonly<${propsType(plugin)}> = {`);
    for (const prop of plugin.props)
      out.push(`  ${objectKey(prop.key)}: ${JSON.stringify(prop.decl.default)},`);
    out.push('};', '');
  }
  out.push('/** A fresh scene with every property at its default and empty collections. */');
  out.push('export function defaultStageProps(): StageProps {');
  out.push('  return structuredClone({');
  for (const plugin of registry.plugins)
    out.push(`    ${objectKey(plugin.key)}: ${plugin.attachTo === 'scene' ? defaultsName(plugin) : '{}'},`);
  out.push('  });', '}');
  return out.join('\n');
}
