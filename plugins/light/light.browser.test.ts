import { expect } from 'chai';
import { defaultLightProps, defaultStageProps, type LightProps } from '../../engine/generated/stageProps';
import {
  assertNear,
  BACKGROUND,
  marker,
  mountStage,
  pixel,
  unmountAll,
} from '../../engine/render/testing/browserStage';
import type { RenderView } from '../../engine/render';

function light(over: Partial<LightProps>): LightProps {
  return { ...structuredClone(defaultLightProps), style: 'steady', color: '#ffffff', ...over };
}

/** A dark scene with a 40-unit grid (hidden) and the given lights and markers. */
function darkScene(lights: Record<string, LightProps>, darkness = 1) {
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false, size: 40 };
  // The player view fits the display area to the canvas: make it the 400×300 canvas itself.
  props.display = { ...props.display, center: { x: 200, y: 150 }, size: { x: 400, y: 300 } };
  props.lighting = { darkness, gmOpacity: 0.4 };
  props.lights = lights;
  return props;
}

const mount = (view: RenderView, props: ReturnType<typeof darkScene>) => mountStage(view, props);
const brightness = (c: number[]) => c[0]! + c[1]! + c[2]!;

afterEach(unmountAll);

describe('light pixels (WebGL2)', () => {
  it('brightens its radius and not beyond: bright inside, half out to the dim radius, dark past it', async () => {
    // Bright 1 cell (40 units), dim 2 cells (80 units) around (200, 150).
    const props = darkScene({ a: light({ position: { x: 200, y: 150 }, brightRadius: 1, dimRadius: 2 }) });
    const r = await mount('player', props);
    assertNear(pixel(r, 200, 150), BACKGROUND);
    assertNear(pixel(r, 200 + 20, 150), BACKGROUND);
    // Between the radii: about half of the background.
    assertNear(pixel(r, 200 + 55, 150), [32, 32, 32], 8);
    // Beyond the dim radius: black.
    assertNear(pixel(r, 200 + 100, 150), [0, 0, 0], 3);
    assertNear(pixel(r, 20, 20), [0, 0, 0], 3);
  });

  it('tints with its colour and sums overlapping lights', async () => {
    const props = darkScene(
      {
        red: light({ position: { x: 150, y: 150 }, color: '#ff0000', brightRadius: 2, dimRadius: 2 }),
        green: light({ position: { x: 230, y: 150 }, color: '#00ff00', brightRadius: 2, dimRadius: 2 }),
      },
      1,
    );
    const r = await mount('player', props);
    assertNear(pixel(r, 110, 150), [64, 0, 0], 4);
    assertNear(pixel(r, 270, 150), [0, 64, 0], 4);
    assertNear(pixel(r, 190, 150), [64, 64, 0], 4);
  });

  it('darkness hides an unlit marker from players; the GM sees it through at GM opacity', async () => {
    const props = darkScene({ a: light({ position: { x: 300, y: 150 }, brightRadius: 1, dimRadius: 1 }) });
    props.markers = { m: marker({ position: { x: 80, y: 80 }, size: 1, color: '#ff0000' }) };
    const player = await mount('player', props);
    assertNear(pixel(player, 80, 80), [0, 0, 0], 3);
    const gm = await mount('gm', props);
    // GM opacity 0.4 of full darkness: 60% of the marker's red.
    assertNear(pixel(gm, 80, 80), [153, 0, 0], 6);
    // Daylight: nothing is darkened.
    const day = await mount('player', darkScene({}, 0));
    assertNear(pixel(day, 80, 80), BACKGROUND);
  });

  it('never lights the player view with a hidden light', async () => {
    const props = darkScene({
      h: light({ position: { x: 200, y: 150 }, brightRadius: 2, dimRadius: 2, hidden: true }),
    });
    const player = await mount('player', props);
    assertNear(pixel(player, 200, 150), [0, 0, 0], 3);
    const gm = await mount('gm', props);
    // The GM sees where it shines (and its handle at the centre).
    expect(brightness(pixel(gm, 200 + 40, 150))).to.be.greaterThan(brightness(pixel(gm, 20, 20)));
  });

  it('flickers a torch between frames and holds a steady light still', async () => {
    let now = 0;
    const props = darkScene({
      t: light({ position: { x: 120, y: 150 }, style: 'torch', brightRadius: 2, dimRadius: 3 }),
      s: light({ position: { x: 300, y: 150 }, style: 'steady', brightRadius: 1, dimRadius: 2 }),
    });
    const r = await mountStage('player', props, new Map(), { clock: () => now });
    const torch: number[] = [];
    const steady: number[] = [];
    for (let i = 0; i < 6; i++) {
      now = i * 170;
      r.renderNow();
      torch.push(brightness(pixel(r, 120, 150)));
      steady.push(brightness(pixel(r, 300 + 55, 150)));
    }
    expect(new Set(torch).size).to.be.greaterThan(2);
    expect(new Set(steady).size).to.equal(1);
  });

  it('holds a torch still on the low tier, so the host idles, and flickers again above it', async () => {
    let now = 0;
    const props = darkScene({
      t: light({ position: { x: 120, y: 150 }, style: 'torch', brightRadius: 2, dimRadius: 3 }),
    });
    const r = await mountStage('player', props, new Map(), { clock: () => now, tier: 'low' });
    expect(r.stats().animating).to.equal(0);
    const torch: number[] = [];
    for (let i = 0; i < 6; i++) {
      now = i * 170;
      r.renderNow();
      torch.push(brightness(pixel(r, 120, 150)));
    }
    expect(new Set(torch).size).to.equal(1);
    expect(torch[0]).to.be.greaterThan(brightness(pixel(r, 20, 20)));
    r.setTier('high');
    expect(r.stats().animating).to.equal(1);
  });

  it('draws any number of lights in the same number of draw calls', async () => {
    const many = (n: number) => {
      const out: Record<string, LightProps> = {};
      for (let i = 0; i < n; i++)
        out[`l${i}`] = light({
          position: { x: (i % 10) * 40, y: Math.floor(i / 10) * 30 },
          brightRadius: 0.5,
        });
      return out;
    };
    const one = await mount('gm', darkScene(many(1)));
    const hundred = await mount('gm', darkScene(many(100)));
    expect(hundred.stats().drawCalls).to.be.greaterThan(0);
    expect(hundred.stats().drawCalls).to.equal(one.stats().drawCalls);
  });
});
