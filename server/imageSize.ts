/**
 * The pixel size a PNG or WebP file declares in its header, without decoding
 * it: enough to refuse a "thumbnail" that is really a full-size picture.
 */

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

const ascii = (data: Uint8Array, at: number, text: string) =>
  data.length >= at + text.length && [...text].every((ch, i) => data[at + i] === ch.charCodeAt(0));

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** PNG: the first chunk is IHDR, holding width and height as big-endian 32-bit numbers. */
function pngSize(data: Uint8Array): ImageSize | undefined {
  if (data.length < 24 || !ascii(data, 12, 'IHDR')) return undefined;
  const v = view(data);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

/** WebP: lossy (`VP8 `), lossless (`VP8L`) and extended (`VP8X`) headers each store the size their own way. */
function webpSize(data: Uint8Array): ImageSize | undefined {
  if (data.length < 30) return undefined;
  const v = view(data);
  if (ascii(data, 12, 'VP8 ')) {
    // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height (little-endian).
    if (data[23] !== 0x9d || data[24] !== 0x01 || data[25] !== 0x2a) return undefined;
    return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
  }
  if (ascii(data, 12, 'VP8L')) {
    if (data[20] !== 0x2f) return undefined;
    const bits = v.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (ascii(data, 12, 'VP8X')) {
    const w = data[24]! | (data[25]! << 8) | (data[26]! << 16);
    const h = data[27]! | (data[28]! << 8) | (data[29]! << 16);
    return { width: w + 1, height: h + 1 };
  }
  return undefined;
}

/** The size `data` declares for `mime` (`image/png` or `image/webp`), or undefined when its header is unreadable. */
export function imageSize(data: Uint8Array, mime: string): ImageSize | undefined {
  if (mime === 'image/png') return pngSize(data);
  if (mime === 'image/webp') return webpSize(data);
  return undefined;
}
