import type { AbstractEngine } from '@babylonjs/core/Engines/abstractEngine';
import type { Scene } from '@babylonjs/core/scene';
import type { Camera } from '@babylonjs/core/Cameras/camera';
import type { PluginInfo, Point } from '../schema';
import type { ViewFrame, ViewportTransform } from './viewport';
import type { PresenceEntry } from '../plugin/presence';

/** Which audience a renderer draws for: the GM editor or the player (spectator) display. */
export type RenderView = 'gm' | 'player';

/** An axis-aligned rectangle in scene units (scene x right, scene y down). */
export interface SceneRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The host's camera as a plugin sees it. Three transforms meet here: the
 * content transform places the scene (what plugins draw, in scene units) in
 * the world; the user's view (or, in the player view, the display frame)
 * shows the world on screen. Systems that own them (the map's placement, the
 * local-only view plugin, the display plugin) set them; every system reads
 * the composed result and how many scene units one device pixel covers.
 */
export interface ViewportControl {
  /** The per-user pan / zoom / rotation, world → screen (GM view and unframed player view). */
  setTransform(transform: ViewportTransform): void;
  /**
   * The world rectangle the player view must show whole (the display frame),
   * turned by its rotation, filling the screen without distortion; `null` to
   * drop it. Ignored in the GM view.
   */
  setFrame(frame: ViewFrame | null): void;
  /**
   * Where the scene sits in the world (scene → world). Moving, scaling or
   * turning it moves everything every plugin draws together, so what was
   * placed on the map stays on the same spot of the map.
   */
  setContent(transform: ViewportTransform): void;
  /** The content transform in effect (scene → world). */
  readonly content: ViewportTransform;
  /** The transform in effect, scene → screen (content, then view or frame). */
  readonly current: ViewportTransform;
  /** The view in effect, world → screen (the user's view, or the display frame fitted in the player view). */
  readonly view: ViewportTransform;
  /**
   * The display frame as last set (in the world; kept in the GM view too,
   * where it does not drive the camera), or `null`: where the players'
   * screen is, for effects drawn relative to it.
   */
  readonly frame: ViewFrame | null;
  /** Scene units per device pixel at the current zoom. */
  readonly unitsPerPixel: number;
  /** Device pixels per CSS pixel (line widths are given in CSS pixels). */
  readonly pixelRatio: number;
  /** The scene rectangle the canvas currently shows (bounding box when rotated). */
  readonly visibleRect: SceneRect;
  /** The canvas size in CSS pixels. */
  readonly screen: { readonly width: number; readonly height: number };
}

/**
 * What the host hands a plugin's render system. A system draws only into its
 * own layer and reads only its own group of props; it never reaches into
 * another plugin.
 */
export interface RenderContext {
  readonly scene: Scene;
  readonly engine: AbstractEngine;
  readonly view: RenderView;
  /** The registry entry of this system's plugin (its key, props, gmOnlyWhen…). */
  readonly plugin: PluginInfo;
  /**
   * Babylon rendering group of this plugin, set on every mesh it makes: the
   * host maps the plugins' draw orders onto consecutive groups, so a higher
   * draw order draws over a lower one.
   */
  readonly layer: number;
  readonly viewport: ViewportControl;
  /**
   * The camera that draws this canvas, in both views. Post-processes attach
   * here and apply to the whole image (every layer); attach them only while
   * an effect is on and dispose them when it goes off, so an unaffected
   * image costs no extra pass and is drawn exactly as without them.
   */
  readonly camera: Camera;
  /**
   * The scene area every system's content covers (the union of their
   * `bounds`: the map once loaded, …), or `undefined` with none. Cheap;
   * read it in `beforeFrame` to follow content whose size arrives later.
   */
  contentBounds(): SceneRect | undefined;
  /** Asks the host for one frame; cheap to call many times per event. */
  requestRender(): void;
  /**
   * Keeps the host rendering every animation frame while `active` (a playing
   * video); the host stops again when no system animates.
   */
  setAnimating(active: boolean): void;
  /**
   * Marks this system's content as still loading (an image on its way) or
   * ready: the host's `onContentBounds` waits until no system is loading, so
   * fitting to content fits the content that is coming, not a part of it.
   */
  setLoading(loading: boolean): void;
  /** Scene point (y down) → Babylon world position; every system places meshes through this. */
  toWorld(p: Point): { x: number; y: number };
  /**
   * The whole StageProps snapshot last given to the host, read-only. For
   * systems whose drawing depends on another plugin's props (lights sized in
   * grid cells); they redraw from `stageChanged`. Never write through it.
   */
  stage(): Readonly<Record<string, unknown>>;
  /**
   * The host's frame clock in milliseconds: the time of the frame being
   * drawn (an injected clock in tests). Animated shaders read it in
   * `beforeFrame` so every system animates from the same instant.
   */
  now(): number;
  /** The performance tier the host runs at (see `StageRenderer.setTier`). */
  readonly tier: PerformanceTier;
}

/**
 * How much a renderer may spend on atmosphere: `low` drops particles and
 * post-processing, `medium` keeps them cheap, `high` draws everything. The
 * player display measures frame time to choose one; a local setting may
 * override it. Systems react in `tierChanged`.
 */
export type PerformanceTier = 'low' | 'medium' | 'high';

/** What a pick returns: which plugin's thing is under the pointer, and its id. */
export interface PickHit {
  plugin: string;
  /** Member id for collections; the plugin key for scene plugins. */
  id: string;
  /** The picked point in scene units. */
  point: Point;
}

/**
 * A running render system: the per-canvas instance of one plugin's renderer.
 * `G` is the plugin's props group (scene plugins) or `Record<id, member>`
 * (collections). Methods use method syntax on purpose: the host stores
 * systems of every plugin in one list, which needs bivariant parameters.
 */
export interface RenderSystem<G> {
  /** Called with the previous group (`undefined` the first time) and the next one. */
  update(prev: G | undefined, next: G, ctx: RenderContext): void;
  /** Values of this plugin's declared binary channels changed (`changed` lists the keys). */
  updateBlobs?(blobs: ReadonlyMap<string, Uint8Array>, changed: readonly string[], ctx: RenderContext): void;
  /** Called when the camera moved, before the frame renders (e.g. to resize a screen-sized plane). */
  viewChanged?(ctx: RenderContext): void;
  /** The topmost pickable thing at a scene point, if this system has one. */
  pick?(point: Point, ctx: RenderContext): PickHit | undefined;
  /** Scene area this system's content covers, for fit-to-screen. */
  bounds?(): SceneRect | undefined;
  /** Hover target changed (member id or undefined). */
  hover?(id: string | undefined, ctx: RenderContext): void;
  /** Selected members changed (collections). */
  select?(ids: ReadonlySet<string>, ctx: RenderContext): void;
  /**
   * Some group of the StageProps snapshot changed (any plugin's), after every
   * `update` of that snapshot ran. For systems that read `ctx.stage()`.
   */
  stageChanged?(stage: Readonly<Record<string, unknown>>, ctx: RenderContext): void;
  /**
   * Called before every frame with the frame clock (`ctx.now()`, ms): set
   * time uniforms here. Frames still come only on demand or while some
   * system is `setAnimating(true)`.
   */
  beforeFrame?(now: number, ctx: RenderContext): void;
  /** The performance tier changed (`ctx.tier` holds the new one). */
  tierChanged?(ctx: RenderContext): void;
  /**
   * Everyone's presence value of this plugin in the scene on screen changed
   * (`engine/plugin/presence.ts`; the page's own value included): ephemeral
   * state such as rulers being dragged or pings, already read valid.
   */
  presence?(entries: readonly PresenceEntry[], ctx: RenderContext): void;
  dispose(): void;
}

/**
 * A plugin's render module: the `render` option of its runtime
 * (`engine/plugin`). Blob keys reach it only when they belong to one of the
 * plugin's declared channels.
 */
export interface RenderPlugin<G = unknown> {
  create(ctx: RenderContext): RenderSystem<G>;
}

/**
 * What the host mounts: a plugin's name in the registry, its draw order and
 * render module. A plugin runtime (`engine/plugin`) is one; entries without
 * `render` are skipped.
 */
export interface RenderSource {
  readonly name: string;
  /** Higher draws over lower; equal orders share a rendering group. Default 0. */
  readonly drawOrder?: number;
  readonly render?: RenderPlugin;
}

/** Declares a render plugin with its props type; the identity function that gives it types. */
export function defineRenderPlugin<G>(plugin: RenderPlugin<G>): RenderPlugin<G> {
  return plugin;
}
