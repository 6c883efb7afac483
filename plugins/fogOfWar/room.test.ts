import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../engine/generated';
import type { RoomPlugin } from '../../engine/plugin';
import { getOrCreateSceneMap, getSceneMap } from '../../engine/sync/docLayout';
import { ROOM_ORIGIN } from '../../partykit/core/syncRoom';
import { OcclusionIndex } from '../../partykit/session/occlusion';
import { Projector } from '../../partykit/session/projection';
import { RoomHooks } from '../../partykit/session/roomHooks';
import { ChangeTracker } from '../../partykit/session/tracker';
import markerRoom from '../marker/room';
import { FOG_CELL, FOG_TILE, encodeTile, tileKey } from './mask';
import { fogOcclusion } from './occlusion';
import fogRoom from './room';

const TILE_UNITS = FOG_CELL * FOG_TILE;

/** The room pipeline (repairs, projection with the fog and marker room halves), counting fog questions. */
function setup() {
  let asked = 0;
  const countingFog: RoomPlugin = {
    ...fogRoom,
    occlusion: {
      hides: (scene, area) => (asked++, fogOcclusion.hides(scene, area)),
      changed: fogOcclusion.changed,
    },
  };
  const plugins = [countingFog, markerRoom];
  const full = new Y.Doc();
  const view = new Y.Doc();
  const tracker = new ChangeTracker(full, registry);
  const occlusion = new OcclusionIndex(full, registry, plugins);
  const projector = new Projector(
    full,
    view,
    registry,
    new RoomHooks(registry, plugins),
    () => true,
    occlusion,
  );
  const commit = () => {
    full.transact(() => tracker.runChecks(), ROOM_ORIGIN);
    projector.project(tracker.takeViewChanges(), ROOM_ORIGIN);
  };
  full.transact(() => getOrCreateSceneMap(full, 's1', registry, { name: 'One' }), ROOM_ORIGIN);
  commit();
  const client = { id: 'client' };
  const gm = (fn: () => void) => {
    full.transact(fn, client);
    commit();
  };
  const scene = () => getSceneMap(full, 's1')!;
  const map = (doc: Y.Doc, key: string) => getSceneMap(doc, 's1')!.get(key) as Y.Map<unknown>;
  const fog = () => map(full, 'fogOfWar');
  const grid = () => map(full, 'grid');
  const markers = () => map(full, 'markers');
  const addMarker = (id: string, x: number, y: number, label = id) =>
    gm(() => {
      const m = new Y.Map<unknown>();
      markers().set(id, m);
      m.set('position', { x, y });
      m.set('label', label);
    });
  const seen = (id: string) => map(view, 'markers').has(id);
  /** Writes tile (tx, ty) with `revealed(cx, cy)` cells (tile-local) revealed, the rest fogged. */
  const tile = (tx: number, ty: number, revealed: (cx: number, cy: number) => boolean) => {
    const cells = new Uint8Array(FOG_TILE * FOG_TILE);
    for (let cy = 0; cy < FOG_TILE; cy++)
      for (let cx = 0; cx < FOG_TILE; cx++) cells[cy * FOG_TILE + cx] = revealed(cx, cy) ? 0 : 1;
    gm(() => (scene().get('blobs') as Y.Map<unknown>).set(tileKey(tx, ty), encodeTile(cells)));
  };
  return {
    gm,
    fog,
    grid,
    markers,
    addMarker,
    seen,
    tile,
    view,
    asked: () => asked,
    resetAsked: () => (asked = 0),
  };
}

describe('fog hides members from players', () => {
  it('a member entirely under opaque fog is not sent; translucent fog hides nothing', () => {
    const t = setup();
    t.addMarker('ambush', 100, 100, 'Ambush: 6 goblins');
    expect(t.seen('ambush')).toBe(true);
    t.gm(() => t.fog().set('enabled', true));
    expect(t.seen('ambush')).toBe(false);
    t.gm(() => t.fog().set('playerOpacity', 0.5));
    expect(t.seen('ambush')).toBe(true);
    t.gm(() => t.fog().set('playerOpacity', 1));
    expect(t.seen('ambush')).toBe(false);
    // What players hold now carries nothing of the hidden member (deleted content is collected).
    expect(Buffer.from(Y.encodeStateAsUpdateV2(t.view)).includes('Ambush: 6 goblins')).toBe(false);
  });

  it('revealing fog over a member sends it, even partly; covering it again takes it away', () => {
    const t = setup();
    t.gm(() => t.fog().set('enabled', true));
    t.addMarker('m', 100, 100);
    expect(t.seen('m')).toBe(false);
    // One revealed cell at the footprint's corner (one 64-unit grid cell: it spans 68..132) is enough.
    const corner = Math.floor(68 / FOG_CELL);
    t.tile(0, 0, (cx, cy) => cx === corner && cy === corner);
    expect(t.seen('m')).toBe(true);
    t.tile(0, 0, () => false);
    expect(t.seen('m')).toBe(false);
  });

  it('a marker is as large as its grid cells: a larger grid makes it reach a revealed cell', () => {
    const t = setup();
    t.gm(() => t.fog().set('enabled', true));
    t.addMarker('m', 100, 100);
    // Revealed: the fog cell 60..64, just outside the 1-cell footprint 68..132 of the default 64-unit grid.
    const cell = Math.floor(60 / FOG_CELL);
    t.tile(0, 0, (cx, cy) => cx === cell && cy === cell);
    expect(t.seen('m')).toBe(false);
    // 128-unit cells: the footprint spans 36..164 and meets it.
    t.gm(() => t.grid().set('size', 128));
    expect(t.seen('m')).toBe(true);
    t.gm(() => t.grid().set('size', 64));
    expect(t.seen('m')).toBe(false);
  });

  it('a member moved under fog leaves, moved into the open arrives', () => {
    const t = setup();
    t.gm(() => t.fog().set('enabled', true));
    t.tile(0, 0, () => true);
    t.addMarker('m', 100, 100);
    expect(t.seen('m')).toBe(true);
    t.gm(() => (t.markers().get('m') as Y.Map<unknown>).set('position', { x: 5 * TILE_UNITS, y: 100 }));
    expect(t.seen('m')).toBe(false);
    t.gm(() => (t.markers().get('m') as Y.Map<unknown>).set('position', { x: 100, y: 100 }));
    expect(t.seen('m')).toBe(true);
  });

  it('a fog change asks again about the members it touches only', () => {
    const t = setup();
    t.gm(() => t.fog().set('enabled', true));
    for (let i = 0; i < 50; i++) t.addMarker(`far${i}`, 10 * TILE_UNITS + i * 4, 10 * TILE_UNITS + 100);
    t.addMarker('near', 100, 100);
    t.resetAsked();
    t.tile(0, 0, () => true);
    expect(t.seen('near')).toBe(true);
    expect(t.asked()).toBe(1);
  });
});
