import { Vector3, Matrix } from '@babylonjs/core/Maths/math.vector';
import { describe, expect, it } from 'vitest';
import { registry } from '../generated/schemas';
import { defaultStageProps } from '../generated/stageProps';
import { editorPlugins } from '../../editor/generated/plugins';
import { createNullStageRenderer } from './nullRenderer';
import { defineRenderPlugin, type RenderContext, type RenderSystem } from './types';
import { sceneToScreen } from './viewport';

/** A render plugin for the grid's schema that records what the host hands it. */
function recordingPlugin(calls: string[], seen: unknown[]) {
  const render = defineRenderPlugin<{ size: number }>({
    create(ctx) {
      calls.push(`create:${ctx.plugin.key}:${ctx.view}`);
      const system: RenderSystem<{ size: number }> = {
        update(prev, next) {
          calls.push('update');
          seen.push([prev, next]);
        },
        dispose() {
          calls.push('dispose');
        },
      };
      return system;
    },
  });
  return { name: 'grid', drawOrder: 10, render };
}

describe('render host on NullEngine', () => {
  it('hands each system its own group, previous and next, only when that group changed', () => {
    const calls: string[] = [];
    const seen: unknown[] = [];
    const r = createNullStageRenderer({ view: 'player', plugins: [recordingPlugin(calls, seen)], registry });
    const a = defaultStageProps();
    r.setProps(a);
    // A new snapshot that shares the grid group (as immer does) does not reach the grid system.
    r.setProps({ ...a, map: { ...a.map, zoom: 2 } });
    const b = { ...a, grid: { ...a.grid, size: 32 } };
    r.setProps(b);
    r.dispose();
    expect(calls).toEqual(['create:grid:player', 'update', 'update', 'dispose']);
    expect(seen).toEqual([
      [undefined, a.grid],
      [a.grid, b.grid],
    ]);
  });

  it("hands systems the canvas's camera, the display frame and the view in both views, and the content bounds", () => {
    for (const view of ['gm', 'player'] as const) {
      const ctxs: RenderContext[] = [];
      const [first, second] = registry.plugins.map((p) => p.name);
      const probe = (name: string, bounds?: { x: number; y: number; width: number; height: number }) => ({
        name,
        render: defineRenderPlugin({
          create(ctx) {
            ctxs.push(ctx);
            return { update() {}, bounds: () => bounds, dispose() {} };
          },
        }),
      });
      const r = createNullStageRenderer({
        view,
        plugins: [probe(first!, { x: 0, y: 0, width: 50, height: 40 }), probe(second!)],
        registry,
      });
      const [framer, reader] = ctxs as [RenderContext, RenderContext];
      const frame = { center: { x: 100, y: 50 }, width: 200, height: 100, rotation: 0 };
      framer.viewport.setFrame(frame);
      r.renderNow();
      expect(reader.camera).toBe(r.scene.activeCamera);
      expect(reader.viewport.frame).toEqual(frame);
      expect(reader.contentBounds()).toEqual({ x: 0, y: 0, width: 50, height: 40 });
      // The player view fits the frame to the 800 × 600 screen; the GM's view stays the user's own.
      const centre = sceneToScreen(reader.viewport.view, frame.center);
      expect(centre).toEqual(view === 'player' ? { x: 400, y: 300 } : frame.center);
      r.dispose();
    }
  });

  it('refuses a render plugin whose name is not in the registry', () => {
    const bogus = {
      name: 'nope',
      render: defineRenderPlugin({ create: () => ({ update() {}, dispose() {} }) }),
    };
    expect(() => createNullStageRenderer({ view: 'gm', plugins: [bogus], registry })).toThrow(
      /"nope" has no schema/,
    );
  });

  it('maps any draw orders onto rendering groups, higher orders drawing later, equal ones sharing', () => {
    const layers = new Map<string, number>();
    const probe = (name: string, drawOrder: number) => ({
      name,
      drawOrder,
      render: defineRenderPlugin({
        create(ctx) {
          layers.set(name, ctx.layer);
          return { update() {}, dispose() {} };
        },
      }),
    });
    const names = registry.plugins.map((p) => p.name).slice(0, 5);
    const orders = [-50, 1000, 7.5, 1000, 3];
    const r = createNullStageRenderer({
      view: 'gm',
      plugins: names.map((n, i) => probe(n, orders[i]!)),
      registry,
    });
    r.dispose();
    expect(names.map((n) => layers.get(n))).toEqual([0, 3, 2, 3, 1]);
    // More distinct orders than Babylon's default four groups still each get their own group.
    const many = registry.plugins.map((p, i) => probe(p.name, i));
    createNullStageRenderer({ view: 'gm', plugins: many, registry }).dispose();
    expect(Math.max(...many.map((p) => layers.get(p.name)!))).toBe(many.length - 1);
  });

  it('renders on demand: no frame until something asks, one frame per request batch', async () => {
    const r = createNullStageRenderer({ view: 'gm', plugins: editorPlugins, registry });
    expect(r.stats().frames).toBe(0);
    const props = defaultStageProps();
    r.setProps(props);
    r.requestRender();
    r.requestRender();
    await new Promise((res) => setTimeout(res, 60));
    expect(r.stats().frames).toBe(1);
    await new Promise((res) => setTimeout(res, 60));
    expect(r.stats().frames).toBe(1);
    // Hovering nothing, re-sending the same snapshot: no frame.
    r.setHover(undefined);
    r.setProps(props);
    await new Promise((res) => setTimeout(res, 60));
    expect(r.stats().frames).toBe(1);
    r.dispose();
  });

  it('stops rendering while the page is hidden and catches up once when it shows again', async () => {
    const page = new EventTarget();
    let hidden = true;
    const visibility = {
      hidden: () => hidden,
      onChange(listener: () => void) {
        page.addEventListener('change', listener);
        return () => page.removeEventListener('change', listener);
      },
    };
    const r = createNullStageRenderer({ view: 'gm', plugins: editorPlugins, registry, visibility });
    r.setProps(defaultStageProps());
    r.requestRender();
    await new Promise((res) => setTimeout(res, 60));
    expect(r.stats().frames).toBe(0);
    hidden = false;
    page.dispatchEvent(new Event('change'));
    await new Promise((res) => setTimeout(res, 60));
    expect(r.stats().frames).toBe(1);
    r.dispose();
  });

  it('drives the camera from the view plugin so scene points land where sceneToScreen says', () => {
    const r = createNullStageRenderer({
      view: 'gm',
      plugins: editorPlugins,
      registry,
      width: 800,
      height: 600,
    });
    const props = defaultStageProps();
    props.scene = { ...props.scene, offset: { x: 120, y: -40 }, zoom: 2.5, rotation: 30 };
    r.setProps(props);
    r.renderNow();
    const camera = r.scene.activeCamera!;
    for (const p of [
      { x: 0, y: 0 },
      { x: 100, y: 50 },
      { x: -30, y: 200 },
    ]) {
      const projected = Vector3.Project(
        new Vector3(p.x, -p.y, 0),
        Matrix.Identity(),
        r.scene.getTransformMatrix(),
        camera.viewport.toGlobal(800, 600),
      );
      const expected = r.sceneToScreen(p);
      expect(projected.x).toBeCloseTo(expected.x, 3);
      expect(projected.y).toBeCloseTo(expected.y, 3);
    }
    expect(r.screenToScene(r.sceneToScreen({ x: 7, y: 9 }))).toEqual({
      x: expect.closeTo(7),
      y: expect.closeTo(9),
    });
    r.dispose();
  });

  it('player view shows the display frame whole; GM view keeps the user viewport', () => {
    const props = defaultStageProps();
    props.display = { ...props.display, center: { x: 700, y: 500 }, size: { x: 1400, y: 1000 } };
    props.scene = { ...props.scene, zoom: 3 };
    const player = createNullStageRenderer({ view: 'player', plugins: editorPlugins, registry });
    player.setProps(props);
    player.renderNow();
    // 800×600 canvas: min(800/1400, 600/1000) = 0.5714…; the frame's centre is the screen's.
    expect(player.viewport.zoom).toBeCloseTo(800 / 1400);
    expect(player.sceneToScreen({ x: 700, y: 500 })).toEqual({
      x: expect.closeTo(400),
      y: expect.closeTo(300),
    });
    const gm = createNullStageRenderer({ view: 'gm', plugins: editorPlugins, registry });
    gm.setProps(props);
    gm.renderNow();
    expect(gm.viewport.zoom).toBe(3);
    player.dispose();
    gm.dispose();
  });

  it("a frame turned 90° turns the player's view: the frame's top edge is at the top of the screen", () => {
    const props = defaultStageProps();
    // A frame 800 wide and 600 high along its own axes, turned clockwise: in the world it stands 600 × 800.
    props.display = {
      ...props.display,
      center: { x: 400, y: 300 },
      size: { x: 800, y: 600 },
      rotation: '90',
    };
    const player = createNullStageRenderer({ view: 'player', plugins: editorPlugins, registry });
    player.setProps(props);
    player.renderNow();
    // The frame's top-left corner, turned 90° clockwise about the centre, is the world's top-right corner.
    expect(player.sceneToScreen({ x: 400 + 300, y: 300 - 400 })).toEqual({
      x: expect.closeTo(0),
      y: expect.closeTo(0),
    });
    expect(player.sceneToScreen({ x: 400 - 300, y: 300 + 400 })).toEqual({
      x: expect.closeTo(800),
      y: expect.closeTo(600),
    });
    player.dispose();
  });

  it("the map's offset, zoom and rotation carry everything drawn: scene points follow the map", () => {
    const props = defaultStageProps();
    const r = createNullStageRenderer({ view: 'gm', plugins: editorPlugins, registry });
    r.setProps(props);
    const before = r.sceneToScreen({ x: 100, y: 50 });
    expect(before).toEqual({ x: expect.closeTo(100), y: expect.closeTo(50) });
    r.setProps({ ...props, map: { ...props.map, offset: { x: 30, y: 40 }, zoom: 2, rotation: 90 } });
    // Map pixel (100, 50) — where a marker or a fog cell sits — moves with the map: ×2, turned, shifted.
    expect(r.sceneToScreen({ x: 100, y: 50 })).toEqual({
      x: expect.closeTo(30 - 100),
      y: expect.closeTo(40 + 200),
    });
    expect(r.screenToScene({ x: -70, y: 240 })).toEqual({ x: expect.closeTo(100), y: expect.closeTo(50) });
    r.dispose();
  });

  it('fit-to-screen frames every system content (markers)', () => {
    const props = defaultStageProps();
    props.markers = {
      near: markerAt(0, 0),
      far: markerAt(3000, 2000),
    };
    const r = createNullStageRenderer({ view: 'gm', plugins: editorPlugins, registry });
    r.setProps(props);
    const t = r.fitToScreen(0);
    const corner = r.sceneToScreen({ x: 3024, y: 2024 });
    expect(corner.x).toBeLessThanOrEqual(800.001);
    expect(corner.y).toBeLessThanOrEqual(600.001);
    expect(Math.max(corner.x, corner.y)).toBeGreaterThan(590);
    expect(t.zoom).toBeLessThan(1);
    r.dispose();
  });

  it('content settles empty for an empty scene (a later marker fires nothing), and waits for a loading map', () => {
    const r = createNullStageRenderer({ view: 'gm', plugins: editorPlugins, registry });
    const props = defaultStageProps();
    r.setProps(props);
    const settled: unknown[] = [];
    const bounded: unknown[] = [];
    r.onContentSettled((b) => settled.push(b));
    r.onContentBounds((b) => bounded.push(b));
    r.renderNow();
    expect(settled).toEqual([undefined]);
    expect(bounded).toEqual([]);
    // The first marker placed later: the bounds listener still fires, the settled one is done.
    r.setProps({ ...props, markers: { a: markerAt(100, 100) } });
    r.renderNow();
    expect(settled).toEqual([undefined]);
    expect(bounded).toEqual([{ x: 76, y: 76, width: 48, height: 48 }]);

    // A map on its way: nothing settles until its image is in.
    r.setProps({ ...props, map: { ...props.map, url: 'http://127.0.0.1:9/never.png' } });
    r.onContentSettled((b) => settled.push(b));
    r.renderNow();
    expect(settled).toEqual([undefined]);
    r.dispose();
  });
});

function markerAt(x: number, y: number) {
  return {
    position: { x, y },
    label: '',
    shape: 'circle' as const,
    size: 0.75, // cells: 48 px on the default 64 px grid
    color: '#e03131',
    image: '',
    visibility: 'always' as const,
    gmNote: '',
  };
}
