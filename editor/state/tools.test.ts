import { describe, expect, it } from 'vitest';
import type { StageRenderer } from '../../engine/render';
import { IDENTITY_VIEWPORT, type ViewportTransform } from '../../engine/render';
import type { Point } from '../../engine/schema';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps, type StageProps } from '../../engine/generated/stageProps';
import { FogMask, type FogChanges } from '../../plugins';
import { positionProp, startGesture, TOOLS, type MemberRef, type ToolHost } from './tools';

const COLLECTION = registry.collections[0]!;
const POSITION = positionProp(COLLECTION.key)!;

/** A tool host that records what tools do, over a renderer whose screen is the scene (identity view). */
function fakeHost(options: { hit?: { id: string; at: Point } } = {}) {
  const props = defaultStageProps() as unknown as Record<string, Record<string, unknown>>;
  const calls: { kind: string; path?: string[]; value?: unknown }[] = [];
  const mask = new FogMask();
  let selection: MemberRef | undefined;
  let viewport: ViewportTransform = IDENTITY_VIEWPORT;
  if (options.hit) props[COLLECTION.key] = { [options.hit.id]: { [POSITION.key]: options.hit.at } };
  const renderer = {
    get viewport() {
      return viewport;
    },
    screenToScene: (p: Point) => ({
      x: (p.x - viewport.offset.x) / viewport.zoom,
      y: (p.y - viewport.offset.y) / viewport.zoom,
    }),
    pick: (x: number, y: number) => {
      const h = options.hit;
      return h && Math.hypot(x - h.at.x, y - h.at.y) < 20
        ? { plugin: COLLECTION.name, id: h.id, point: { x, y } }
        : undefined;
    },
  } as unknown as StageRenderer;
  const host: ToolHost = {
    renderer,
    props: () => props as unknown as StageProps,
    queuePropertyUpdate: (path, value) => (calls.push({ kind: 'update', path, value }), { ok: true }),
    beginEdit: (path) => void calls.push({ kind: 'begin', path }),
    endEdit: (path) => void calls.push({ kind: 'end', path }),
    selection: () => selection,
    select: (m) => void (selection = m),
    addMember: (collection, at) => (calls.push({ kind: 'add', path: [collection], value: at }), 'new-id'),
    fogMask: () => mask,
    applyFog: (changes: FogChanges) => void calls.push({ kind: 'fog', value: changes.size }),
    setViewport: (t) => void (viewport = t),
    preview: () => undefined,
  };
  return { host, calls, mask, selection: () => selection, viewport: () => viewport };
}

const pointer = (init: Partial<PointerEvent> = {}) => ({ button: 0, altKey: false, ...init }) as PointerEvent;

function drag(tool: string, host: ToolHost, from: Point, to: Point, init: Partial<PointerEvent> = {}): void {
  const g = startGesture(tool, host, from, pointer(init))!;
  g.move({ x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 }, pointer(init));
  g.move(to, pointer(init));
  g.end(to, pointer(init));
}

describe('editor tools', () => {
  it("come from the view plugin's tool list, each with its own key", () => {
    expect(TOOLS.length).toBeGreaterThan(1);
    const keys = TOOLS.map((t) => t.key).filter(Boolean);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('the rectangle tool reveals the dragged rectangle, and covers it again with Alt', () => {
    const { host, mask } = fakeHost();
    drag('fogRect', host, { x: 100, y: 100 }, { x: 200, y: 160 });
    expect(mask.at(150, 130)).toBe(0);
    expect(mask.at(250, 130)).toBe(1);
    drag('fogRect', host, { x: 100, y: 100 }, { x: 200, y: 160 }, { altKey: true });
    expect(mask.at(150, 130)).toBe(1);
  });

  it('the ellipse tool reveals the inscribed ellipse, not the corners', () => {
    const { host, mask } = fakeHost();
    drag('fogEllipse', host, { x: 0, y: 0 }, { x: 200, y: 200 });
    expect(mask.at(100, 100)).toBe(0);
    expect(mask.at(4, 4)).toBe(1);
  });

  it('the brush reveals along the pointer path and sends only changed tiles', () => {
    const { host, mask, calls } = fakeHost();
    drag('fogReveal', host, { x: 50, y: 50 }, { x: 250, y: 50 });
    expect(mask.at(150, 50)).toBe(0);
    expect(mask.at(150, 200)).toBe(1);
    expect(calls.every((c) => c.kind === 'fog' && (c.value as number) > 0)).toBe(true);
  });

  it('the marker tool adds a member at the pointer and selects it', () => {
    const { host, calls, selection } = fakeHost();
    startGesture('marker', host, { x: 30.4, y: 40.6 }, pointer());
    expect(calls).toEqual([{ kind: 'add', path: [COLLECTION.key], value: { x: 30, y: 41 } }]);
    expect(selection()).toEqual({ collection: COLLECTION.key, id: 'new-id' });
  });

  it('select drags a member as one edit, keeping the grab offset', () => {
    const { host, calls, selection } = fakeHost({ hit: { id: 'm1', at: { x: 100, y: 100 } } });
    drag('select', host, { x: 105, y: 100 }, { x: 205, y: 150 });
    const path = [COLLECTION.key, 'm1', POSITION.key];
    expect(selection()).toEqual({ collection: COLLECTION.key, id: 'm1' });
    expect(calls[0]).toEqual({ kind: 'begin', path });
    expect(calls.at(-1)).toEqual({ kind: 'end', path });
    expect(calls.at(-2)).toEqual({ kind: 'update', path, value: { x: 200, y: 150 } });
  });

  it('a cancelled drag puts the member back', () => {
    const { host, calls } = fakeHost({ hit: { id: 'm1', at: { x: 100, y: 100 } } });
    const g = startGesture('select', host, { x: 100, y: 100 }, pointer())!;
    g.move({ x: 300, y: 300 }, pointer());
    g.cancel();
    expect(calls.at(-2)).toMatchObject({ kind: 'update', value: { x: 100, y: 100 } });
    expect(calls.at(-1)?.kind).toBe('end');
  });

  it('select on empty space deselects and pans; the right button pans with any tool', () => {
    const { host, selection, viewport } = fakeHost();
    host.select({ collection: COLLECTION.key, id: 'x' });
    drag('select', host, { x: 10, y: 10 }, { x: 40, y: 30 });
    expect(selection()).toBeUndefined();
    expect(viewport().offset).toEqual({ x: 30, y: 20 });
    drag('fogReveal', host, { x: 0, y: 0 }, { x: 10, y: 0 }, { button: 2 });
    expect(viewport().offset).toEqual({ x: 40, y: 20 });
  });
});
