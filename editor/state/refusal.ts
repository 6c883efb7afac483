/**
 * Refusals in words for the status line: "Marker 'Ghoul': size must be at
 * least 4" rather than `markers.k3x….size: 2 is below the minimum 4`. The
 * thing is named from the registry (the plugin's label, and for a collection
 * member its first non-empty text property, e.g. its name); the property by
 * its label. Nothing here knows a concrete plugin or property.
 */
import type { Registry } from '../../engine/schema';

/** Range refusals as the registry words them, and how a person would say them. */
const REWORDINGS: readonly [RegExp, string][] = [
  [/^\S+ is below the minimum (\S+)$/, 'must be at least $1'],
  [/^\S+ is above the maximum (\S+)$/, 'must be at most $1'],
];

/** `props` is the scene's StageProps (only read, to find a member's name). */
export function describeRefusal(
  registry: Registry,
  props: object | undefined,
  path: readonly string[],
  reason: string,
): string {
  const prop = registry.byPath(path);
  if (!prop) return reason;
  const prefix = `${path.join('.')}: `;
  let detail = reason.startsWith(prefix) ? reason.slice(prefix.length) : reason;
  for (const [pattern, words] of REWORDINGS) detail = detail.replace(pattern, words);
  return `${thingName(registry, props, path)}: ${lowerFirst(prop.label)} ${detail}`;
}

/** "Marker 'Ghoul'", "Marker" for an unnamed member, "Grid" for a scene plugin. */
function thingName(registry: Registry, props: object | undefined, path: readonly string[]): string {
  const plugin = registry.byPath(path)!.plugin;
  if (plugin.attachTo !== 'collection') return plugin.label;
  const members = (props as Readonly<Record<string, unknown>> | undefined)?.[plugin.key] as
    Readonly<Record<string, Record<string, unknown>>> | undefined;
  const member = members?.[path[1]!];
  const nameProp = plugin.props.find(
    (p) => p.decl.kind === 'string' && typeof member?.[p.key] === 'string' && member[p.key] !== '',
  );
  return nameProp ? `${plugin.label} '${String(member![nameProp.key])}'` : plugin.label;
}

/** "Size" → "size", but "GM note" stays (an acronym keeps its capitals). */
function lowerFirst(label: string): string {
  return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
