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
import {
  DEFAULT_TIER_POLICY,
  initialTierState,
  nextTierState,
  riseDueAt,
  type TierPolicy,
  type TierState,
} from './autoTier';

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
  /**
   * The performance tier (default `high`; change it with `setTier`). `auto`
   * starts high and follows measured frame time (see `autoTier.ts`): the
   * player display uses it so atmosphere never drags the TV below 30 fps.
   */
  tier?: PerformanceTier | 'auto';
  /** Overrides of the automatic tier's thresholds and windows (tests use short ones). */
  tierPolicy?: Partial<TierPolicy>;
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
  /** The tier in effect, and whether the host chose it from frame time (`auto`) or was told (`fixed`). */
  tier: PerformanceTier;
  tierMode: 'auto' | 'fixed';
  /** Mean ms per animated frame over the automatic tier's last judged window (auto mode only). */
  frameMs?: number;
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
  /**
   * A picture of every system's content, fitted into at most `maxWidth` ×
   * `maxHeight` pixels (aspect kept), as this renderer's view draws it: a new
   * 2D canvas (the scene list's thumbnails). The view on screen is put back
   * within the same task, so the fitted frame is never shown. Undefined
   * while a system is loading, for a scene without content, or without a
   * canvas (NullEngine).
   */
  captureContent(maxWidth: number, maxHeight: number): HTMLCanvasElement | undefined;
  /**
   * Player view only: whether the display frame rules the view (the TV, and
   * the default) or the user's own pan / zoom does (a player's free view).
   */
  setFollowFrame(follow: boolean): void;
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
  /**
   * Pins the performance tier (systems with `tierChanged` adapt: `low` stops
   * particles), or with `auto` hands it to frame-time measurement from the
   * tier in effect.
   */
  setTier(tier: PerformanceTier | 'auto'): void;
  /** Calls `listener` after every tier change, automatic or not; returns the unsubscribe function. */
  onTierChange(listener: (tier: PerformanceTier) => void): () => void;
  /** Everyone's presence values of one plugin (by name) in the scene on screen; see `RenderSystem.presence`. */
  setPresence(plugin: string, entries: readonly PresenceEntry[]): void;
  readonly tier: PerformanceTier;
  readonly tierMode: 'auto' | 'fixed';
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
  /** Whether a player view shows the display frame (the TV) or its own pan / zoom (a player's free view). */
  let followFrame = true;
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
  let tier: PerformanceTier = options.tier === 'auto' || !options.tier ? 'high' : options.tier;
  const tierPolicy: TierPolicy = { ...DEFAULT_TIER_POLICY, ...options.tierPolicy };
  // Present only in auto mode: the automatic tier's state, fed by the animation loop.
  let autoTier: TierState | undefined =
    options.tier === 'auto' ? initialTierState(tier, frameTime, tierPolicy) : undefined;
  const tierListeners = new Set<(t: PerformanceTier) => void>();
  let riseTimer: ReturnType<typeof setTimeout> | undefined;
  // Set while the next frame is one the loop asked for right after drawing the previous (at that time).
  let loopFrom: number | undefined;
  let stage: Readonly<Record<string, unknown>> = {};

  /** Set only while {@link StageRenderer.captureContent} draws its fitted frame. */
  let captureView: ViewportTransform | null = null;
  const framed = (): boolean => options.view === 'player' && followFrame && frame !== null;
  const computeView = (): ViewportTransform =>
    captureView ?? (framed() && frame ? frameView(frame, screenSize()) : transform);
  const computeEffective = (): ViewportTransform => {
    view = computeView();
    return composeTransforms(view, content);
  };

  const schedule = (): void => {
    if (scheduled || hidden || disposed) return;
    scheduled = true;
    const run = (): void => {
      scheduled = false;
      const from = loopFrom;
      loopFrom = undefined;
      if (hidden || disposed) return;
      renderNow();
      // Only back-to-back animation frames measure speed; a frame after idling is no sample.
      observeFrame(from === undefined ? undefined : frameTime - from);
      if (animating.size > 0) {
        schedule();
        if (scheduled) loopFrom = frameTime;
      }
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
        get framed() {
          return framed();
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

  const applyTier = (next: PerformanceTier): void => {
    if (next === tier) return;
    tier = next;
    for (const m of mounted) m.system.tierChanged?.(m.ctx);
    for (const l of [...tierListeners]) l(tier);
    schedule();
  };

  const observeFrame = (intervalMs: number | undefined): void => {
    if (!autoTier || disposed) return;
    autoTier = nextTierState(autoTier, { at: frameTime, intervalMs }, tierPolicy);
    applyTier(autoTier.tier);
    armRiseCheck();
  };

  /**
   * An idle host draws no frames to observe, so a lowered tier would stay
   * lowered (weather off) until something else moved: check when a rise is due.
   */
  const armRiseCheck = (): void => {
    const due = autoTier && riseDueAt(autoTier);
    if (due === undefined || disposed) return stopRiseCheck();
    if (riseTimer !== undefined) return; // one check pending; it re-arms itself
    riseTimer = setTimeout(
      () => {
        riseTimer = undefined;
        if (!autoTier || disposed) return;
        // While frames run they observe (and a tick would cut their window short).
        if (animating.size === 0 || hidden) {
          autoTier = nextTierState(autoTier, { at: clock() }, tierPolicy);
          applyTier(autoTier.tier);
        }
        armRiseCheck();
      },
      Math.max(1_000, due - clock()),
    );
  };
  const stopRiseCheck = (): void => {
    clearTimeout(riseTimer);
    riseTimer = undefined;
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
    // A frame pending across hiding comes back late: it follows no frame in a measured loop.
    loopFrom = undefined;
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

  /** The content's bounds carried into the world by the content transform (an axis-aligned box). */
  const contentWorldRect = (r: SceneRect): SceneRect => {
    const corners = [
      { x: r.x, y: r.y },
      { x: r.x + r.width, y: r.y },
      { x: r.x, y: r.y + r.height },
      { x: r.x + r.width, y: r.y + r.height },
    ].map((p) => sceneToScreen(content, p));
    const x = Math.min(...corners.map((p) => p.x));
    const y = Math.min(...corners.map((p) => p.y));
    return {
      x,
      y,
      width: Math.max(...corners.map((p) => p.x)) - x,
      height: Math.max(...corners.map((p) => p.y)) - y,
    };
  };

  const captureContent = (maxWidth: number, maxHeight: number): HTMLCanvasElement | undefined => {
    if (disposed || !canvas || loading.size > 0 || typeof document === 'undefined') return undefined;
    const bounds = contentBounds();
    if (!bounds || bounds.width <= 0 || bounds.height <= 0) return undefined;
    const world = contentWorldRect(bounds);
    const screen = screenSize();
    const out = document.createElement('canvas');
    try {
      captureView = fitRect(world, screen, 0, 0);
      viewDirty = true;
      renderNow();
      // The fitted content's rectangle on the canvas, in device pixels.
      const dpr = devicePixelRatio();
      const zoom = captureView.zoom;
      const left = (world.x * zoom + captureView.offset.x) * dpr;
      const top = (world.y * zoom + captureView.offset.y) * dpr;
      const width = world.width * zoom * dpr;
      const height = world.height * zoom * dpr;
      const scale = Math.min(maxWidth / width, maxHeight / height, 1);
      out.width = Math.max(1, Math.round(width * scale));
      out.height = Math.max(1, Math.round(height * scale));
      const ctx = out.getContext('2d');
      if (!ctx) return undefined;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(canvas, left, top, width, height, 0, 0, out.width, out.height);
    } finally {
      captureView = null;
      viewDirty = true;
      renderNow();
    }
    return out;
  };

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
      transform = fitRect(contentWorldRect(r), screenSize(), padding, transform.rotation);
      markViewDirty();
      applyView();
      return transform;
    },
    captureContent,
    setFollowFrame(follow) {
      if (follow === followFrame) return;
      followFrame = follow;
      markViewDirty();
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
      stopRiseCheck();
      if (next === 'auto') {
        autoTier = initialTierState(tier, clock(), tierPolicy);
        return armRiseCheck();
      }
      autoTier = undefined;
      applyTier(next);
    },
    onTierChange(listener) {
      tierListeners.add(listener);
      return () => tierListeners.delete(listener);
    },
    get tier() {
      return tier;
    },
    get tierMode() {
      return autoTier ? 'auto' : 'fixed';
    },
    stats: () => ({
      drawCalls: lastDrawCalls,
      frames,
      meshes: scene.meshes.filter((m) => m.isEnabled()).length,
      animating: animating.size,
      tier,
      tierMode: autoTier ? 'auto' : 'fixed',
      ...(autoTier?.lastWindowMs !== undefined ? { frameMs: autoTier.lastWindowMs } : {}),
    }),
    dispose() {
      if (disposed) return;
      disposed = true;
      stopRiseCheck();
      tierListeners.clear();
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
