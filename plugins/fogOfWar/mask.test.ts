import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { decodeTile, encodeTile, FOG_CELL, FOG_FILL_KEY, FOG_TILE, FogMask, tileKey } from './mask';
import { brush, ellipse, fillAll, insidePolygon, polygon, rectangle } from './tools';
import { fogEntries, writeFogChanges } from './sync';

const TILE_UNITS = FOG_TILE * FOG_CELL;

/** A scene doc laid out as the shared-document contract says: scenes → sceneId → blobs. */
function sceneBlobs(doc: Y.Doc): Y.Map<Uint8Array> {
  const scenes = doc.getMap<Y.Map<unknown>>('scenes');
  let scene = scenes.get('s1');
  if (!scene) {
    scene = new Y.Map();
    scenes.set('s1', scene);
    scene.set('blobs', new Y.Map<Uint8Array>());
  }
  return scene.get('blobs') as Y.Map<Uint8Array>;
}

describe('fog tile encoding', () => {
  it('round-trips any tile through run-length encoding', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: FOG_TILE * FOG_TILE, maxLength: FOG_TILE * FOG_TILE }),
        (raw) => {
          const cells = raw.map((v) => v & 1);
          expect(decodeTile(encodeTile(cells))).toEqual(cells);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('encodes a uniform tile in 4 bytes', () => {
    expect(encodeTile(new Uint8Array(FOG_TILE * FOG_TILE).fill(1)).length).toBe(4);
  });

  it('rejects malformed data with a clear error instead of a wrong mask', () => {
    expect(() => decodeTile(Uint8Array.of(9, 0, 1))).toThrow(/unknown encoding/);
    expect(() => decodeTile(Uint8Array.of(1, 0, 5))).toThrow(/runs cover 5 of 4096/);
    expect(() => decodeTile(Uint8Array.of(1, 0, 0x80))).toThrow(/truncated/);
    const mask = FogMask.fromBlobs([[tileKey(0, 0), Uint8Array.of(1, 1, 3)]], () => {});
    expect(mask.tiles.size).toBe(0);
  });
});

describe('fog tools', () => {
  it('a brush stroke changes only the tiles it touched', () => {
    const mask = new FogMask();
    const changes = brush(
      mask,
      {
        points: [
          { x: 100, y: 100 },
          { x: 200, y: 120 },
        ],
        radius: 30,
      },
      'reveal',
    );
    expect([...changes.keys()]).toEqual([tileKey(0, 0)]);
    expect(mask.at(150, 110)).toBe(0);
    expect(mask.at(150, 200)).toBe(1);
    // Across the tile boundary at x = 512: two tiles.
    const across = brush(
      mask,
      {
        points: [
          { x: TILE_UNITS - 40, y: 40 },
          { x: TILE_UNITS + 40, y: 40 },
        ],
        radius: 16,
      },
      'reveal',
    );
    expect([...across.keys()].sort()).toEqual([tileKey(0, 0), tileKey(1, 0)]);
  });

  it('a brush finer than a cell (the GM zoomed far in) still paints the cells its stroke crosses', () => {
    const mask = new FogMask();
    // Along a row of cell corners, radius under half a cell: no cell centre lies within it.
    const changes = brush(
      mask,
      {
        points: [
          { x: 419, y: 300 },
          { x: 421, y: 300 },
        ],
        radius: 1.9,
      },
      'reveal',
    );
    expect(changes.size).toBe(1);
    expect(mask.at(420, 300)).toBe(0);
    expect(mask.at(418, 298)).toBe(0);
    expect(mask.at(420, 310)).toBe(1);
  });

  it('repainting the same area sends nothing; covering it back deletes the tiles', () => {
    const mask = new FogMask();
    rectangle(mask, { x: 0, y: 0, width: 100, height: 100 }, 'reveal');
    expect(rectangle(mask, { x: 0, y: 0, width: 100, height: 100 }, 'reveal').size).toBe(0);
    const back = rectangle(mask, { x: 100, y: 100, width: -100, height: -100 }, 'cover');
    expect([...back]).toEqual([[tileKey(0, 0), null]]);
    expect(mask.tiles.size).toBe(0);
  });

  it('ellipse reveals its inside and not the corners of its box', () => {
    const mask = new FogMask();
    ellipse(mask, { x: 0, y: 0, width: 400, height: 200 }, 'reveal');
    expect(mask.at(200, 100)).toBe(0);
    expect(mask.at(390, 100)).toBe(0);
    expect(mask.at(10, 10)).toBe(1);
    expect(mask.at(390, 190)).toBe(1);
  });

  it('reveal-all and cover-all cost a few bytes whatever was painted', () => {
    const mask = new FogMask();
    rectangle(mask, { x: -1000, y: -1000, width: 3000, height: 3000 }, 'reveal');
    brush(mask, { points: [{ x: 0, y: 0 }], radius: 40 }, 'cover');
    const reveal = fillAll(mask, 'reveal');
    expect(reveal.get(FOG_FILL_KEY)).toEqual(Uint8Array.of(0));
    expect([...reveal.values()].filter((v) => v !== null)).toHaveLength(1);
    expect(mask.at(123456, -98765)).toBe(0);
    const cover = fillAll(mask, 'cover');
    expect(cover.get(FOG_FILL_KEY)).toBeNull();
    expect(mask.at(0, 0)).toBe(1);
  });
});

describe('fog mask sync through Y.js', () => {
  it('paint, encode into blobs, sync to a second doc, decode: identical mask', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const mask = new FogMask();
    writeFogChanges(sceneBlobs(a), rectangle(mask, { x: -300, y: -200, width: 900, height: 700 }, 'reveal'));
    writeFogChanges(sceneBlobs(a), ellipse(mask, { x: 100, y: 100, width: 200, height: 120 }, 'cover'));
    writeFogChanges(
      sceneBlobs(a),
      brush(
        mask,
        {
          points: [
            { x: 0, y: 900 },
            { x: 700, y: 950 },
            { x: 1400, y: 600 },
          ],
          radius: 48,
        },
        'reveal',
      ),
    );
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const received = FogMask.fromBlobs(fogEntries(sceneBlobs(b)));
    expect(received.equals(mask)).toBe(true);
    expect(received.toBlobs()).toEqual(mask.toBlobs());

    // A later stroke travels as an update carrying only the touched tile, not the whole mask.
    const before = Y.encodeStateVector(b);
    writeFogChanges(sceneBlobs(a), brush(mask, { points: [{ x: 40, y: 40 }], radius: 20 }, 'cover'));
    const update = Y.encodeStateAsUpdate(a, before);
    const fullSize = [...mask.toBlobs().values()].reduce((n, v) => n + v.length, 0);
    expect(update.length).toBeLessThan(fullSize);
    Y.applyUpdate(b, update);
    expect(FogMask.fromBlobs(fogEntries(sceneBlobs(b))).equals(mask)).toBe(true);
  });

  it('reveal-all syncs and replaces every painted tile on the other side', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
    const mask = new FogMask();
    writeFogChanges(sceneBlobs(a), rectangle(mask, { x: 0, y: 0, width: 2000, height: 2000 }, 'reveal'));
    writeFogChanges(sceneBlobs(a), fillAll(mask, 'reveal'));
    const received = FogMask.fromBlobs(fogEntries(sceneBlobs(b)));
    expect([...sceneBlobs(b).keys()]).toEqual([FOG_FILL_KEY]);
    expect(received.fill).toBe(0);
    expect(received.equals(mask)).toBe(true);
  });
});

describe('polygon reveal', () => {
  /** Every cell's value in a box of cells, as a string grid (for exact comparisons). */
  const cellsIn = (mask: FogMask, x0: number, y0: number, x1: number, y1: number): number[] => {
    const out: number[] = [];
    for (let cy = y0; cy < y1; cy++) for (let cx = x0; cx < x1; cx++) out.push(mask.get(cx, cy));
    return out;
  };

  it('reveals exactly the cells whose centres lie inside, across tiles', () => {
    const mask = new FogMask();
    // An L-shaped room spanning a tile border (a tile is 256 scene units).
    const room = [
      { x: 200, y: 40 },
      { x: 400, y: 40 },
      { x: 400, y: 120 },
      { x: 280, y: 120 },
      { x: 280, y: 300 },
      { x: 200, y: 300 },
    ];
    const changes = polygon(mask, room, 'reveal');
    expect([...changes.keys()].sort()).toEqual([tileKey(0, 0), tileKey(0, 1), tileKey(1, 0), tileKey(1, 1)]);
    for (let cy = 0; cy < 100; cy++)
      for (let cx = 0; cx < 120; cx++) {
        const x = (cx + 0.5) * FOG_CELL;
        const y = (cy + 0.5) * FOG_CELL;
        const inRoom = (x > 200 && x < 400 && y > 40 && y < 120) || (x > 200 && x < 280 && y > 40 && y < 300);
        expect(mask.get(cx, cy), `cell ${cx},${cy}`).toBe(inRoom ? 0 : 1);
      }
  });

  it('covers with the same outline, and changes nothing with fewer than three corners', () => {
    const mask = new FogMask();
    mask.fill = 0;
    const tri = [
      { x: 0, y: 0 },
      { x: 64, y: 0 },
      { x: 0, y: 64 },
    ];
    polygon(mask, tri, 'cover');
    expect(mask.get(0, 0)).toBe(1);
    expect(mask.get(15, 15)).toBe(0);
    expect(mask.get(3, 10)).toBe(1);
    expect(polygon(mask, tri.slice(0, 2), 'reveal').size).toBe(0);
    expect(polygon(mask, [...tri.slice(0, 2), { x: NaN, y: 1 }], 'reveal').size).toBe(0);
  });

  it('agrees with the rectangle tool for a rectangle drawn as a polygon, in any winding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        fc.boolean(),
        (x, y, w, h, clockwise) => {
          const a = new FogMask();
          const b = new FogMask();
          const box = [
            { x: x + 0.1, y: y + 0.1 },
            { x: x + w + 0.1, y: y + 0.1 },
            { x: x + w + 0.1, y: y + h + 0.1 },
            { x: x + 0.1, y: y + h + 0.1 },
          ];
          polygon(a, clockwise ? box : [...box].reverse(), 'reveal');
          rectangle(b, { x: x + 0.1, y: y + 0.1, width: w, height: h }, 'reveal');
          expect(a.equals(b)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves the knot of a self-crossing outline covered (even-odd)', () => {
    const bowtie = [
      { x: 0, y: 0 },
      { x: 100, y: 100 },
      { x: 100, y: 0 },
      { x: 0, y: 100 },
    ];
    expect(insidePolygon(50, 10, bowtie)).toBe(false);
    expect(insidePolygon(10, 50, bowtie)).toBe(true);
    const mask = new FogMask();
    polygon(mask, bowtie, 'reveal');
    expect(cellsIn(mask, 12, 1, 13, 2)).toEqual([1]);
    expect(cellsIn(mask, 1, 12, 2, 13)).toEqual([0]);
  });
});
