/**
 * A small QR code encoder (ISO/IEC 18004, byte mode, error correction M when
 * it fits and L otherwise, versions 1–40) and a terminal renderer, so
 * `npm start -- --lan` can show the player link as a code a phone scans. No
 * dependency: the project only needs this one use.
 */

type Level = 'L' | 'M';

// Per version (index 1–40): error-correction codewords per block and number of blocks.
const ECC_PER_BLOCK: Record<Level, readonly number[]> = {
  L: [
    0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28,
    30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
  ],
  M: [
    0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28,
    28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  ],
};
const BLOCKS: Record<Level, readonly number[]> = {
  L: [
    0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16,
    17, 18, 19, 19, 20, 21, 22, 24, 25,
  ],
  M: [
    0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28,
    29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
  ],
};
const FORMAT_LEVEL_BITS: Record<Level, number> = { L: 1, M: 0 };

/** Modules left for data and error correction in a symbol of `version`. */
function rawDataModules(version: number): number {
  let n = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (version >= 7) n -= 36;
  }
  return n;
}

const dataCodewords = (version: number, level: Level) =>
  Math.floor(rawDataModules(version) / 8) - ECC_PER_BLOCK[level][version]! * BLOCKS[level][version]!;

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
function gfMul(a: number, b: number): number {
  let r = 0;
  for (let i = 7; i >= 0; i--) {
    r = (r << 1) ^ ((r >>> 7) * 0x11d);
    r ^= ((b >>> i) & 1) * a;
  }
  return r & 0xff;
}

/** Reed–Solomon error-correction codewords of `data` (generator with roots α^0 … α^(n-1)). */
export function reedSolomon(data: readonly number[], n: number): number[] {
  const gen = new Array<number>(n).fill(0);
  gen[n - 1] = 1;
  let root = 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) gen[j] = gfMul(gen[j]!, root) ^ (gen[j + 1] ?? 0);
    root = gfMul(root, 2);
  }
  const rem = new Array<number>(n).fill(0);
  for (const b of data) {
    const factor = b ^ rem.shift()!;
    rem.push(0);
    for (let j = 0; j < n; j++) rem[j]! ^= gfMul(gen[j]!, factor);
  }
  return rem;
}

/** The codewords (data and error correction, interleaved) for `bytes` in a symbol of `version`. */
function codewords(bytes: Uint8Array, version: number, level: Level): number[] {
  const capacity = dataCodewords(version, level);
  const bits: number[] = [];
  const put = (value: number, len: number) => {
    for (let i = len - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4); // byte mode
  put(bytes.length, version <= 9 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacity * 8 - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; data.length < capacity; pad ^= 0xec ^ 0x11) data.push(pad);

  const blocks = BLOCKS[level][version]!;
  const ecc = ECC_PER_BLOCK[level][version]!;
  const total = Math.floor(rawDataModules(version) / 8);
  const short = blocks - (total % blocks);
  const shortData = Math.floor(total / blocks) - ecc;
  const parts: { data: number[]; ecc: number[] }[] = [];
  for (let i = 0, at = 0; i < blocks; i++) {
    const len = shortData + (i < short ? 0 : 1);
    const d = data.slice(at, at + len);
    at += len;
    parts.push({ data: d, ecc: reedSolomon(d, ecc) });
  }
  const out: number[] = [];
  for (let i = 0; i <= shortData; i++) for (const p of parts) if (i < p.data.length) out.push(p.data[i]!);
  for (let i = 0; i < ecc; i++) for (const p of parts) out.push(p.ecc[i]!);
  return out;
}

function alignmentPositions(version: number, size: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = version === 32 ? 26 : Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
  const out = [6];
  for (let pos = size - 7; out.length < count; pos -= step) out.splice(1, 0, pos);
  return out;
}

const MASKS: readonly ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** A QR symbol: `modules[y][x]` is true for dark. */
export interface QrCode {
  readonly version: number;
  readonly level: Level;
  readonly mask: number;
  readonly modules: readonly (readonly boolean[])[];
}

class Grid {
  readonly dark: boolean[][];
  readonly reserved: boolean[][];
  constructor(readonly size: number) {
    this.dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
    this.reserved = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  }
  fn(x: number, y: number, dark: boolean): void {
    this.dark[y]![x] = dark;
    this.reserved[y]![x] = true;
  }
}

function drawFunctionPatterns(g: Grid, version: number): void {
  const { size } = g;
  for (let i = 0; i < size; i++) {
    g.fn(6, i, i % 2 === 0);
    g.fn(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const)
    for (let dy = -4; dy <= 4; dy++)
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= size || y >= size) continue;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        g.fn(x, y, d !== 2 && d !== 4);
      }
  const align = alignmentPositions(version, size);
  const last = align.length - 1;
  align.forEach((ay, i) =>
    align.forEach((ax, j) => {
      // The three corners hold finder patterns.
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) g.fn(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }),
  );
  drawFormat(g, 'L', 0); // reserve; real bits drawn once the mask is chosen
  if (version >= 7) {
    let rem = version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      g.fn(a, b, dark);
      g.fn(b, a, dark);
    }
  }
}

function drawFormat(g: Grid, level: Level, mask: number): void {
  const data = (FORMAT_LEVEL_BITS[level] << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const bits = ((data << 10) | rem) ^ 0x5412;
  const bit = (i: number) => ((bits >>> i) & 1) === 1;
  const { size } = g;
  for (let i = 0; i <= 5; i++) g.fn(8, i, bit(i));
  g.fn(8, 7, bit(6));
  g.fn(8, 8, bit(7));
  g.fn(7, 8, bit(8));
  for (let i = 9; i < 15; i++) g.fn(14 - i, 8, bit(i));
  for (let i = 0; i < 8; i++) g.fn(size - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) g.fn(8, size - 15 + i, bit(i));
  g.fn(8, size - 8, true);
}

function drawData(g: Grid, data: readonly number[]): void {
  const { size } = g;
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++)
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const upward = ((right + 1) & 2) === 0;
        const y = upward ? size - 1 - vert : vert;
        if (g.reserved[y]![x] || i >= data.length * 8) continue;
        g.dark[y]![x] = ((data[i >>> 3]! >>> (7 - (i & 7))) & 1) === 1;
        i++;
      }
  }
}

/** The standard's penalty score; the mask with the lowest one is used. */
function penalty(m: readonly (readonly boolean[])[]): number {
  const size = m.length;
  let score = 0;
  const line = (get: (i: number) => boolean) => {
    let run = 1;
    for (let i = 1; i <= size; i++) {
      if (i < size && get(i) === get(i - 1)) run++;
      else {
        if (run >= 5) score += run - 2;
        run = 1;
      }
    }
    const finderLike = [true, false, true, true, true, false, true];
    for (let i = 0; i + 7 <= size; i++) {
      if (!finderLike.every((v, k) => get(i + k) === v)) continue;
      const lightBefore = [1, 2, 3, 4].every((k) => i - k < 0 || !get(i - k));
      const lightAfter = [0, 1, 2, 3].every((k) => i + 7 + k >= size || !get(i + 7 + k));
      if (lightBefore || lightAfter) score += 40;
    }
  };
  for (let y = 0; y < size; y++) line((x) => m[y]![x]!);
  for (let x = 0; x < size; x++) line((y) => m[y]![x]!);
  let dark = 0;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      if (m[y]![x]) dark++;
      if (x + 1 < size && y + 1 < size) {
        const c = m[y]![x];
        if (m[y]![x + 1] === c && m[y + 1]![x] === c && m[y + 1]![x + 1] === c) score += 3;
      }
    }
  score += 10 * Math.floor(Math.abs((dark * 100) / (size * size) - 50) / 5);
  return score;
}

/** Encodes `text` (UTF-8) in the smallest symbol that holds it, at level M if it fits there, else L. */
export function encodeQr(text: string): QrCode {
  const bytes = new TextEncoder().encode(text);
  for (const level of ['M', 'L'] as const)
    for (let version = 1; version <= 40; version++) {
      const needed = 4 + (version <= 9 ? 8 : 16) + bytes.length * 8;
      if (needed > dataCodewords(version, level) * 8) continue;
      const data = codewords(bytes, version, level);
      let best: QrCode | undefined;
      let bestScore = Infinity;
      for (let mask = 0; mask < 8; mask++) {
        const g = new Grid(17 + 4 * version);
        drawFunctionPatterns(g, version);
        drawData(g, data);
        for (let y = 0; y < g.size; y++)
          for (let x = 0; x < g.size; x++)
            if (!g.reserved[y]![x] && MASKS[mask]!(x, y)) g.dark[y]![x] = !g.dark[y]![x];
        drawFormat(g, level, mask);
        const s = penalty(g.dark);
        if (s < bestScore) [best, bestScore] = [{ version, level, mask, modules: g.dark }, s];
      }
      return best!;
    }
  throw new Error(`too long for a QR code: ${bytes.length} bytes`);
}

/**
 * The code as terminal text, two module rows per line with half blocks, and
 * the quiet zone the standard asks for. Light modules are drawn, dark ones
 * left blank: on the usual dark terminal that is dark-on-light, as scanners expect.
 */
export function renderQr(code: QrCode, quiet = 4): string {
  const size = code.modules.length;
  const light = (x: number, y: number) =>
    x < 0 || y < 0 || x >= size || y >= size ? true : !code.modules[y]![x];
  const lines: string[] = [];
  for (let y = -quiet; y < size + quiet; y += 2) {
    let row = '';
    for (let x = -quiet; x < size + quiet; x++) {
      const top = light(x, y);
      const bottom = y + 1 < size + quiet ? light(x, y + 1) : false;
      row += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(row);
  }
  return lines.join('\n');
}
