import { expect } from 'chai';
import { defaultStageProps, type MarkerProps } from '../../engine/generated/stageProps';
import {
  assertNear,
  BACKGROUND,
  marker,
  mountStage,
  pixel,
  region,
  solidPng,
  unmountAll,
} from '../../engine/render/testing/browserStage';

function sceneWith(markers: Record<string, MarkerProps>) {
  const props = defaultStageProps();
  // Marker sizes are in grid cells: 10-unit cells make them read as tenths of the old pixel sizes.
  props.grid = { ...props.grid, visible: false, size: 10 };
  props.markers = markers;
  return props;
}

afterEach(unmountAll);

describe('marker pixels (WebGL2)', () => {
  it('draws each shape with its own silhouette', async () => {
    const r = await mountStage(
      'gm',
      sceneWith({
        circle: marker({ position: { x: 50, y: 50 }, size: 6, shape: 'circle', color: '#ff0000' }),
        square: marker({ position: { x: 150, y: 50 }, size: 6, shape: 'square', color: '#ff0000' }),
        triangle: marker({ position: { x: 250, y: 50 }, size: 6, shape: 'triangle', color: '#ff0000' }),
        pin: marker({ position: { x: 350, y: 50 }, size: 6, shape: 'pin', color: '#ff0000' }),
      }),
    );
    // Centres are filled in every shape.
    for (const x of [50, 150, 250, 350]) assertNear(pixel(r, x, 52), [255, 0, 0]);
    // Corners: the square fills its corner, the circle does not.
    assertNear(pixel(r, 150 - 24, 50 - 24), [255, 0, 0], 40);
    assertNear(pixel(r, 50 - 24, 50 - 24), BACKGROUND);
    // The triangle points up: narrow near the top, wide near the bottom.
    assertNear(pixel(r, 250 - 18, 50 - 15), BACKGROUND);
    assertNear(pixel(r, 250 - 18, 50 + 12), [255, 0, 0], 40);
  });

  it('shows a marker image inside its shape and a selection ring around a selected marker', async () => {
    const props = sceneWith({
      a: marker({
        position: { x: 100, y: 100 },
        size: 4,
        color: '#ff0000',
        image: solidPng(16, 16, [255, 0, 255]),
      }),
      b: marker({ position: { x: 250, y: 100 }, size: 4, color: '#00ff00' }),
    });
    const r = await mountStage('gm', props);
    assertNear(pixel(r, 100, 100), [255, 0, 255]);
    r.setSelection('marker', new Set(['b']));
    r.renderNow();
    // Ring 1–5 px outside the 20-unit radius, in the selection colour.
    assertNear(pixel(r, 250 + 23, 100), [51, 153, 255], 30);
    assertNear(pixel(r, 100 + 23, 100), BACKGROUND);
  });

  it('follows a drag: the marker and its label move, the old place clears', async () => {
    const props = sceneWith({
      a: marker({ position: { x: 100, y: 100 }, size: 4, color: '#00ff00', label: 'Orc' }),
      b: marker({ position: { x: 300, y: 100 }, size: 4, color: '#ff0000' }),
    });
    const r = await mountStage('gm', props);
    assertNear(pixel(r, 100, 100), [0, 255, 0]);
    r.setProps({
      ...props,
      markers: { ...props.markers, a: { ...props.markers['a']!, position: { x: 200, y: 220 } } },
    });
    r.renderNow();
    assertNear(pixel(r, 100, 100), BACKGROUND);
    assertNear(pixel(r, 200, 220), [0, 255, 0]);
    assertNear(pixel(r, 300, 100), [255, 0, 0]);
    const under = region(r, 185, 242, 30, 14);
    expect(under.some((c) => c.every((v) => v > 200))).to.equal(true);
  });

  it('draws a label under a marker', async () => {
    const r = await mountStage(
      'gm',
      sceneWith({ a: marker({ position: { x: 200, y: 100 }, size: 6, label: 'Goblin' }) }),
    );
    const under = region(r, 180, 134, 40, 14);
    expect(under.some((c) => c.every((v) => v > 200))).to.equal(true);
  });

  it('keeps shapes upright and labels under their marker on screen when the view is rotated', async () => {
    const props = sceneWith({
      a: marker({ position: { x: 200, y: 100 }, size: 6, label: 'Goblin' }),
      t: marker({ position: { x: 300, y: 100 }, size: 6, shape: 'triangle', color: '#ff0000' }),
    });
    // Rotated 180° about the canvas centre: scene (200, 100) lands on screen (200, 200).
    props.scene = { ...props.scene, rotation: 180, offset: { x: 400, y: 300 } };
    const r = await mountStage('gm', props);
    const m = r.sceneToScreen({ x: 200, y: 100 });
    expect(m.x).to.be.closeTo(200, 0.01);
    expect(m.y).to.be.closeTo(200, 0.01);
    const below = region(r, 180, 234, 40, 14);
    const above = region(r, 180, 152, 40, 14);
    expect(below.some((c) => c.every((v) => v > 200))).to.equal(true);
    expect(above.some((c) => c.every((v) => v > 200))).to.equal(false);
    // The triangle at scene (300, 100) is on screen at (100, 200) and still points up.
    assertNear(pixel(r, 100 - 18, 200 - 15), BACKGROUND);
    assertNear(pixel(r, 100 - 18, 200 + 12), [255, 0, 0], 40);
  });

  it('draws 1,000 markers in the same number of draw calls as 10', async () => {
    const many = (n: number) => {
      const out: Record<string, MarkerProps> = {};
      for (let i = 0; i < n; i++)
        out[`m${i}`] = marker({
          position: { x: (i % 50) * 8, y: Math.floor(i / 50) * 14 },
          size: 1,
          shape: (['circle', 'square', 'triangle', 'pin'] as const)[i % 4],
          label: i % 10 ? '' : `#${i}`,
        });
      return out;
    };
    const small = await mountStage('gm', sceneWith(many(10)));
    const big = await mountStage('gm', sceneWith(many(1000)));
    expect(big.stats().drawCalls).to.be.greaterThan(0);
    expect(big.stats().drawCalls).to.equal(small.stats().drawCalls);
  });
});
