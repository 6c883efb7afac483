import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeQr, reedSolomon, renderQr, type QrCode } from './qr';

const LINK =
  'http://192.168.1.23:5173/play/e16076475d70314fb134?token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoicGxheWVyIiwicGFydHlJZCI6ImUxNjA3NjQ3NWQ3MDMxNGZiMTM0IiwiaXNzIjoidGFibGVzdGFnZSIsImlhdCI6MTc5NjAwOTU1OSwiZXhwIjoxNzk4NjAxNTU5fQ.U28qdcvEU2mSmiNKURn_u_Z2sRzu7COnEC7jSbVtDmU';

const digest = (c: QrCode) =>
  createHash('sha256')
    .update(c.modules.map((r) => r.map((d) => (d ? '1' : '0')).join('')).join('\n'))
    .digest('hex');

/** The 15 format bits read from around the top-left finder, and from the other two finders. */
function formatBits(c: QrCode): [number, number] {
  const m = c.modules;
  const n = m.length;
  const a = [0, 1, 2, 3, 4, 5, 7, 8]
    .map((y) => m[y]![8]!)
    .concat([7, 5, 4, 3, 2, 1, 0].map((x) => m[8]![x]!));
  const b = [0, 1, 2, 3, 4, 5, 6, 7]
    .map((i) => m[8]![n - 1 - i]!)
    .concat([8, 9, 10, 11, 12, 13, 14].map((i) => m[n - 15 + i]![8]!));
  const word = (bits: boolean[]) => bits.reduce((acc, bit, i) => acc | (Number(bit) << i), 0);
  return [word(a), word(b)];
}

describe('QR encoder', () => {
  it('computes the standard Reed–Solomon codewords (the spec example "HELLO WORLD", 1-M)', () => {
    const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
    expect(reedSolomon(data, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it('encodes a player link in the smallest symbol, with matching, valid format information', () => {
    const code = encodeQr(LINK);
    expect(code.version).toBe(12);
    expect(code.level).toBe('M');
    expect(code.modules.length).toBe(17 + 4 * 12);
    const [first, second] = formatBits(code);
    expect(first).toBe(second);
    // Unmasked, the 5 data bits say level M (00) and the chosen mask.
    expect((first ^ 0x5412) >>> 10).toBe(code.mask);
  });

  it('stays byte-for-byte the symbol that was checked with a real scanner (zbarimg) when written', () => {
    // Regression guard: these symbols were rendered to PNG and decoded back to the input text.
    expect(digest(encodeQr(LINK))).toBe('37ca812dcb3d7af7a65aeb58fe27619eecef76934311acc3fd53500b74da0634');
    expect(digest(encodeQr('https://example.com/abc'))).toBe(
      'cebce5de23024aac743f307eff7f1d30cf96382f1d7433249c990c54016db10f',
    );
  });

  it('refuses text longer than the largest symbol holds', () => {
    expect(() => encodeQr('x'.repeat(3000))).toThrow(/too long/);
  });

  it('renders two module rows per terminal line inside a quiet zone', () => {
    const code = encodeQr('https://example.com/abc');
    const lines = renderQr(code).split('\n');
    const side = code.modules.length + 8;
    expect(lines.length).toBe(Math.ceil(side / 2));
    for (const line of lines) expect([...line].length).toBe(side);
    expect(lines[0]).toBe('█'.repeat(side));
  });
});
