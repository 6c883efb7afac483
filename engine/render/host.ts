import { Engine } from '@babylonjs/core/Engines/engine';
import type { AbstractEngine } from '@babylonjs/core/Engines/abstractEngine';
import { Scene } from '@babylonjs/core/scene';
import { Color4 } from '@babylonjs/core/Maths/math.color';
import { RenderingManager } from '@babylonjs/core/Rendering/renderingManager';
import type { Point, PluginInfo, Registry } from '../schema';
import { createCamera, type CameraRig } from './camera';
import type { PresenceEntry } from '../plugin/presence';
import type {
  PickHit,
  RenderContext,
  RenderPlugin,
  RenderSource,
  RenderSystem,
  PerformanceTier,
  RenderView,
  SceneRect,
} from './types';
import {
  composeTransforms,
  fitRect,
  frameView,
  IDENTITY_VIEWPORT,
  sceneToScreen,
  screenToScene,
  visibleSceneRect,
  type ScreenSize,
  type ViewFrame,
  type ViewportTransform,
} from './viewport';

/** Options of {@link createStageRenderer}. */
export interface StageRendererOptions {
  /** `gm` draws GM-only things dimmed and fog at GM opacity; `player` leaves them out. */
  view: RenderView;
  /** The plugins to draw, normally the generated `editorPlugins`; those without `render` are skipped. */
  plugins: readonly RenderSource[];
  /** The schema registry (from `engine/generated/schemas`). */
  registry: Registry;
  /** An engine to use instead of creating a WebGL one (NullEngine in Node tests). */
  engine?: AbstractEngine;
  /** Keep the drawing buffer after a frame so pixels can be read back (tests, screenshots). */
  preserveDrawingBuffer?: boolean;
  /** Canvas background, as `#rrggbb`. */
  background?: string;
  /** Whether the page is hidden (no frames then); defaults to `document.visibilityState`. */
  visibility?: VisibilitySource;
  /** The frame clock in ms (`ctx.now()`); defaults to `performance.now`. Tests inject one to step animations. */
  clock?: () => number;
  /** The starting performance tier (default `high`); change it with `setTier`. */
  tier?: PerformanceTier;
}

/** Where the host learns that the page is hidden, so it can stop drawing. */
export interface VisibilitySource {
  hidden(): boolean;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** The browser's page visibility (never hidden where there is no document). */
export const documentVisibility: VisibilitySource = {
  hidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
  onChange(listener) {
    if (typeof document === 'undefined') return () => {};
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
};

/** Counters for tests, benchmarks and the debug overlay. */
export interface RenderStats {
  /** Draw calls of the last frame (0 on engines that do not count, e.g. NullEngine). */
  drawCalls: number;
  /** Frames rendered since creation; stays put while nothing changes. */
  frames: number;
  /** Meshes enabled in the scene (a cheap proxy for draw calls under NullEngine). */
  meshes: number;
  /** Systems asking for a frame every animation frame (0 = the host idles between changes). */
  animating: number;
}

/**
 * A mounted Babylon renderer for one canvas. Feed it snapshots of StageProps
 * and scene blobs; it renders on demand (one frame per batch of changes, none
 * while idle or while the tab is hidden). Coordinates passed in and out are
 * CSS pixels relative to the canvas (screen) or scene units (scene).
 */
export interface StageRenderer {
  readonly view: RenderView;
  readonly scene: Scene;
  readonly engine: AbstractEngine;
  /** A new StageProps snapshot; only groups whose identity changed reach their system. */
  setProps(props: object): void;
  /** The scene's binary blobs (fog tiles…). `changed` lists keys that changed; omitted, every key is compared. */
  setBlobs(blobs: ReadonlyMap<string, Uint8Array>, changed?: readonly string[]): void;
  /** Marks the scene dirty; renders once on the next animation frame. */
  requestRender(): void;
  /** Renders a frame now, synchronously (tests, screenshots). */
  renderNow(): void;
  /** Topmost pickable thing under a canvas point (CSS px). */
  pick(x: number, y: number): PickHit | undefined;
  screenToScene(p: Point): Point;
  sceneToScreen(p: Point): Point;
  /** The scene area every system's content covers (union of their `bounds`), or one plugin's (by name). */
  contentBounds(plugin?: string): SceneRect | undefined;
  /**
   * Calls `listener` once, after the first frame that has content bounds and
   * no system loading (a map's size is known only once its image loads).
   * Returns the cancel function.
   */
  onContentBounds(listener: (bounds: SceneRect) => void): () => void;
  /**
   * Calls `listener` once, after the first frame with no system loading: with
   * the content bounds then, or `undefined` when the scene has no content
   * (unlike {@link onContentBounds}, it does not wait for content to come).
   * Returns the cancel function.
   */
  onContentSettled(listener: (bounds: SceneRect | undefined) => void): () => void;
  /** The viewport that shows every system's content; applied at once and returned for the editor to store. */
  fitToScreen(padding?: number): ViewportTransform;
  /** The view in effect, world → screen (what the editor stores as the user's viewport). */
  readonly viewport: ViewportTransform;
  /** Where the scene sits in the world (scene → world), as a plugin set it. */
  readonly content: ViewportTransform;
  /** The canvas size in CSS pixels. */
  screenSize(): ScreenSize;
  /** Pointer hover: a member of one plugin's collection, or nothing. */
  setHover(hit: { plugin: string; id: string } | undefined): void;
  /** Selection of members in a collection plugin (its registry name). */
  setSelection(plugin: string, ids: ReadonlySet<string>): void;
  /** Sets the performance tier; systems with `tierChanged` adapt (e.g. `low` stops particles). */
  setTier(tier: PerformanceTier): void;
  /** Everyone's presence values of one plugin (by name) in the scene on screen; see `RenderSystem.presence`. */
  setPresence(plugin: string, entries: readonly PresenceEntry[]): void;
  readonly tier: PerformanceTier;
  stats(): RenderStats;
  dispose(): void;
}

interface Mounted {
  name: string;
  drawOrder: number;
  plugin: RenderPlugin;
  info: PluginInfo;
  system: RenderSystem<unknown>;
  ctx: RenderContext;
  group: unknown;
  hasGroup: boolean;
}

const DEFAULT_PADDING = 16;

/**
 * Maps draw orders (any numbers) onto Babylon rendering groups: each distinct
 * order of a drawing plugin gets the next group, so equal orders share one
 * and a higher order always draws later. Babylon allows 4 groups unless told
 * otherwise; the limit is raised (it is global, and only ever raised) when
 * more distinct orders are in use.
 */
function renderingGroups(sources: readonly RenderSource[]): (drawOrder: number) => number {
  const orders = [...new Set(sources.filter((s) => s.render).map((s) => s.drawOrder ?? 0))].sort(
    (a, b) => a - b,
  );
  if (orders.length > RenderingManager.MAX_RENDERINGGROUPS)
    RenderingManager.MAX_RENDERINGGROUPS = orders.length;
  return (drawOrder) => Math.max(0, orders.indexOf(drawOrder));
}

/**
 * Creates the renderer of one canvas: one Engine, one Scene, an orthographic
 * top-down camera, and one render system per plugin in `options.plugins`
 * (each must name a plugin of the registry). Throws, naming the plugin, when
 * a render plugin has no schema.
 */
export function createStageRenderer(
  canvas: HTMLCanvasElement | null,
  options: StageRendererOptions,
): StageRenderer {
  const engine: AbstractEngine =
    options.engine ??
    new Engine(
      canvas,
      true,
      {
        preserveDrawingBuffer: options.preserveDrawingBuffer ?? false,
        stencil: false,
        premultipliedAlpha: false,
      },
      true,
    );
  const ownsEngine = !options.engine;
  const scene = new Scene(engine);
  scene.skipPointerMovePicking = true;
  scene.clearColor = Color4.FromHexString(`${options.background ?? '#1b1d21'}ff`);
  const rig: CameraRig = createCamera(scene);

  const screenSize = (): ScreenSize => {
    const w = canvas?.clientWidth || engine.getRenderWidth() / (engine.getHardwareScalingLevel() || 1);
    const h = canvas?.clientHeight || engine.getRenderHeight() / (engine.getHardwareScalingLevel() || 1);
    return { width: Math.max(1, w), height: Math.max(1, h) };
  };
  const devicePixelRatio = (): number => 1 / (engine.getHardwareScalingLevel() || 1);

  let transform: ViewportTransform = IDENTITY_VIEWPORT;
  let frame: ViewFrame | null = null;
  let content: ViewportTransform = IDENTITY_VIEWPORT;
  // The view (world → screen) and the composed transform (scene → screen) in effect.
  let view: ViewportTransform = IDENTITY_VIEWPORT;
  let effective: ViewportTransform = IDENTITY_VIEWPORT;
  let viewDirty = true;
  let frames = 0;
  let lastDrawCalls = 0;
  let scheduled = false;
  let disposed = false;
  const visibility = options.visibility ?? documentVisibility;
  let hidden = visibility.hidden();
  const animating = new Set<Mounted>();
  const boundsWaiters = new Set<(b: SceneRect) => void>();
  const settledWaiters = new Set<(b: SceneRect | undefined) => void>();
  const loading = new Set<Mounted>();
  const clock = options.clock ?? (() => performance.now());
  let frameTime = clock();
  let tier: PerformanceTier = options.tier ?? 'high';
  let stage: Readonly<Record<string, unknown>> = {};

  const computeView = (): ViewportTransform =>
    options.view === 'player' && frame ? frameView(frame, screenSize()) : transform;
  const computeEffective = (): ViewportTransform => {
    view = computeView();
    return composeTransforms(view, content);
  };

  const schedule = (): void => {
    if (scheduled || hidden || disposed) return;
    scheduled = true;
    const run = (): void => {
      scheduled = false;
      if (hidden || disposed) return;
      renderNow();
      if (animating.size > 0) schedule();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
    else setTimeout(run, 16);
  };
  const requestRender = (): void => schedule();
  const markViewDirty = (): void => {
    viewDirty = true;
    schedule();
  };

  const mounted: Mounted[] = [];
  const byName = new Map<string, Mounted>();
  const contentBounds = (plugin?: string): SceneRect | undefined => {
    const rects = mounted
      .filter((m) => plugin === undefined || m.name === plugin)
      .map((m) => m.system.bounds?.())
      .filter((r): r is SceneRect => !!r);
    if (rects.length === 0) return undefined;
    const x = Math.min(...rects.map((r) => r.x));
    const y = Math.min(...rects.map((r) => r.y));
    const w = Math.max(...rects.map((r) => r.x + r.width)) - x;
    const h = Math.max(...rects.map((r) => r.y + r.height)) - y;
    return { x, y, width: w, height: h };
  };

  const layerOf = renderingGroups(options.plugins);
  for (const source of options.plugins) {
    const plugin = source.render;
    if (!plugin) continue;
    const info = options.registry.plugin(source.name);
    if (!info) throw new Error(`render plugin "${source.name}" has no schema in the registry`);
    if (byName.has(source.name)) throw new Error(`render plugin "${source.name}" is listed twice`);
    const drawOrder = source.drawOrder ?? 0;
    const entry = {
      name: source.name,
      drawOrder,
      plugin,
      info,
      group: undefined,
      hasGroup: false,
    } as Mounted;
    entry.ctx = {
      scene,
      engine,
      view: options.view,
      plugin: info,
      layer: layerOf(drawOrder),
      requestRender,
      setAnimating(active) {
        if (active) animating.add(entry);
        else animating.delete(entry);
        if (active) schedule();
      },
      setLoading(active) {
        if (active) loading.add(entry);
        else if (loading.delete(entry)) schedule();
      },
      camera: rig.camera,
      contentBounds: () => contentBounds(),
      toWorld: (p) => ({ x: p.x, y: -p.y }),
      stage: () => stage,
      now: () => frameTime,
      get tier() {
        return tier;
      },
      viewport: {
        setTransform(t) {
          transform = { offset: { ...t.offset }, zoom: t.zoom, rotation: t.rotation };
          markViewDirty();
        },
        setFrame(next) {
          frame = next ? { ...next, center: { ...next.center } } : null;
          markViewDirty();
        },
        setContent(t) {
          content = { offset: { ...t.offset }, zoom: t.zoom, rotation: t.rotation };
          markViewDirty();
        },
        get content() {
          return content;
        },
        get screen() {
          return screenSize();
        },
        get current() {
          return effective;
        },
        get view() {
          return view;
        },
        get frame() {
          return frame;
        },
        get unitsPerPixel() {
          return 1 / (effective.zoom * devicePixelRatio());
        },
        get pixelRatio() {
          return devicePixelRatio();
        },
        get visibleRect() {
          return visibleSceneRect(effective, screenSize());
        },
      },
    };
    entry.system = plugin.create(entry.ctx);
    mounted.push(entry);
    byName.set(source.name, entry);
  }

  const applyView = (): void => {
    effective = computeEffective();
    rig.apply(effective, screenSize());
    viewDirty = false;
    for (const m of mounted) m.system.viewChanged?.(m.ctx);
  };

  /** The effective viewport, bringing the camera up to date first if props moved it. */
  const current = (): ViewportTransform => {
    if (viewDirty && !disposed) applyView();
    return effective;
  };

  const renderNow = (): void => {
    if (disposed) return;
    if (viewDirty) applyView();
    frameTime = clock();
    for (const m of mounted) m.system.beforeFrame?.(frameTime, m.ctx);
    const counter = (engine as unknown as { _drawCalls?: { fetchNewFrame(): void; current: number } })
      ._drawCalls;
    counter?.fetchNewFrame();
    scene.render();
    lastDrawCalls = counter?.current ?? 0;
    frames++;
    if ((boundsWaiters.size > 0 || settledWaiters.size > 0) && loading.size === 0) {
      const b = contentBounds();
      const settled = [...settledWaiters];
      settledWaiters.clear();
      for (const w of settled) w(b);
      if (b) {
        const waiting = [...boundsWaiters];
        boundsWaiters.clear();
        for (const w of waiting) w(b);
      }
    }
  };

  const unsubscribeVisibility = visibility.onChange(() => {
    hidden = visibility.hidden();
    if (!hidden) markViewDirty();
  });
  const resizeObserver =
    canvas && typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
          engine.resize();
          markViewDirty();
        })
      : undefined;
  if (canvas) resizeObserver?.observe(canvas);

  // Moving the window to another screen or zooming the page changes the
  // device pixel ratio; follow it so lines stay one device pixel sharp.
  let stopDprWatch = (): void => {};
  const watchDpr = (): void => {
    if (!ownsEngine || typeof matchMedia !== 'function' || typeof window === 'undefined') return;
    const query = matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    const onChange = (): void => {
      engine.setHardwareScalingLevel(1 / window.devicePixelRatio);
      engine.resize();
      markViewDirty();
      watchDpr();
    };
    query.addEventListener('change', onChange, { once: true });
    stopDprWatch = () => query.removeEventListener('change', onChange);
  };
  watchDpr();

  let lastBlobs: ReadonlyMap<string, Uint8Array> = new Map();
  effective = computeEffective();

  const renderer: StageRenderer = {
    view: options.view,
    scene,
    engine,
    setProps(props) {
      const record = props as Record<string, unknown>;
      stage = record;
      let changed = false;
      for (const m of mounted) {
        const next = record[m.info.key];
        if (next === undefined || (m.hasGroup && next === m.group)) continue;
        const prev = m.hasGroup ? m.group : undefined;
        m.group = next;
        m.hasGroup = true;
        m.system.update(prev, next, m.ctx);
        changed = true;
      }
      // An identical snapshot (a local-only edit elsewhere, a no-op) costs no frame.
      if (!changed) return;
      for (const m of mounted) m.system.stageChanged?.(record, m.ctx);
      schedule();
    },
    setBlobs(blobs, changed) {
      const keys =
        changed ??
        [...new Set([...blobs.keys(), ...lastBlobs.keys()])].filter((k) => blobs.get(k) !== lastBlobs.get(k));
      lastBlobs = blobs;
      for (const m of mounted) {
        if (!m.system.updateBlobs) continue;
        const mine = keys.filter((k) => options.registry.channelOf(k)?.plugin === m.info.name);
        if (mine.length === 0) continue;
        m.system.updateBlobs(blobs, mine, m.ctx);
        schedule();
      }
    },
    requestRender,
    renderNow,
    pick(x, y) {
      const point = screenToScene(current(), { x, y });
      const order = [...mounted].sort((a, b) => b.drawOrder - a.drawOrder);
      for (const m of order) {
        const hit = m.system.pick?.(point, m.ctx);
        if (hit) return hit;
      }
      return undefined;
    },
    screenToScene: (p) => screenToScene(current(), p),
    sceneToScreen: (p) => sceneToScreen(current(), p),
    contentBounds,
    onContentBounds(listener) {
      boundsWaiters.add(listener);
      schedule();
      return () => boundsWaiters.delete(listener);
    },
    onContentSettled(listener) {
      settledWaiters.add(listener);
      schedule();
      return () => settledWaiters.delete(listener);
    },
    fitToScreen(padding = DEFAULT_PADDING) {
      const r = contentBounds();
      if (!r) {
        current();
        return view;
      }
      // Bounds are in scene units; the view is fitted in the world, where the content transform puts them.
      const corners = [
        { x: r.x, y: r.y },
        { x: r.x + r.width, y: r.y },
        { x: r.x, y: r.y + r.height },
        { x: r.x + r.width, y: r.y + r.height },
      ].map((p) => sceneToScreen(content, p));
      const x = Math.min(...corners.map((p) => p.x));
      const y = Math.min(...corners.map((p) => p.y));
      const w = Math.max(...corners.map((p) => p.x)) - x;
      const h = Math.max(...corners.map((p) => p.y)) - y;
      transform = fitRect({ x, y, width: w, height: h }, screenSize(), padding, transform.rotation);
      markViewDirty();
      applyView();
      return transform;
    },
    get viewport() {
      current();
      return view;
    },
    get content() {
      return content;
    },
    screenSize,
    setHover(hit) {
      for (const m of mounted) m.system.hover?.(hit && hit.plugin === m.name ? hit.id : undefined, m.ctx);
      // No frame here: a system whose drawing changes asks for one (pointer moves stay free).
    },
    setSelection(plugin, ids) {
      const m = byName.get(plugin);
      m?.system.select?.(ids, m.ctx);
    },
    setPresence(plugin, entries) {
      const m = byName.get(plugin);
      m?.system.presence?.(entries, m.ctx);
    },
    setTier(next) {
      if (next === tier) return;
      tier = next;
      for (const m of mounted) m.system.tierChanged?.(m.ctx);
      schedule();
    },
    get tier() {
      return tier;
    },
    stats: () => ({
      drawCalls: lastDrawCalls,
      frames,
      meshes: scene.meshes.filter((m) => m.isEnabled()).length,
      animating: animating.size,
    }),
    dispose() {
      if (disposed) return;
      disposed = true;
      resizeObserver?.disconnect();
      stopDprWatch();
      unsubscribeVisibility();
      for (const m of mounted) m.system.dispose();
      scene.dispose();
      if (ownsEngine) engine.dispose();
    },
  };
  return renderer;
}
