import { expect } from 'chai';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { isNear, mountStage, pixel, unmountAll } from '../../engine/render/testing/browserStage';

/**
 * A looping GIF89a of solid-colour 8×8 frames (palette: red, blue, black,
 * white), LZW-coded without compression: a clear code before every pixel
 * keeps codes 3 bits wide.
 */
function animatedGif(frames: number[], delayCs = 10): string {
  const bytes: number[] = [];
  const u16 = (n: number) => bytes.push(n & 255, n >> 8);
  bytes.push(...[...'GIF89a'].map((c) => c.charCodeAt(0)));
  u16(8);
  u16(8);
  bytes.push(0x91, 0, 0);
  bytes.push(255, 0, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255);
  bytes.push(0x21, 0xff, 0x0b, ...[...'NETSCAPE2.0'].map((c) => c.charCodeAt(0)), 3, 1, 0, 0, 0);
  for (const index of frames) {
    bytes.push(0x21, 0xf9, 4, 0x04);
    u16(delayCs);
    bytes.push(0, 0);
    bytes.push(0x2c);
    u16(0);
    u16(0);
    u16(8);
    u16(8);
    bytes.push(0, 2);
    const codes: number[] = [];
    for (let i = 0; i < 64; i++) codes.push(4, index);
    codes.push(5);
    const data: number[] = [];
    let acc = 0;
    let bits = 0;
    for (const code of codes) {
      acc |= code << bits;
      bits += 3;
      while (bits >= 8) {
        data.push(acc & 255);
        acc >>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) data.push(acc & 255);
    bytes.push(data.length, ...data, 0);
  }
  bytes.push(0x3b);
  return `data:image/gif;base64,${btoa(String.fromCharCode(...bytes))}`;
}

afterEach(unmountAll);

describe('animated GIF map (WebGL2)', () => {
  it('plays the GIF frame by frame', async () => {
    const props = defaultStageProps();
    props.grid = { ...props.grid, visible: false };
    props.map = { ...props.map, url: animatedGif([0, 1]), zoom: 20 };
    const r = await mountStage('gm', props);
    const seen = { red: false, blue: false };
    for (let i = 0; i < 200 && !(seen.red && seen.blue); i++) {
      await new Promise((res) => setTimeout(res, 20));
      r.renderNow();
      const c = pixel(r, 80, 80);
      seen.red ||= isNear(c, [255, 0, 0]);
      seen.blue ||= isNear(c, [0, 0, 255]);
    }
    expect(seen).to.deep.equal({ red: true, blue: true });
  });

  it('shows a single-frame GIF as a still image', async () => {
    const props = defaultStageProps();
    props.grid = { ...props.grid, visible: false };
    props.map = { ...props.map, url: animatedGif([1]), zoom: 20 };
    const r = await mountStage('gm', props);
    expect(isNear(pixel(r, 80, 80), [0, 0, 255])).to.equal(true);
  });
});
