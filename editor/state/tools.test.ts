import { describe, expect, it } from 'vitest';
import { IDENTITY_VIEWPORT, type ViewportTransform } from '../../engine/render';
import type { MemberRef, ToolHostBackend, WriteResult } from '../../engine/plugin';
import type { Point } from '../../engine/schema';
import { registry } from '../../engine/generated/schemas';
import { defaultMarkerProps, defaultStageProps, type StageProps } from '../../engine/generated/stageProps';
import type { FogMask } from '../../plugins/fogOfWar/mask';
import { ChannelStates } from './channels';
import { PLUGINS, TOOLS } from './plugins';
import { createToolHost, startGesture, type ToolHost } from './tools';

const COLLECTION = registry.plugin('marker')!;
const FOG = 'fogOfWar.tiles';

/** A backend that records what tools do, over a "renderer" whose screen is the scene (identity view). */
function fakeHost(options: { hit?: { id: string; at: Point }; snap?: boolean; cells?: number } = {}) {
  const props = defaultStageProps();
  props.grid = { ...props.grid, snap: options.snap ?? true };
  const calls: { kind: string; path?: readonly string[]; value?: unknown }[] = [];
  const previews: unknown[] = [];
  const channels = new ChannelStates(registry, PLUGINS);
  channels.reset([]);
  let selection: MemberRef | undefined;
  let viewport: ViewportTransform = IDENTITY_VIEWPORT;
  if (options.hit)
    props.markers = {
      [options.hit.id]: {
        ...structuredClone(defaultMarkerProps),
        position: options.hit.at,
        size: options.cells ?? 1,
      },
    };
  const ok: WriteResult = { ok: true };
  const backend: ToolHostBackend = {
    registry,
    runtimes: PLUGINS,
    props: () => props as StageProps,
    queuePropertyUpdate: (path, value) => (calls.push({ kind: 'update', path, value }), ok),
    beginEdit: (path) => void calls.push({ kind: 'begin', path }),
    endEdit: (path) => void calls.push({ kind: 'end', path }),
    selection: () => selection,
    select: (m) => void (selection = m),
    addMember: (collection, values) => (
      calls.push({ kind: 'add', path: [collection], value: values }),
      'new-id'
    ),
    removeMember: (collection, id) => (calls.push({ kind: 'remove', path: [collection, id] }), ok),
    channelState: (id) => channels.state(id),
    blobEntries: () => [],
    writeBlobs(changes) {
      calls.push({ kind: 'blobs', value: changes.size });
      for (const [k, v] of changes) channels.apply(k, v ?? undefined);
      return ok;
    },
    preview: (shape) => void previews.push(shape),
    get viewport() {
      return viewport;
    },
    setViewport: (t) => void (viewport = t),
    content: IDENTITY_VIEWPORT,
    screenSize: () => ({ width: 800, height: 600 }),
    contentBounds: () => undefined,
    displays: () => [],
    pick: (p) => {
      const h = options.hit;
      return h && Math.hypot(p.x - h.at.x, p.y - h.at.y) < 20
        ? { plugin: COLLECTION.name, id: h.id, point: p }
        : undefined;
    },
    screenToScene: (p) => ({
      x: (p.x - viewport.offset.x) / viewport.zoom,
      y: (p.y - viewport.offset.y) / viewport.zoom,
    }),
    sceneToScreen: (p) => ({
      x: p.x * viewport.zoom + viewport.offset.x,
      y: p.y * viewport.zoom + viewport.offset.y,
    }),
    setPresence: () => {},
  };
  const host = createToolHost(backend);
  return {
    host,
    props,
    previews,
    calls,
    mask: () => channels.state(FOG) as FogMask,
    selection: () => selection,
    viewport: () => viewport,
  };
}

const pointer = (init: Partial<PointerEvent> = {}) =>
  ({ button: 0, altKey: false, shiftKey: false, ...init }) as PointerEvent;

function drag(tool: string, host: ToolHost, from: Point, to: Point, init: Partial<PointerEvent> = {}): void {
  const g = startGesture(tool, host, from, pointer(init))!;
  const mid = { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
  g.move({
    screen: mid,
    scene: host.backend.screenToScene(mid),
    button: 0,
    altKey: !!init.altKey,
    shiftKey: false,
  });
  g.move({
    screen: to,
    scene: host.backend.screenToScene(to),
    button: 0,
    altKey: !!init.altKey,
    shiftKey: false,
  });
  g.end({
    screen: to,
    scene: host.backend.screenToScene(to),
    button: 0,
    altKey: !!init.altKey,
    shiftKey: false,
  });
}

describe('editor tools, run through the tool host', () => {
  it('come from the registered plugins, in toolbar order, each with its own key', () => {
    const ids = TOOLS.map((t) => t.id);
    // The view plugin's select tool comes first; every plugin's tools follow in plugin order.
    expect(ids[0]).toBe('select');
    const builtins = [
      'marker',
      'fogReveal',
      'fogCover',
      'fogRect',
      'fogEllipse',
      'fogPolygon',
      'template-circle',
      'template-cone',
      'template-square',
      'template-line',
      'display-frame',
      'light',
      'draw-pen',
      'draw-line',
      'draw-rect',
      'draw-ellipse',
      'draw-text',
      'draw-eraser',
      'draw-clear',
      'ruler',
      'ping',
      'pan',
    ];
    expect(ids.filter((id) => builtins.includes(id))).toEqual(builtins);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = TOOLS.map((t) => t.key).filter(Boolean);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('the rectangle tool reveals the dragged rectangle, and covers it again with Alt', () => {
    const { host, mask } = fakeHost();
    drag('fogRect', host, { x: 100, y: 100 }, { x: 200, y: 160 });
    expect(mask().at(150, 130)).toBe(0);
    expect(mask().at(250, 130)).toBe(1);
    drag('fogRect', host, { x: 100, y: 100 }, { x: 200, y: 160 }, { altKey: true });
    expect(mask().at(150, 130)).toBe(1);
  });

  it('the ellipse tool reveals the inscribed ellipse, not the corners', () => {
    const { host, mask } = fakeHost();
    drag('fogEllipse', host, { x: 0, y: 0 }, { x: 200, y: 200 });
    expect(mask().at(100, 100)).toBe(0);
    expect(mask().at(4, 4)).toBe(1);
  });

  it('the brush reveals along the pointer path and sends only changed tiles', () => {
    const { host, mask, calls } = fakeHost();
    drag('fogReveal', host, { x: 50, y: 50 }, { x: 250, y: 50 });
    expect(mask().at(150, 50)).toBe(0);
    expect(mask().at(150, 200)).toBe(1);
    expect(calls.every((c) => c.kind === 'blobs' && (c.value as number) > 0)).toBe(true);
  });

  it('the marker tool adds a member on the grid cell under the pointer and selects it; Alt places freely', () => {
    const { host, calls, selection } = fakeHost();
    const size = defaultStageProps().grid.size;
    startGesture('marker', host, { x: 30.4, y: 40.6 }, pointer());
    expect(calls).toEqual([
      { kind: 'add', path: [COLLECTION.key], value: { position: { x: size / 2, y: size / 2 } } },
    ]);
    expect(selection()).toEqual({ collection: COLLECTION.key, id: 'new-id' });
    startGesture('marker', host, { x: 30.4, y: 40.6 }, pointer({ altKey: true }));
    expect(calls.at(-1)).toEqual({
      kind: 'add',
      path: [COLLECTION.key],
      value: { position: { x: 30, y: 41 } },
    });
  });

  it('with snapping off the marker tool places at the pointer', () => {
    const { host, calls } = fakeHost({ snap: false });
    startGesture('marker', host, { x: 30.4, y: 40.6 }, pointer());
    expect(calls.at(-1)?.value).toEqual({ position: { x: 30, y: 41 } });
  });

  it('with Alt, select drags a member freely as one edit, keeping the grab offset', () => {
    const { host, calls, selection } = fakeHost({ hit: { id: 'm1', at: { x: 100, y: 100 } } });
    drag('select', host, { x: 105, y: 100 }, { x: 205, y: 150 }, { altKey: true });
    const path = [COLLECTION.key, 'm1', 'position'];
    expect(selection()).toEqual({ collection: COLLECTION.key, id: 'm1' });
    expect(calls[0]).toEqual({ kind: 'begin', path });
    expect(calls.at(-1)).toEqual({ kind: 'end', path });
    expect(calls.at(-2)).toEqual({ kind: 'update', path, value: { x: 200, y: 150 } });
  });

  it('a dragged member snaps through the host to the cells the grid plugin offers; a 2×2 one to corners', () => {
    const size = defaultStageProps().grid.size;
    for (const [cells, at] of [
      [1, size / 2],
      [2, 0],
    ] as const) {
      const { host, calls } = fakeHost({ hit: { id: 'm1', at: { x: 100, y: 100 } }, cells });
      const g = startGesture('select', host, { x: 100, y: 100 }, pointer())!;
      g.move({
        screen: { x: 130, y: 135 },
        scene: { x: 130, y: 135 },
        button: 0,
        altKey: false,
        shiftKey: false,
      });
      const snapped = calls.at(-1)!.value as Point;
      expect(snapped.x % size).toBe(at);
      expect(snapped.y % size).toBe(at);
    }
  });

  it('the grid Snap action flips snapping', () => {
    const { host, calls } = fakeHost();
    const ctx = host.context('grid')!;
    const action = PLUGINS.flatMap((r) => r.actions ?? []).find((a) => a.pressed && a.id === 'grid-snap')!;
    expect(action.pressed?.(ctx.props())).toBe(true);
    action.run(ctx);
    expect(calls.at(-1)).toEqual({ kind: 'update', path: ['grid', 'snap'], value: false });
  });

  it('the polygon tool reveals the clicked outline on a double-click, and Enter / Escape close or drop it', () => {
    const { host, mask, previews } = fakeHost();
    const click = (x: number, y: number, init: Partial<PointerEvent> = {}) =>
      startGesture('fogPolygon', host, { x, y }, pointer(init));
    click(100, 100);
    click(300, 100);
    click(300, 200);
    expect(previews.at(-1)).toMatchObject({
      kind: 'polygon',
      points: [
        { x: 100, y: 100 },
        { x: 300, y: 100 },
        { x: 300, y: 200 },
      ],
    });
    expect(mask().at(250, 120)).toBe(1);
    click(300, 200); // the second click of a double-click closes
    expect(previews.at(-1)).toBeUndefined();
    expect(mask().at(250, 120)).toBe(0);
    expect(mask().at(120, 180)).toBe(1);
    const tool = TOOLS.find((t) => t.id === 'fogPolygon')!.definition;
    const ctx = host.context('fogOfWar')!;
    click(400, 400);
    click(500, 400);
    click(500, 500);
    expect(tool.onKey?.(ctx, { key: 'Enter', altKey: false, shiftKey: false })).toBe(true);
    expect(mask().at(480, 420)).toBe(0);
    click(0, 0);
    expect(tool.onKey?.(ctx, { key: 'Escape', altKey: false, shiftKey: false })).toBe(true);
    // Nothing in progress: the editor's own Escape runs.
    expect(tool.onKey?.(ctx, { key: 'Escape', altKey: false, shiftKey: false })).toBe(false);
  });

  it('a brush shows its outline under the pointer and [ / ] resize it', () => {
    const { host, calls, previews } = fakeHost();
    const tool = TOOLS.find((t) => t.id === 'fogReveal')!.definition;
    const ctx = host.context('fogOfWar')!;
    const d = defaultStageProps().fogOfWar.brushSize;
    tool.onHover?.(ctx, {
      screen: { x: 200, y: 100 },
      scene: { x: 200, y: 100 },
      button: 0,
      altKey: false,
      shiftKey: false,
    });
    expect(previews.at(-1)).toEqual({ kind: 'ellipse', x: 200 - d / 2, y: 100 - d / 2, width: d, height: d });
    expect(tool.onKey?.(ctx, { key: ']', altKey: false, shiftKey: false })).toBe(true);
    expect(calls.at(-1)).toEqual({ kind: 'update', path: ['fogOfWar', 'brushSize'], value: d + 4 });
    expect(tool.onKey?.(ctx, { key: '[', altKey: false, shiftKey: false })).toBe(true);
    expect(calls.at(-1)).toEqual({ kind: 'update', path: ['fogOfWar', 'brushSize'], value: d - 4 });
    expect(tool.onKey?.(ctx, { key: 'q', altKey: false, shiftKey: false })).toBe(false);
  });

  it('a cancelled drag puts the member back', () => {
    const { host, calls } = fakeHost({ hit: { id: 'm1', at: { x: 100, y: 100 } } });
    const g = startGesture('select', host, { x: 100, y: 100 }, pointer())!;
    g.move({
      screen: { x: 300, y: 300 },
      scene: { x: 300, y: 300 },
      button: 0,
      altKey: false,
      shiftKey: false,
    });
    g.cancel();
    expect(calls.at(-2)).toMatchObject({ kind: 'update', value: { x: 100, y: 100 } });
    expect(calls.at(-1)?.kind).toBe('end');
  });

  it('select on empty space deselects and pans; the right button pans with any tool', () => {
    const { host, selection, viewport } = fakeHost();
    host.backend.select({ collection: COLLECTION.key, id: 'x' });
    drag('select', host, { x: 10, y: 10 }, { x: 40, y: 30 });
    expect(selection()).toBeUndefined();
    expect(viewport().offset).toEqual({ x: 30, y: 20 });
    drag('fogReveal', host, { x: 0, y: 0 }, { x: 10, y: 0 }, { button: 2 });
    expect(viewport().offset).toEqual({ x: 40, y: 20 });
  });

  it('an unknown stored tool id falls back to the first tool', () => {
    const { host, selection } = fakeHost({ hit: { id: 'm1', at: { x: 100, y: 100 } } });
    startGesture('no-such-tool', host, { x: 100, y: 100 }, pointer());
    expect(selection()).toEqual({ collection: COLLECTION.key, id: 'm1' });
  });
});
