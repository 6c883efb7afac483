import {
  playersMayPublish,
  type PauseCover,
  type PluginAction,
  type PluginRuntime,
  type ToolDefinition,
} from '../../engine/plugin';
import { registry } from '../../engine/generated/schemas';
import { editorPlugins } from '../generated/plugins';

/**
 * What the editor knows of plugins: the runtimes codegen registered
 * (`editor/generated/plugins.ts`) and what follows from them — the tool
 * list, the per-user view's property group and active-tool path.
 */
export const PLUGINS: readonly PluginRuntime[] = editorPlugins;

/** A tool as the toolbar, keys and help list it, with the plugin whose context it runs in. */
export interface ToolInfo {
  readonly id: string;
  readonly label: string;
  /** Single key that selects the tool ('' for none). */
  readonly key: string;
  readonly hint: string;
  readonly cursor: string;
  readonly order: number;
  /** The plugin that ships the tool. */
  readonly plugin: string;
  readonly definition: ToolDefinition;
}

/** Every plugin's tools, by `order` (ties keep registry order). */
export function toolList(runtimes: readonly PluginRuntime[]): ToolInfo[] {
  return runtimes
    .flatMap((r) =>
      (r.tools ?? []).map((t) => ({
        id: t.id,
        label: t.label,
        key: t.key ?? '',
        hint: t.hint,
        cursor: t.cursor ?? 'default',
        order: t.order ?? 0,
        plugin: r.name,
        definition: t,
      })),
    )
    .sort((a, b) => a.order - b.order);
}

export const TOOLS: readonly ToolInfo[] = toolList(PLUGINS);

/** The tools offered to players (`ToolDefinition.players`), whether allowed now or not. */
export const PLAYER_TOOLS: readonly ToolInfo[] = TOOLS.filter((t) => t.definition.players);

/**
 * Whether players may use a plugin's tools and holds now: its presence lets
 * players publish, by the plugin's party settings (the room decides the same
 * way; this only keeps a refused tool off the player's screen).
 */
export function playersAllowed(plugin: string, settings: Readonly<Record<string, unknown>>): boolean {
  const runtime = PLUGINS.find((r) => r.name === plugin);
  return playersMayPublish(runtime?.presence, registry.partyValues(plugin, settings));
}

/** A plugin's one-shot command as the toolbar lists it, with the plugin whose context it runs in. */
export interface ActionInfo {
  readonly id: string;
  readonly label: string;
  readonly hint: string;
  readonly plugin: string;
  readonly definition: PluginAction;
}

/** Every plugin's actions, in registry order. */
export const ACTIONS: readonly ActionInfo[] = PLUGINS.flatMap((r) =>
  (r.actions ?? []).map((a) => ({ id: a.id, label: a.label, hint: a.hint, plugin: r.name, definition: a })),
);

/** The pause cover the registered plugins define for a scene's props (the first that defines one). */
export function pauseCover(props: Parameters<NonNullable<PluginRuntime['cover']>>[0]): PauseCover {
  const runtime = PLUGINS.find((r) => r.cover);
  return runtime?.cover?.(props) ?? { color: '#000000' };
}

const viewRuntime = PLUGINS.find((r) => r.userView);

/** The StageProps group of the per-user view (offset, zoom, rotation, tool), if a plugin holds one. */
export const VIEW_GROUP: string | undefined = viewRuntime && registry.plugin(viewRuntime.name)?.key;

/** The StageProps path of the active tool's id, if a plugin holds one. */
export const TOOL_PATH: readonly string[] | undefined =
  viewRuntime?.userView && VIEW_GROUP ? [VIEW_GROUP, viewRuntime.userView.tool] : undefined;

/** The tool a stored id names; an unknown or empty id means the first tool. */
export function toolById(id: unknown): ToolInfo | undefined {
  return TOOLS.find((t) => t.id === id) ?? TOOLS[0];
}

/** The active tool in a StageProps snapshot (the first tool when none is stored or it is unknown). */
export function activeTool(props: unknown): ToolInfo | undefined {
  let v: unknown = props;
  for (const k of TOOL_PATH ?? [])
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return toolById(v);
}
