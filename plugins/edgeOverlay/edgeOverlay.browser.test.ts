import { expect } from 'chai';
import { defaultStageProps, type EdgeOverlayProps, type StageProps } from '../../engine/generated/stageProps';
import {
  assertNear,
  isNear,
  mountStage,
  pixel,
  pngDataUrl,
  region,
  settle,
  solidPng,
  unmountAll,
} from '../../engine/render/testing/browserStage';
import type { PerformanceTier, RenderView } from '../../engine/render';

const BASE = [150, 140, 120];

/** A 400 × 300 map of one colour; the players' frame is the canvas (or what `frame` says). */
function scene(overlay: Partial<EdgeOverlayProps>, mapSize = { x: 400, y: 300 }): StageProps {
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false };
  props.map = { ...props.map, url: solidPng(mapSize.x, mapSize.y, BASE), offset: { x: 0, y: 0 }, zoom: 1 };
  props.display = { ...props.display, center: { x: 200, y: 150 }, size: { x: 400, y: 300 } };
  props.edgeOverlay = { ...props.edgeOverlay, ...overlay };
  return props;
}

const sum = (c: number[]) => c[0]! + c[1]! + c[2]!;
const mount = (view: RenderView, props: StageProps, tier: PerformanceTier = 'high') =>
  mountStage(view, props, new Map(), { tier });

afterEach(unmountAll);

describe('edge overlay pixels (WebGL2)', () => {
  it('darkens the edges of the frame and not its centre, most at the corners', async () => {
    const r = await mount('player', scene({ enabled: true, width: 0.2, opacity: 1 }));
    assertNear(pixel(r, 200, 150), BASE, 2);
    // The band is 20 % of the shorter side (60 px) wide: untouched beyond it, darker towards the edge.
    assertNear(pixel(r, 200, 80), BASE, 2);
    const mid = pixel(r, 200, 30);
    const edge = pixel(r, 200, 2);
    expect(sum(mid)).to.be.lessThan(sum(BASE));
    expect(sum(edge)).to.be.lessThan(sum(mid));
    expect(sum(pixel(r, 2, 2))).to.be.lessThan(sum(edge));
    expect(r.stats().animating).to.equal(0);
  });

  it('draws nothing when off: the picture is the plain scene', async () => {
    const plain = region(await mount('player', scene({ enabled: false })), 0, 0, 400, 300);
    const off = region(await mount('player', scene({ enabled: true, opacity: 0 })), 0, 0, 400, 300);
    expect(off.filter((c, i) => !isNear(c, plain[i]!, 0))).to.have.length(0);
  });

  it("follows the scene's content when targeted at it", async () => {
    // A 200 × 150 map in the top-left quarter; the frame stays the whole canvas.
    const r = await mount(
      'player',
      scene({ enabled: true, target: 'scene', width: 0.2 }, { x: 200, y: 150 }),
    );
    assertNear(pixel(r, 100, 75), BASE, 2);
    expect(sum(pixel(r, 197, 75))).to.be.lessThan(sum(BASE) - 30);
    expect(sum(pixel(r, 100, 3))).to.be.lessThan(sum(BASE) - 30);
  });

  it('in the GM view, darkens the edges of the outlined frame only', async () => {
    const props = scene({ enabled: true, width: 0.2 });
    props.display = { ...props.display, center: { x: 100, y: 75 }, size: { x: 200, y: 150 } };
    const r = await mount('gm', props);
    assertNear(pixel(r, 100, 75), BASE, 2);
    expect(sum(pixel(r, 190, 75))).to.be.lessThan(sum(BASE) - 30);
    // Outside the frame the GM's picture is untouched.
    assertNear(pixel(r, 300, 225), BASE, 2);
  });

  it('draws the frame picture over the target', async () => {
    // A red band 20 px high along the top, transparent elsewhere: stretched over the frame the right way up.
    const picture = pngDataUrl(400, 300, (g) => {
      g.fillStyle = '#ff0000';
      g.fillRect(0, 0, 400, 20);
    });
    const r = await mount('player', scene({ enabled: true, opacity: 0, texture: picture }));
    await settle(r);
    assertNear(pixel(r, 200, 150), BASE, 2);
    assertNear(pixel(r, 200, 8), [255, 0, 0], 6);
    assertNear(pixel(r, 200, 292), BASE, 2);
  });

  it('stays on at the low tier (it costs one quad)', async () => {
    const r = await mount('player', scene({ enabled: true, width: 0.2, opacity: 1 }), 'low');
    expect(sum(pixel(r, 2, 2))).to.be.lessThan(sum(BASE) - 100);
  });
});
