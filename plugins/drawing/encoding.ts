import type { Point } from '../../engine/schema';

/**
 * Stroke points as a compact string property: coordinates rounded to whole
 * scene units, each stored as the zigzag varint of its difference from the
 * previous one, base64url-encoded. A smooth pen line moves a few units per
 * sample, so most coordinates take one byte (4/3 characters) — a 200-point
 * stroke is about 550 characters, against ~4 KB as JSON numbers.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]));

function toBase64Url(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

function fromBase64Url(s: string): number[] | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i += 4) {
    const chunk = s.slice(i, i + 4);
    if (chunk.length === 1) return undefined;
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const v = k < chunk.length ? INDEX.get(chunk[k]!) : 0;
      if (v === undefined) return undefined;
      n = (n << 6) | v;
    }
    bytes.push((n >> 16) & 255);
    if (chunk.length > 2) bytes.push((n >> 8) & 255);
    if (chunk.length > 3) bytes.push(n & 255);
  }
  return bytes;
}

/** Encodes points (rounded to integers) into the compact string. */
export function encodePoints(points: readonly Point[]): string {
  const bytes: number[] = [];
  let px = 0;
  let py = 0;
  const put = (d: number): void => {
    // Zigzag keeps small negative steps small; varint keeps small steps one byte.
    let z = d >= 0 ? d * 2 : -d * 2 - 1;
    while (z >= 128) {
      bytes.push((z % 128) | 128);
      z = Math.floor(z / 128);
    }
    bytes.push(z);
  };
  for (const p of points) {
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    put(x - px);
    put(y - py);
    px = x;
    py = y;
  }
  return toBase64Url(bytes);
}

/** Decodes the compact string; undefined when it is malformed (a room or renderer skips such a stroke). */
export function decodePoints(s: string): Point[] | undefined {
  const bytes = fromBase64Url(s);
  if (!bytes) return undefined;
  const values: number[] = [];
  let z = 0;
  let scale = 1;
  for (const b of bytes) {
    z += (b & 127) * scale;
    if (b & 128) {
      scale *= 128;
      if (scale > 2 ** 35) return undefined;
      continue;
    }
    values.push(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
    z = 0;
    scale = 1;
  }
  if (scale !== 1 || values.length % 2 !== 0) return undefined;
  const out: Point[] = [];
  let x = 0;
  let y = 0;
  for (let i = 0; i < values.length; i += 2) {
    x += values[i]!;
    y += values[i + 1]!;
    out.push({ x, y });
  }
  return out;
}

/**
 * Smooths and thins a freehand pen path: drops samples closer than
 * `minStep` to the last kept one (jitter, and most of a slow drag's samples),
 * then one pass of Chaikin-style averaging of interior points.
 */
export function smoothPath(points: readonly Point[], minStep = 2): Point[] {
  const kept: Point[] = [];
  for (const p of points) {
    const last = kept[kept.length - 1];
    if (!last || Math.hypot(p.x - last.x, p.y - last.y) >= minStep) kept.push(p);
  }
  const lastInput = points[points.length - 1];
  if (lastInput && kept[kept.length - 1] !== lastInput && kept.length > 1) kept.push(lastInput);
  if (kept.length < 3) return kept;
  const out: Point[] = [kept[0]!];
  for (let i = 1; i < kept.length - 1; i++) {
    const a = kept[i - 1]!;
    const b = kept[i]!;
    const c = kept[i + 1]!;
    out.push({ x: (a.x + 2 * b.x + c.x) / 4, y: (a.y + 2 * b.y + c.y) / 4 });
  }
  out.push(kept[kept.length - 1]!);
  return out;
}
