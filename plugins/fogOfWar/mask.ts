/**
 * The fog-of-war mask: an unbounded grid of cells (1 = fogged, 0 = revealed)
 * stored sparsely as square tiles. A tile that is not stored holds the mask's
 * `fill` everywhere, so a fresh scene is fully fogged with no data at all and
 * "reveal all" is one byte. Tiles travel as run-length-encoded blobs in the
 * scene's `blobs` map under `fog/<tx>_<ty>`; the fill under `fog/default`.
 */

/** Scene units per fog cell (a default 64-unit grid square is 16 × 16 cells): fine enough for smooth brush edges. */
export const FOG_CELL = 4;
/** Cells per tile side. */
export const FOG_TILE = 64;
const TILE_CELLS = FOG_TILE * FOG_TILE;
/** Prefix of every fog blob key. */
export const FOG_PREFIX = 'fog/';
/** Blob key of the fill value; absent means fogged. */
export const FOG_FILL_KEY = 'fog/default';
const RLE_VERSION = 1;

/** A cell value: 1 fogged, 0 revealed. */
export type FogValue = 0 | 1;

/** Blob key → new bytes, or `null` to delete the key (the tile equals the fill again). */
export type FogChanges = Map<string, Uint8Array | null>;

/** Blob key of tile (tx, ty). */
export function tileKey(tx: number, ty: number): string {
  return `${FOG_PREFIX}${tx}_${ty}`;
}

/** The tile coordinates in a fog blob key, or undefined for other keys (including the fill key). */
export function parseTileKey(key: string): { tx: number; ty: number } | undefined {
  const m = /^fog\/(-?\d+)_(-?\d+)$/.exec(key);
  return m ? { tx: Number(m[1]), ty: Number(m[2]) } : undefined;
}

/**
 * Run-length encodes one tile: a version byte, the first cell's value, then
 * LEB128 lengths of alternating runs. A uniform tile is 4 bytes; a tile
 * crossed by one brush stroke is typically a few hundred.
 */
export function encodeTile(cells: Uint8Array): Uint8Array {
  if (cells.length !== TILE_CELLS)
    throw new Error(`fog tile must have ${TILE_CELLS} cells, got ${cells.length}`);
  const out: number[] = [RLE_VERSION, cells[0]! ? 1 : 0];
  let current = cells[0]! ? 1 : 0;
  let run = 0;
  const push = (n: number): void => {
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.push(n);
  };
  for (let i = 0; i < TILE_CELLS; i++) {
    const v = cells[i]! ? 1 : 0;
    if (v === current) run++;
    else {
      push(run);
      current = v;
      run = 1;
    }
  }
  push(run);
  return Uint8Array.from(out);
}

/** Decodes {@link encodeTile}'s output; throws a clear error on malformed data instead of guessing. */
export function decodeTile(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 3 || bytes[0] !== RLE_VERSION) throw new Error('fog tile: unknown encoding');
  const cells = new Uint8Array(TILE_CELLS);
  let value = bytes[1] ? 1 : 0;
  let at = 0;
  let i = 2;
  while (i < bytes.length) {
    let n = 0;
    let shift = 0;
    let b: number;
    do {
      if (i >= bytes.length || shift > 21) throw new Error('fog tile: truncated run length');
      b = bytes[i++]!;
      n |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (at + n > TILE_CELLS) throw new Error('fog tile: runs overflow the tile');
    if (value) cells.fill(1, at, at + n);
    at += n;
    value ^= 1;
  }
  if (at !== TILE_CELLS) throw new Error(`fog tile: runs cover ${at} of ${TILE_CELLS} cells`);
  return cells;
}

/** The sparse cell mask. Tools mutate it and report the blobs they changed. */
export class FogMask {
  /** Value of every cell in a tile that is not stored. */
  fill: FogValue = 1;
  /** Stored tiles by `tx_ty` (without the prefix); always differ from a uniform `fill` tile. */
  readonly tiles = new Map<string, Uint8Array>();

  /** Builds a mask from a scene's blobs (any map-like of key → bytes); skips and reports bad tiles. */
  static fromBlobs(
    blobs: Iterable<[string, Uint8Array]>,
    onError?: (key: string, error: Error) => void,
  ): FogMask {
    const mask = new FogMask();
    for (const [key, bytes] of blobs) {
      try {
        mask.applyBlob(key, bytes);
      } catch (e) {
        onError?.(key, e as Error);
      }
    }
    return mask;
  }

  /** Applies one incoming blob (`undefined` = the key was deleted). Non-fog keys are ignored. */
  applyBlob(key: string, bytes: Uint8Array | undefined): void {
    if (key === FOG_FILL_KEY) {
      this.fill = bytes && bytes.length > 0 && bytes[0] === 0 ? 0 : 1;
      return;
    }
    const t = parseTileKey(key);
    if (!t) return;
    const id = `${t.tx}_${t.ty}`;
    if (bytes === undefined) this.tiles.delete(id);
    else this.tiles.set(id, decodeTile(bytes));
  }

  get(cx: number, cy: number): FogValue {
    const tx = Math.floor(cx / FOG_TILE);
    const ty = Math.floor(cy / FOG_TILE);
    const tile = this.tiles.get(`${tx}_${ty}`);
    if (!tile) return this.fill;
    return tile[(cy - ty * FOG_TILE) * FOG_TILE + (cx - tx * FOG_TILE)] ? 1 : 0;
  }

  /** The value at a scene point. */
  at(x: number, y: number): FogValue {
    return this.get(Math.floor(x / FOG_CELL), Math.floor(y / FOG_CELL));
  }

  /** A stored tile's cells, creating it (filled) if needed. */
  tile(tx: number, ty: number): Uint8Array {
    const id = `${tx}_${ty}`;
    let tile = this.tiles.get(id);
    if (!tile) {
      tile = new Uint8Array(TILE_CELLS).fill(this.fill);
      this.tiles.set(id, tile);
    }
    return tile;
  }

  /**
   * The blob for tile (tx, ty) after a change: its encoding, or `null` when it
   * is uniform and equal to the fill (then it is dropped from the mask too).
   */
  settle(tx: number, ty: number): Uint8Array | null {
    const id = `${tx}_${ty}`;
    const tile = this.tiles.get(id);
    if (!tile || tile.every((v) => v === this.fill)) {
      this.tiles.delete(id);
      return null;
    }
    return encodeTile(tile);
  }

  /** Every blob this mask is made of: what a fresh client or the database needs. */
  toBlobs(): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    if (this.fill === 0) out.set(FOG_FILL_KEY, Uint8Array.of(0));
    for (const [id, tile] of this.tiles) out.set(FOG_PREFIX + id, encodeTile(tile));
    return out;
  }

  /** True when both masks fog exactly the same cells. */
  equals(other: FogMask): boolean {
    const ids = new Set([...this.tiles.keys(), ...other.tiles.keys()]);
    if (this.fill !== other.fill) return false;
    for (const id of ids) {
      const a = this.tiles.get(id);
      const b = other.tiles.get(id);
      for (let i = 0; i < TILE_CELLS; i++)
        if ((a ? a[i]! : this.fill) !== (b ? b[i]! : other.fill)) return false;
    }
    return true;
  }

  /** Stored tile coordinates' bounding box, or undefined when no tile is stored. */
  tileBounds(): { tx0: number; ty0: number; tx1: number; ty1: number } | undefined {
    let b: { tx0: number; ty0: number; tx1: number; ty1: number } | undefined;
    for (const id of this.tiles.keys()) {
      const [tx, ty] = id.split('_').map(Number) as [number, number];
      if (!b) b = { tx0: tx, ty0: ty, tx1: tx, ty1: ty };
      else
        b = {
          tx0: Math.min(b.tx0, tx),
          ty0: Math.min(b.ty0, ty),
          tx1: Math.max(b.tx1, tx),
          ty1: Math.max(b.ty1, ty),
        };
    }
    return b;
  }
}
