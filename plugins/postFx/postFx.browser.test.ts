import { expect } from 'chai';
import { defaultStageProps, type PostFxProps, type StageProps } from '../../engine/generated/stageProps';
import {
  assertNear,
  isNear,
  mountStage,
  pixel,
  pngDataUrl,
  region,
  unmountAll,
} from '../../engine/render/testing/browserStage';
import type { PerformanceTier, RenderView, StageRenderer } from '../../engine/render';
import { gradeColor, NEUTRAL_GRADE, type Rgb } from './curves';

// A 400 × 300 map filling the canvas: slate blue with a white square in the middle (what glows).
const BASE = [70, 100, 140];
const map = () =>
  pngDataUrl(400, 300, (g) => {
    g.fillStyle = `rgb(${BASE.join(',')})`;
    g.fillRect(0, 0, 400, 300);
    g.fillStyle = '#ffffff';
    g.fillRect(180, 130, 40, 40);
  });

function scene(fx: Partial<PostFxProps> = {}): StageProps {
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false };
  props.map = { ...props.map, url: map(), offset: { x: 0, y: 0 }, zoom: 1, opacity: 1 };
  props.display = { ...props.display, center: { x: 200, y: 150 }, size: { x: 400, y: 300 } };
  props.postFx = { ...props.postFx, ...fx };
  return props;
}

/** The host's post-processes (none while every effect is off). */
const passes = (r: StageRenderer) => r.scene.activeCamera?._postProcesses.filter((p) => p) ?? [];

/** Applies new post-processing props and renders once every pass has compiled. */
async function show(r: StageRenderer, props: StageProps): Promise<number[][]> {
  r.setProps(props);
  for (let i = 0; i < 250; i++) {
    r.renderNow();
    if (passes(r).every((p) => p!.isReady())) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  r.renderNow();
  return region(r, 0, 0, 400, 300);
}

const differing = (a: number[][], b: number[][], tolerance = 0) =>
  a.filter((c, i) => !isNear(c, b[i]!, tolerance)).length;

async function mount(view: RenderView = 'player', tier: PerformanceTier = 'high') {
  const r = await mountStage(view, scene(), new Map(), { tier });
  return { r, plain: region(r, 0, 0, 400, 300) };
}

afterEach(unmountAll);

describe('post-processing pixels (WebGL2)', () => {
  const effects: [string, Partial<PostFxProps>][] = [
    ['bloom', { bloom: true, bloomThreshold: 0.8, bloomIntensity: 1.5, bloomRadius: 24 }],
    ['colour grading', { grading: true, exposure: 0.5, contrast: 1.3, saturation: 1.6, tint: '#ffe8d0' }],
    ['tone mapping (ACES)', { toneMapping: 'aces' }],
    ['tone mapping (Reinhard)', { toneMapping: 'reinhard' }],
    ['vignette', { vignette: true, vignetteStrength: 0.8, vignetteSize: 0.3 }],
  ];
  for (const [name, fx] of effects)
    it(`${name} changes the picture and turning it off restores it exactly`, async () => {
      const { r, plain } = await mount();
      expect(passes(r)).to.have.length(0);
      const on = await show(r, scene(fx));
      expect(passes(r).length).to.be.greaterThan(0);
      // Static effects: the host still draws only on demand, no frame while nothing changes.
      const frames = r.stats().frames;
      for (let i = 0; i < 3; i++) await new Promise((res) => requestAnimationFrame(res));
      expect(r.stats().frames).to.equal(frames);
      expect(r.stats().animating).to.equal(0);
      // A measurable change: thousands of pixels, not noise.
      expect(differing(on, plain, 4)).to.be.greaterThan(2000);
      const off = await show(r, scene());
      expect(passes(r)).to.have.length(0);
      expect(differing(off, plain)).to.equal(0);
    });

  it('grades as curves.ts computes', async () => {
    const { r } = await mount();
    const grade = {
      ...NEUTRAL_GRADE,
      exposure: 0.5,
      contrast: 1.3,
      saturation: 1.6,
      tint: [1, 0.9, 0.8] as const,
    };
    await show(r, scene({ grading: true, exposure: 0.5, contrast: 1.3, saturation: 1.6, tint: '#ffe6cc' }));
    const expected = gradeColor(BASE.map((v) => v / 255) as unknown as Rgb, grade).map((v) => v * 255);
    assertNear(pixel(r, 60, 60), expected, 3);
  });

  it('bloom makes the surroundings of a bright area glow, not far-away pixels', async () => {
    const { r, plain } = await mount();
    await show(r, scene({ bloom: true, bloomThreshold: 0.8, bloomIntensity: 1.5, bloomRadius: 24 }));
    const near = pixel(r, 226, 150);
    const before = plain[150 * 400 + 226]!;
    expect(near[0]! + near[1]! + near[2]!).to.be.greaterThan(before[0]! + before[1]! + before[2]! + 30);
    assertNear(pixel(r, 30, 30), BASE, 2);
  });

  it('vignette darkens the corners of the frame, not its centre', async () => {
    const { r } = await mount();
    await show(r, scene({ vignette: true, vignetteStrength: 0.8, vignetteSize: 0.3 }));
    assertNear(
      pixel(r, 200, 100),
      [255, 255, 255].map((v, i) => (i < 3 ? BASE[i]! : v)),
      2,
    );
    const corner = pixel(r, 3, 3);
    expect(corner[2]).to.be.lessThan(BASE[2]! * 0.5);
  });

  it('in the GM view, puts the vignette on the outlined frame, not on the window', async () => {
    const props = scene({ vignette: true, vignetteStrength: 0.8, vignetteSize: 0.3 });
    // The frame is the top-left quarter of the canvas (the GM's view shows the scene 1:1).
    props.display = { ...props.display, center: { x: 100, y: 75 }, size: { x: 200, y: 150 } };
    const { r } = await mount('gm');
    await show(r, props);
    assertNear(pixel(r, 100, 75), BASE, 2);
    expect(pixel(r, 6, 6)[2]).to.be.lessThan(BASE[2]! * 0.5);
    // Outside the frame the GM's picture is untouched.
    assertNear(pixel(r, 300, 60), BASE, 2);
  });

  it('turns off on the low tier and back on above it', async () => {
    const all = { bloom: true, grading: true, exposure: 1, toneMapping: 'aces', vignette: true } as const;
    const { r, plain } = await mount('player', 'low');
    const low = await show(r, scene(all));
    expect(passes(r)).to.have.length(0);
    expect(differing(low, plain)).to.equal(0);
    r.setTier('medium');
    expect(differing(await show(r, scene(all)), plain, 4)).to.be.greaterThan(2000);
    r.setTier('low');
    expect(differing(await show(r, scene(all)), plain)).to.equal(0);
    expect(passes(r)).to.have.length(0);
  });

  it('turning one effect off leaves the others as they were alone', async () => {
    const { r } = await mount();
    const alone = await show(r, scene({ vignette: true }));
    await show(r, scene({ vignette: true, grading: true, saturation: 0 }));
    expect(differing(await show(r, scene({ vignette: true, saturation: 0 })), alone, 1)).to.equal(0);
  });
});
