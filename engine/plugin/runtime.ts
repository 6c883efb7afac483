import type { RenderPlugin, SceneRect } from '../render';
import type { Point } from '../schema';
import type { StageProps } from '../generated/stageProps';
import type { ChannelModel } from './channels';
import type { PluginPresence } from './presence';
import type { ToolContext, ToolDefinition, ToolGesture, ToolPointer, WriteResult } from './tools';

/** A line of the help panel: the keys or gesture, and what it does. */
export interface HelpEntry {
  readonly keys: string;
  readonly does: string;
}

/** An asset property of the plugin that a file dropped on the viewport may fill. */
export interface DropTarget {
  /** The property key in the plugin's group (an `asset` property of a scene plugin). */
  readonly prop: string;
  /** MIME types taken; defaults to the property's declared `accept`. */
  readonly accept?: readonly string[];
  /** Among all plugins that take a file's type, the highest priority gets it (default 0). */
  readonly priority?: number;
}

/** What is being snapped, beside its point. */
export interface SnapOptions {
  /**
   * The thing's width in grid cells (a 2×2 token is 2): an even-sized thing
   * on a square grid sits on a cell corner, an odd-sized one on a centre.
   */
  readonly cells?: number;
}

/** Snaps a scene point (e.g. to the centre of a grid cell); undefined when this provider does not snap now. */
export type SnapProvider = (p: Point, props: StageProps, options?: SnapOptions) => Point | undefined;

/** A file the GM dropped or chose that became an asset property's value (e.g. the map). */
export interface PlacedFile {
  /** The file's name as the GM had it (`crypt_30x22.png`). */
  readonly name: string;
  readonly type: string;
  /** The served URL it was stored under. */
  readonly url: string;
  /** The property it filled: `[plugin key, property key]`. */
  readonly path: readonly string[];
  /** Settles with the scene's content bounds once the new content is drawn (e.g. the image loaded). */
  readonly drawn: Promise<SceneRect>;
}

/**
 * A one-shot command a plugin offers the GM (a toolbar button): e.g. "fit
 * the frame to the map". It acts through the plugin's tool context, like a tool.
 */
export interface PluginAction {
  /** Unique across all plugins (like tool ids). */
  readonly id: string;
  /** Button text. */
  readonly label: string;
  /** Tooltip: what it does. */
  readonly hint: string;
  /** Does it; a refused write says why (shown in the status bar). */
  run(ctx: ToolContext): WriteResult;
  /**
   * Makes the button a toggle: whether it is on for the current props
   * (e.g. snapping to the grid). `run` then flips it.
   */
  pressed?(props: StageProps): boolean;
}

/**
 * What the player view shows instead of the scene while the party is paused:
 * a background colour, an optional centred image and an optional line of text.
 */
export interface PauseCover {
  readonly color: string;
  readonly image?: string;
  readonly text?: string;
}

/**
 * An inspector control a plugin ships: a custom element class (it should
 * extend `ControlElement` from `editor/controls` to keep the built-in
 * contract: `path`, `label`, `value`, `error`, the `value-input` / `edit-start`
 * / `edit-end` events), or a loader of a module whose default export is one,
 * so a heavy control loads only in the editor.
 */
export type PluginControl = CustomElementConstructor | (() => Promise<{ default: CustomElementConstructor }>);

/** Keys of the per-user view state a plugin holds in its local-only properties. */
export interface UserViewBinding {
  /** Key of the property holding the active tool's id (a local-only string). */
  readonly tool: string;
}

/**
 * The GM's focus on a plugin's collection members: the one under the pointer
 * (while a tool that `selects` is active) and the selected ones.
 */
export interface MemberFocus {
  readonly hovered: string | undefined;
  readonly selected: readonly string[];
}

/**
 * Everything a plugin *does*, beside its schema (what it *stores*).
 * `plugins/<name>/index.ts` default-exports one, built with
 * {@link definePluginRuntime}; codegen discovers it and lists it in
 * `editor/generated/plugins.ts`. Every option is documented once, here.
 */
export interface PluginRuntime {
  /** The plugin's name in its schema (`definePlugin({ name })`); codegen fails when they differ. */
  readonly name: string;
  /**
   * Its Babylon render module. Systems receive the plugin's props group and,
   * through `updateBlobs`, the values of the plugin's declared channels.
   */
  readonly render?: RenderPlugin;
  /**
   * Where it draws relative to other plugins: any number, higher draws over
   * lower (map 0, grid 10, markers 20, fog 30…). Equal orders share a layer.
   * Picking asks the highest order first. Default 0.
   */
  readonly drawOrder?: number;
  /** Editor tools; the toolbar, keyboard shortcuts and help panel list them. */
  readonly tools?: readonly ToolDefinition[];
  /**
   * Drag of one of this plugin's own collection members, started by a
   * selecting tool of any plugin (`ToolContext.dragMember`). It runs with
   * this plugin's tool context.
   */
  readonly memberDrag?: (ctx: ToolContext, id: string, p: ToolPointer) => ToolGesture | undefined;
  /**
   * A press held still for `HOLD_MS` (click and hold), whatever tool is
   * active — except a tool of this plugin, which handles its own presses.
   * Return true to take it: the active tool's gesture is then cancelled.
   * Runtimes are asked in registry order; on the player page only those
   * whose presence lets players publish (see `ToolDefinition.players`).
   */
  readonly onHold?: (ctx: ToolContext, p: ToolPointer) => boolean;
  /** Snapping this plugin offers every tool (through `ToolContext.snap`), e.g. the grid's cell centres. */
  readonly snap?: SnapProvider;
  /**
   * Decoded editor state of each binary channel the schema declares, by the
   * channel's name in the schema (`channels: { tiles: … }`).
   */
  readonly channels?: Readonly<Record<string, ChannelModel<unknown>>>;
  /** Extra help-panel lines (modifiers, gestures); tool keys are listed without this. */
  readonly help?: readonly HelpEntry[];
  /** Which asset properties a file dropped on the viewport may fill. */
  readonly drop?: readonly DropTarget[];
  /**
   * Called, with this plugin's tool context, after a file dropped or chosen
   * by the GM filled a drop-target property (of any plugin): e.g. the grid
   * reads a `30x22` in the name, the display fits its frame to the new map.
   */
  readonly placed?: (ctx: ToolContext, file: PlacedFile) => void;
  /** One-shot commands offered as toolbar buttons (they run with this plugin's tool context). */
  readonly actions?: readonly PluginAction[];
  /**
   * The pause cover, from the props of the scene on show: while the party is
   * paused the player view draws this and nothing of the scene. The first
   * runtime that declares one is used.
   */
  readonly cover?: (props: StageProps) => PauseCover;
  /**
   * Set by the one plugin that holds the per-user view: its local-only
   * properties named like `ViewportTransform`'s fields (offset, zoom,
   * rotation) drive the camera, and `tool` names its active-tool property.
   */
  readonly userView?: UserViewBinding;
  /**
   * The plugin's own inspector controls, by the name a property's
   * `customControl` option gives. The editor defines each under the tag
   * `customControlTag(plugin, name)` and the generated panel renders it in the
   * property's place; codegen fails when a property names one missing here.
   */
  readonly controls?: Readonly<Record<string, PluginControl>>;
  /**
   * The plugin's ephemeral presence value (a ruler being dragged, a ping):
   * its tools publish with `ToolContext.setPresence`, its renderer receives
   * everyone's valid values in the current scene (`RenderSystem.presence`).
   * Give the room plugin the same declaration: the room validates with it.
   */
  readonly presence?: PluginPresence;
  /**
   * Called in the GM editor, with this plugin's tool context, when the
   * pointer starts or stops hovering one of the plugin's collection members,
   * when the selection changes and when the scene's props change: e.g. the
   * marker publishes the hover marker in focus as its presence, so the room
   * shows it on the TV.
   */
  readonly focus?: (ctx: ToolContext, focus: MemberFocus) => void;
}

/**
 * Declares a plugin's runtime. The identity function that gives it types;
 * `channel` models may use any state type (checked where they are declared).
 */
export function definePluginRuntime<const R extends PluginRuntime>(runtime: R): R {
  return runtime;
}
