import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../engine/generated/schemas';
import type { PropInfo } from '../../engine/schema';
import { defaultOf, getSceneMap, setPath } from '../../engine/sync/docLayout';
import { addScene } from '../../engine/sync/sceneList';
import { ThumbnailMaker, type ThumbnailMakerOptions } from './thumbnails';

const IDLE = 3000;
/** A synced numeric scene property with bounds, whichever plugin declares it first: edits alternate its bounds. */
const bounded = (prop: PropInfo) =>
  !prop.localOnly &&
  prop.decl.kind === 'number' &&
  prop.decl.min !== undefined &&
  prop.decl.max !== undefined;
const plugin = registry.scenePlugins.find((p) => p.props.some(bounded))!;
const prop = plugin.props.find(bounded)!;
const bounds = prop.decl as { min: number; max: number };

function setup(overrides: Partial<ThumbnailMakerOptions> = {}) {
  const doc = new Y.Doc();
  const a = addScene(doc, registry, { name: 'A' });
  const b = addScene(doc, registry, { name: 'B' });
  let shown = a;
  const thumbnails = new Set<string>([a, b]);
  const uploads: string[] = [];
  const maker = new ThumbnailMaker({
    doc,
    registry,
    idleMs: IDLE,
    shownScene: () => shown,
    hasThumbnail: (id) => thumbnails.has(id),
    capture: async (id) => new Blob([id], { type: 'image/png' }),
    upload: async (id) => void uploads.push(id),
    ...overrides,
  });
  let n = 0;
  const edit = (sceneId: string) =>
    doc.transact(() =>
      setPath(
        getSceneMap(doc, sceneId)!,
        [plugin.key, prop.key],
        n++ % 2 ? bounds.min : bounds.max,
        registry,
      ),
    );
  return { doc, a, b, maker, uploads, thumbnails, edit, show: (id: string) => (shown = id) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ThumbnailMaker', () => {
  it('pictures a scene once its edits have been idle, and not again while nothing changes', async () => {
    const { a, maker, uploads, edit } = setup();
    edit(a);
    await vi.advanceTimersByTimeAsync(IDLE - 100);
    edit(a); // still editing: the quiet time starts again
    await vi.advanceTimersByTimeAsync(IDLE - 100);
    expect(uploads).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(uploads).toEqual([a]);
    maker.sceneShown();
    await vi.advanceTimersByTimeAsync(IDLE * 5);
    expect(uploads).toEqual([a]);
    edit(a);
    await vi.advanceTimersByTimeAsync(IDLE);
    expect(uploads).toEqual([a, a]);
    expect(maker.made).toBe(2);
  });

  it('leaves other GMs’ edits (remote updates) to their own editors', async () => {
    const { doc, a, uploads } = setup();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    setPath(
      getSceneMap(other, a)!,
      [plugin.key, prop.key],
      defaultOf(prop) === bounds.max ? bounds.min : bounds.max,
      registry,
    );
    expect(Y.encodeStateVector(other)).not.toEqual(Y.encodeStateVector(doc));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'remote');
    await vi.advanceTimersByTimeAsync(IDLE * 2);
    expect(uploads).toEqual([]);
  });

  it('pictures a scene shown without a thumbnail, once', async () => {
    const { b, maker, uploads, thumbnails, show } = setup();
    thumbnails.delete(b);
    show(b);
    maker.sceneShown();
    await vi.advanceTimersByTimeAsync(IDLE);
    expect(uploads).toEqual([b]);
    maker.sceneShown(); // the room's copy of the URL has not arrived yet: no second picture
    await vi.advanceTimersByTimeAsync(IDLE * 2);
    expect(uploads).toEqual([b]);
  });

  it('pictures an edited scene as the GM leaves it, before the quiet time is over', async () => {
    const { a, b, maker, uploads, edit, show } = setup();
    edit(a);
    maker.leaving(a);
    show(b);
    await vi.advanceTimersByTimeAsync(0);
    expect(uploads).toEqual([a]);
    await vi.advanceTimersByTimeAsync(IDLE * 2);
    expect(uploads).toEqual([a]);
  });

  it('retries a failed upload a few times, then waits for the next edit', async () => {
    let calls = 0;
    const { a, edit } = setup({
      upload: async () => {
        calls++;
        throw new Error('server away');
      },
    });
    edit(a);
    await vi.advanceTimersByTimeAsync(IDLE * 10);
    expect(calls).toBe(3);
    edit(a);
    await vi.advanceTimersByTimeAsync(IDLE);
    expect(calls).toBe(4);
  });

  it('does not retry a scene with nothing to draw until it is edited', async () => {
    let captures = 0;
    const { b, maker, thumbnails, show, edit } = setup({
      capture: async () => void captures++,
    });
    thumbnails.delete(b);
    show(b);
    maker.sceneShown();
    await vi.advanceTimersByTimeAsync(IDLE * 3);
    maker.sceneShown();
    await vi.advanceTimersByTimeAsync(IDLE * 3);
    expect(captures).toBe(1);
    edit(b);
    await vi.advanceTimersByTimeAsync(IDLE);
    expect(captures).toBe(2);
  });
});
