import { expect } from 'chai';
import { defaultStageProps, type WeatherFxProps } from '../../engine/generated/stageProps';
import { isNear, mountStage, region, unmountAll } from '../../engine/render/testing/browserStage';
import type { PerformanceTier } from '../../engine/render';

const frame = () => new Promise((res) => requestAnimationFrame(res));

async function mountWeather(weather: Partial<WeatherFxProps>, tier: PerformanceTier = 'high') {
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false };
  props.weatherFx = { ...props.weatherFx, intensity: 1, opacity: 1, ...weather };
  return mountStage('gm', props, new Map(), { tier });
}

/** How many pixels differ from the same scene without weather (the display outline is drawn too). */
let clear: number[][] = [];
function changed(pixels: number[][], tolerance = 6): number {
  return pixels.filter((c, i) => !isNear(c, clear[i]!, tolerance)).length;
}

/**
 * Renders frames until the weather shows, at most 10 s: a system draws (and pre-warms) only once its shaders
 * have compiled, which takes a while on a slow SwiftShader — a time bound, not a frame count.
 */
async function untilDrawn(r: Awaited<ReturnType<typeof mountWeather>>): Promise<number[][]> {
  let pixels = region(r, 0, 0, 400, 300);
  for (const until = Date.now() + 10_000; Date.now() < until && changed(pixels) === 0;) {
    await frame();
    r.renderNow();
    pixels = region(r, 0, 0, 400, 300);
  }
  return pixels;
}

async function mountAgainstClear(weather: Partial<WeatherFxProps>, tier: PerformanceTier = 'high') {
  if (clear.length === 0) clear = region(await mountWeather({ preset: 'none' }), 0, 0, 400, 300);
  return mountWeather(weather, tier);
}

afterEach(unmountAll);

describe('weather pixels (WebGL2)', () => {
  for (const preset of ['rain', 'snow', 'mist', 'ash', 'embers', 'leaves'] as const)
    it(`${preset} draws particles that move between frames`, async () => {
      const r = await mountAgainstClear({ preset });
      expect(r.stats().animating).to.equal(1);
      const a = await untilDrawn(r);
      // Mist drifts slowly: give it more frames.
      for (let i = 0; i < (preset === 'mist' ? 12 : 4); i++) {
        await frame();
        r.renderNow();
      }
      const b = region(r, 0, 0, 400, 300);
      expect(changed(a), 'particles on screen').to.be.greaterThan(0);
      const moved = a.filter((c, i) => !isNear(c, b[i]!, 0)).length;
      expect(moved, 'pixels that changed between frames').to.be.greaterThan(0);
    });

  it('draws nothing and idles with no weather or on the low tier', async () => {
    for (const r of [
      await mountAgainstClear({ preset: 'none' }),
      await mountWeather({ preset: 'rain' }, 'low'),
    ]) {
      expect(r.stats().animating).to.equal(0);
      expect(changed(region(r, 0, 0, 400, 300))).to.equal(0);
    }
  });

  it('stops when the tier drops to low and resumes when it rises', async () => {
    const r = await mountAgainstClear({ preset: 'snow' });
    r.setTier('low');
    r.renderNow();
    expect(r.stats().animating).to.equal(0);
    expect(changed(region(r, 0, 0, 400, 300))).to.equal(0);
    r.setTier('high');
    await frame();
    r.renderNow();
    expect(r.stats().animating).to.equal(1);
    expect(changed(await untilDrawn(r))).to.be.greaterThan(0);
  });
});
