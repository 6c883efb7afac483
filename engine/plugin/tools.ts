import type { PickHit, SceneRect, ScreenSize, ViewportTransform } from '../render';
import type { PluginInfo, Point } from '../schema';
import type { StageProps } from '../generated/stageProps';
import type { ChannelChanges } from './channels';
import type { SnapOptions } from './runtime';

/** A member of a collection: the collection's key in StageProps and the member's id. */
export interface MemberRef {
  readonly collection: string;
  readonly id: string;
}

/** Outcome of a write through the tool host: refused writes say why and change nothing. */
export type WriteResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The dashed outline a tool shows (a drag's rectangle, a brush under the
 * pointer, a polygon being clicked), in CSS px relative to the canvas. A
 * polygon draws `points` (an open path while it is being made).
 */
export interface PreviewShape {
  readonly kind: 'rect' | 'ellipse' | 'polygon';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly points?: readonly Point[];
}

/** A key press offered to the active tool before the editor's own shortcuts. */
export interface ToolKey {
  /** `KeyboardEvent.key` (`[`, `Enter`, `Escape`, …). */
  readonly key: string;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/**
 * A players' display as it reported itself (ephemeral, through presence):
 * its page's size in CSS pixels and its device pixel ratio.
 */
export interface DisplayReport {
  readonly width: number;
  readonly height: number;
  readonly pixelRatio: number;
}

/** A pointer event as a tool sees it: where (screen CSS px and scene units), which button, which modifiers. */
export interface ToolPointer {
  readonly screen: Point;
  readonly scene: Point;
  readonly button: number;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/** One pointer gesture in progress, from pointer-down to pointer-up (or cancel: Escape, lost capture). */
export interface ToolGesture {
  move(p: ToolPointer): void;
  end(p: ToolPointer): void;
  /** Undo what the gesture showed or changed so far, as if it never started. */
  cancel(): void;
}

/** A gesture that does nothing more after pointer-down (a click tool). */
export const NO_GESTURE: ToolGesture = { move() {}, end() {}, cancel() {} };

/** One of a plugin's binary channels, as its tools see it. */
export interface ChannelHandle<M> {
  /** The decoded state, kept current by the host; tools may mutate it and then `apply` the changes. */
  readonly state: M;
  /** The stored values, key (with prefix) → bytes. */
  entries(): [string, Uint8Array][];
  /**
   * Writes changed values in one transaction (one undo step). Every key is
   * checked against the channel's declaration first; a bad one refuses all.
   */
  apply(changes: ChannelChanges): WriteResult;
}

/**
 * What a plugin's tools may do, scoped to that plugin: read props, write
 * its own properties through validation, group writes into edit gestures, select,
 * add or remove members of the plugin's *own* collection, read and write its
 * *own* binary channels, show a preview, move the viewport, pick, snap and
 * convert coordinates. Nothing else reaches a tool.
 */
export interface ToolContext {
  /** The registry entry of the plugin this context belongs to. */
  readonly plugin: PluginInfo;
  props(): StageProps;
  /** Validated write of one of this plugin's property paths (refused with a reason when invalid or not its own). */
  queuePropertyUpdate(path: readonly string[], value: unknown): WriteResult;
  /** Groups the writes to `path` until `endEdit` into one undo step and protects them from remote overwrites. */
  beginEdit(path: readonly string[]): void;
  endEdit(path: readonly string[]): void;
  selection(): MemberRef | undefined;
  select(member: MemberRef | undefined): void;
  /** Adds a member to this plugin's collection; returns its id, or undefined (with the reason reported) when refused. */
  addMember(values: Readonly<Record<string, unknown>>): string | undefined;
  /** Removes a member of this plugin's collection. */
  removeMember(id: string): WriteResult;
  /** One of this plugin's declared binary channels by its schema name; undefined for any other. */
  channel<M>(name: string): ChannelHandle<M> | undefined;
  /** Shows (or, with `undefined`, hides) the drag preview. */
  preview(shape: PreviewShape | undefined): void;
  /** This user's viewport: world → screen (CSS px). */
  readonly viewport: ViewportTransform;
  setViewport(t: ViewportTransform): void;
  /** Where the scene sits in the world (scene → world), as the plugin that places it set it. */
  readonly content: ViewportTransform;
  /** The viewport canvas size in CSS pixels. */
  screenSize(): ScreenSize;
  /** The scene area everything drawn covers, or one plugin's drawing (by name); scene units. */
  contentBounds(plugin?: string): SceneRect | undefined;
  /** The players' displays connected now, as they reported themselves (largest first). */
  displays(): readonly DisplayReport[];
  /** Topmost pickable thing under a screen point. */
  pick(screen: Point): PickHit | undefined;
  /** The collection member a pick hit, if it hit one. */
  memberOf(hit: PickHit): MemberRef | undefined;
  /**
   * Starts dragging a member with the drag its own plugin defines
   * (`memberDrag`); undefined when that plugin has none.
   */
  dragMember(member: MemberRef, p: ToolPointer): ToolGesture | undefined;
  /** The point snapped by the registered snap providers (the first that answers), or the point itself. */
  snap(p: Point, options?: SnapOptions): Point;
  screenToScene(p: Point): Point;
  sceneToScreen(p: Point): Point;
  /**
   * Publishes (null: clears) this plugin's ephemeral presence value in the
   * current scene: awareness at the cursor rate, never the document. Only for
   * a plugin whose runtime declares `presence`; the value must read valid.
   */
  setPresence(value: unknown): void;
}

/**
 * An editor tool a plugin ships: a small state machine started by a
 * pointer-down. Every option is documented once, here.
 */
export interface ToolDefinition {
  /** Unique across all plugins (codegen checks); stored in the user's active-tool property. */
  readonly id: string;
  /** Toolbar text. */
  readonly label: string;
  /** Single lower-case key that selects the tool; omit for none. */
  readonly key?: string;
  /** Tooltip and help-panel text: what a drag or click does, and its modifiers. */
  readonly hint: string;
  /** CSS cursor over the viewport while the tool is active (default `default`). */
  readonly cursor?: string;
  /** Toolbar position across all plugins: lower first; ties keep registry order. */
  readonly order?: number;
  /**
   * Offered to players on the player page too, while its plugin's presence
   * lets players publish (`PluginPresence.players` on the plugin's settings;
   * the room checks the same). A player's tool context refuses every
   * document write: such a tool acts through presence only.
   */
  readonly players?: boolean;
  /**
   * Picks the member under the pointer (a select tool). Only while such a
   * tool is active do plugins' `focus` hooks hear what the pointer hovers:
   * a GM pointing at a hover marker to pick it shows it on the TV, a fog
   * brush passing over it does not.
   */
  readonly selects?: boolean;
  /** A primary-button press: returns the gesture that follows, or undefined when the press does nothing. */
  onPointerDown(ctx: ToolContext, p: ToolPointer): ToolGesture | undefined;
  /** Pointer moves with no gesture in progress (a brush outline, a hover highlight). */
  onHover?(ctx: ToolContext, p: ToolPointer): void;
  /**
   * A key pressed while the tool is active (outside text fields, without
   * Ctrl/Cmd): return true to take it (then the editor's shortcut for that
   * key does not run), e.g. `[` / `]` resize a brush, Enter closes a polygon.
   */
  onKey?(ctx: ToolContext, key: ToolKey): boolean;
  /** The tool stops being active (another was chosen, the scene changed): drop its preview and state. */
  onDeactivate?(ctx: ToolContext): void;
}
