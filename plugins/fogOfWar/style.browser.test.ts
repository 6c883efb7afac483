import { expect } from 'chai';
import { defaultStageProps, type FogOfWarProps } from '../../engine/generated/stageProps';
import { mountStage, pixel, unmountAll } from '../../engine/render/testing/browserStage';
import { FogMask } from './mask';
import { rectangle } from './tools';

/** Fog everywhere (white, so shades are easy to read) except a revealed block x ≥ 200 on the player display. */
async function mountFog(style: Partial<FogOfWarProps>, now = 0) {
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false };
  props.display = { ...props.display, center: { x: 200, y: 150 }, size: { x: 400, y: 300 } };
  props.fogOfWar = { ...props.fogOfWar, enabled: true, playerOpacity: 1, color: '#ffffff', ...style };
  const mask = new FogMask();
  rectangle(mask, { x: -1000, y: -1000, width: 3000, height: 3000 }, 'cover');
  rectangle(mask, { x: 200, y: -1000, width: 2000, height: 3000 }, 'reveal');
  return mountStage('player', props, mask.toBlobs(), { clock: () => now });
}

const grey = (c: number[]) => c[0]!;

afterEach(unmountAll);

describe('living fog pixels (WebGL2)', () => {
  it('a soft edge is a gradient into revealed cells, and covered cells stay opaque', async () => {
    const hard = await mountFog({ edgeWidth: 0 });
    const soft = await mountFog({ edgeWidth: 40 });
    // Covered cells: opaque white fog with or without a soft edge.
    for (const r of [hard, soft])
      for (const x of [20, 150, 196]) expect(grey(pixel(r, x, 150))).to.be.greaterThan(250);
    // Revealed cells: the hard edge is a step, the soft edge falls off over ~40 px.
    const hardRow = [205, 215, 225, 235].map((x) => grey(pixel(hard, x, 150)));
    const softRow = [205, 215, 225, 235, 260].map((x) => grey(pixel(soft, x, 150)));
    expect(hardRow.every((v) => v < 70)).to.equal(true);
    for (let i = 1; i < softRow.length; i++) expect(softRow[i]).to.be.at.most(softRow[i - 1]!);
    expect(softRow[0]).to.be.greaterThan(150);
    expect(softRow[2]).to.be.within(70, 230);
    expect(softRow[4]).to.be.below(70);
  });

  it('draws an outline on the reveal edge, in its colour', async () => {
    const r = await mountFog({ outlineWidth: 4, outlineColor: '#ff0000' });
    const c = pixel(r, 201, 150);
    expect(c[0]).to.be.greaterThan(200);
    expect(c[1]).to.be.below(60);
  });

  it('animated noise moves the fog texture with the clock, covered cells still opaque', async () => {
    const style = { color: '#808080', noiseAmount: 1, noiseSpeed: 1, noiseScale: 32 };
    const a = await mountFog(style, 0);
    const b = await mountFog(style, 5000);
    const xs = [20, 60, 100, 140];
    expect(xs.some((x) => grey(pixel(a, x, 150)) !== grey(pixel(b, x, 150)))).to.equal(true);
    // Drifting noise keeps the host drawing; still fog does not.
    expect(a.stats().animating).to.be.greaterThan(0);
    const still = await mountFog({ noiseAmount: 1, noiseSpeed: 0 });
    expect(still.stats().animating).to.equal(0);
  });
});
