/**
 * Where the per-user view lives: the `scene` plugin's local-only properties
 * (offset, zoom, rotation mirror the renderer's ViewportTransform; `tool` is
 * the active editor tool, its enum values the tool list). The editor reads
 * these names from here rather than spelling them itself.
 */
export const VIEW_PLUGIN = 'scene';

/** The StageProps path of the active tool. */
export const TOOL_PATH: string[] = [VIEW_PLUGIN, 'tool'];
