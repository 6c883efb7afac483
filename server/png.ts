import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Encodes RGBA pixels (row-major, 4 bytes each) as a PNG file. Enough PNG for
 * generated demo maps: 8-bit RGBA, no interlace, filter "none" on every row.
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA`);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A rectangle of a generated map, in pixels, with its fill colour. */
export interface MapRoom {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly color: readonly [number, number, number];
}

/** How to draw a demo map: a background, rooms on top, flagstone seams every `tile` pixels, deterministic noise. */
export interface MapPicture {
  readonly width: number;
  readonly height: number;
  readonly background: readonly [number, number, number];
  readonly rooms: readonly MapRoom[];
  readonly tile: number;
  readonly seed: number;
}

/** Draws a MapPicture into a PNG: a small battle map without shipping a binary asset. */
export function drawMapPng(pic: MapPicture): Buffer {
  const { width, height } = pic;
  const px = new Uint8Array(width * height * 4);
  let state = pic.seed >>> 0 || 1;
  const rand = () => {
    // xorshift32: deterministic, so the demo map is the same on every machine.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const room = pic.rooms.find((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h);
      const base = room?.color ?? pic.background;
      const seam = room && (x % pic.tile === 0 || y % pic.tile === 0) ? 0.7 : 1;
      const noise = 0.9 + rand() * 0.2;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) px[i + c] = Math.min(255, Math.round(base[c]! * seam * noise));
      px[i + 3] = 255;
    }
  return encodePng(width, height, px);
}
