import { describe, expect, it } from 'vitest';
import { encodePng } from './png';
import { MEDIA_FORMATS, mimeOfUploadName, sniffFormat, UPLOAD_NAME } from './uploads';

describe('sniffFormat', () => {
  it('recognises a real PNG and nothing else as PNG', () => {
    expect(sniffFormat(encodePng(1, 1, new Uint8Array(4)))?.mime).toBe('image/png');
    expect(sniffFormat(Buffer.from('\x89PNG but not really'))).toBeUndefined();
    expect(sniffFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffFormat(new Uint8Array(0))).toBeUndefined();
  });

  it('tells WebM from other Matroska files', () => {
    const ebml = [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88];
    expect(sniffFormat(Buffer.concat([Buffer.from(ebml), Buffer.from('webm')]))?.mime).toBe('video/webm');
    expect(sniffFormat(Buffer.concat([Buffer.from(ebml), Buffer.from('matroska')]))).toBeUndefined();
  });

  it('gives every format an extension that generated names and serving agree on', () => {
    for (const f of MEDIA_FORMATS) {
      expect(UPLOAD_NAME.test(`abcdefgh12345678.${f.ext}`)).toBe(true);
      expect(mimeOfUploadName(`abcdefgh12345678.${f.ext}`)).toBe(f.mime);
    }
    for (const bad of [
      '../x.png',
      '.tmp-abcdefgh.png',
      'abcdefgh.svg',
      'abcdefgh.png/x',
      'short.png',
      'a b c d e.png',
    ])
      expect(UPLOAD_NAME.test(bad), bad).toBe(false);
  });
});
