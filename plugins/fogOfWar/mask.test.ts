import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { decodeTile, encodeTile, FOG_CELL, FOG_FILL_KEY, FOG_TILE, FogMask, tileKey } from './mask';
import { brush, ellipse, fillAll, rectangle } from './tools';
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
