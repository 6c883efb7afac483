import { controlTags, customControlTag } from '../../../editor/controls/tags';
import { kebabCase, pascalCase, type PluginInfo, type PropInfo, type Registry } from '../../schema';
import { HEADER, propsType } from './common';

/** Where the generated panels live, relative to the repository root. */
export const PANELS_DIR = 'editor/generated/panels';

/** `fogOfWar` → `ts-fog-of-war-panel`. */
export const panelTag = (plugin: PluginInfo): string => `ts-${kebabCase(plugin.name)}-panel`;

/** `fogOfWar` → `FogOfWarPanel`. */
export const panelClass = (plugin: PluginInfo): string => `${pascalCase(plugin.name)}Panel`;

/** One section of a panel: the properties of one `group` (ungrouped first), in panel order. */
export interface PanelSection {
  readonly group: string | undefined;
  readonly props: readonly PropInfo[];
}

/**
 * The visible properties of a plugin laid out as its panel shows them:
 * sorted by `order` (missing counts as 0), then declaration order; grouped by
 * `group`, ungrouped properties first, groups in the order of their first
 * property. Hidden controls are left out.
 */
export function panelLayout(plugin: PluginInfo): PanelSection[] {
  const visible = plugin.props
    .map((prop, index) => ({ prop, index }))
    .filter(({ prop }) => prop.control !== 'hidden')
    .sort((a, b) => (a.prop.decl.order ?? 0) - (b.prop.decl.order ?? 0) || a.index - b.index)
    .map(({ prop }) => prop);
  const sections = new Map<string | undefined, PropInfo[]>([[undefined, []]]);
  for (const prop of visible) {
    const list = sections.get(prop.decl.group) ?? [];
    list.push(prop);
    sections.set(prop.decl.group, list);
  }
  return [...sections].filter(([, props]) => props.length > 0).map(([group, props]) => ({ group, props }));
}

/**
 * Emits one Lit inspector panel per plugin that has a visible property, plus
 * an index listing them in registry order. Returns `{path: contents}`
 * (unformatted; codegen runs prettier over it).
 */
export function emitPanels(registry: Registry): Record<string, string> {
  const plugins = registry.plugins.filter((plugin) => panelLayout(plugin).length > 0);
  const files: Record<string, string> = {};
  for (const plugin of plugins) files[`${PANELS_DIR}/${kebabCase(plugin.name)}-panel.ts`] = emitPanel(plugin);
  files[`${PANELS_DIR}/index.ts`] = emitIndex(plugins);
  return files;
}

function emitPanel(plugin: PluginInfo): string {
  const type = propsType(plugin);
  const cls = panelClass(plugin);
  const tag = panelTag(plugin);
  const body = panelLayout(plugin)
    .map(({ group, props }) => {
      const controls = props.map((prop) => emitControl(plugin, prop)).join('\n');
      return group === undefined
        ? controls
        : `<fieldset>\n<legend>${text(group)}</legend>\n${controls}\n</fieldset>`;
    })
    .join('\n');
  const collection = plugin.attachTo === 'collection';
  return `${HEADER}
import { html } from 'lit';
import { InspectorPanel } from '../../inspector';
import type { ${type} } from '../../../engine/generated/stageProps';

/**
 * Inspector panel of the ${plugin.label} plugin (${plugin.file}).${
   collection ? `\n * It edits one member of \`${plugin.key}\`: the one named by \`memberId\`.` : ''
 }
 */
export class ${cls} extends InspectorPanel<${type}> {
  static override readonly plugin = ${str(plugin.name)};
  static override readonly heading = ${str(plugin.label)};${
    collection ? `\n  static override readonly attachTo = 'collection';` : ''
  }

  protected override renderControls(values: ${type}): unknown {
    return html\`
${body}
    \`;
  }
}

if (!customElements.get(${str(tag)})) customElements.define(${str(tag)}, ${cls});

declare global {
  interface HTMLElementTagNameMap {
    ${str(tag)}: ${cls};
  }
}
`;
}

/**
 * One control element: its path, label and hints as attributes, its value as a
 * property. A plugin's own control gets the same bindings as the built-in one
 * it replaces, so it can read whichever hints apply.
 */
function emitControl(plugin: PluginInfo, prop: PropInfo): string {
  const d = prop.decl;
  const tag = d.customControl ? customControlTag(plugin.name, d.customControl) : controlTags[prop.control];
  const path =
    plugin.attachTo === 'collection'
      ? `[${str(plugin.key)}, this.memberId, ${str(prop.key)}]`
      : `[${str(plugin.key)}, ${str(prop.key)}]`;
  const lines = [`.path=\${${path}}`, `label="${text(prop.label)}"`];
  if (d.description) lines.push(`description="${text(d.description)}"`);
  if (d.kind === 'number' || d.kind === 'integer' || d.kind === 'point') {
    if (d.min !== undefined) lines.push(`min="${d.min}"`);
    if (d.max !== undefined) lines.push(`max="${d.max}"`);
    const step = d.step ?? (d.kind === 'integer' ? 1 : undefined);
    if (step !== undefined) lines.push(`step="${step}"`);
    if (d.unit) lines.push(`unit="${text(d.unit)}"`);
  }
  if (d.kind === 'string' && d.maxLength !== undefined) lines.push(`maxlength="${d.maxLength}"`);
  if (d.kind === 'enum') lines.push(`.options=\${[${d.values.map(str).join(', ')}]}`);
  if (d.kind === 'asset' && d.accept) lines.push(`.accept=\${[${d.accept.map(str).join(', ')}]}`);
  lines.push(`.value=\${values.${prop.key}}`);
  return `<${tag}\n${lines.join('\n')}\n></${tag}>`;
}

function emitIndex(plugins: readonly PluginInfo[]): string {
  const exports = plugins.map(
    (plugin) => `export { ${panelClass(plugin)} } from './${kebabCase(plugin.name)}-panel';`,
  );
  const entries = plugins.map(
    (plugin) => `  { plugin: ${str(plugin.name)}, tag: ${str(panelTag(plugin))} },`,
  );
  return `${HEADER}
import type { PanelEntry } from '../../inspector';

${exports.join('\n')}

/** Every generated inspector panel, in registry (inspector) order. Importing this module defines them all. */
export const panels: readonly PanelEntry[] = [
${entries.join('\n')}
];
`;
}

/** A JavaScript string literal. */
function str(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Text inside the template literal's static HTML: escaped for HTML, then for the template literal. */
function text(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/`/g, '\\`')
    .replace(/\$\{/g, '\\${');
}
