import { defaultStageProps, type MapProps } from '../../engine/generated/stageProps';
import {
  assertNear,
  BACKGROUND,
  mountStage,
  pixel,
  pngDataUrl,
  unmountAll,
} from '../../engine/render/testing/browserStage';

// A 100×50 map in four quadrants, so flips and rotations show.
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const GREEN = [0, 255, 0];
const WHITE = [255, 255, 255];
const quadrants = (): string =>
  pngDataUrl(100, 50, (g) => {
    const fill = (c: number[], x: number, y: number) => {
      g.fillStyle = `rgb(${c.join(',')})`;
      g.fillRect(x, y, 50, 25);
    };
    fill(RED, 0, 0);
    fill(BLUE, 50, 0);
    fill(GREEN, 0, 25);
    fill(WHITE, 50, 25);
  });

async function mountMap(map: Partial<MapProps>) {
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false };
  props.map = { ...props.map, url: quadrants(), ...map };
  return mountStage('gm', props);
}

afterEach(unmountAll);

describe('map pixels (WebGL2)', () => {
  it('places the image by offset and zoom, upright', async () => {
    const r = await mountMap({ offset: { x: 100, y: 50 }, zoom: 2 });
    // 200×100 on screen from (100, 50).
    assertNear(pixel(r, 150, 75), RED);
    assertNear(pixel(r, 250, 75), BLUE);
    assertNear(pixel(r, 150, 125), GREEN);
    assertNear(pixel(r, 250, 125), WHITE);
    assertNear(pixel(r, 50, 100), BACKGROUND);
    assertNear(pixel(r, 320, 100), BACKGROUND);
  });

  it('rotates clockwise about its placed top-left corner, carrying the scene with it', async () => {
    // The 200×100 image placed at (100, 50), turned 90° about that corner: it spans x 0..100, y 50..250.
    const r = await mountMap({ offset: { x: 100, y: 50 }, zoom: 2, rotation: 90 });
    assertNear(pixel(r, 75, 100), RED);
    assertNear(pixel(r, 75, 200), BLUE);
    assertNear(pixel(r, 25, 100), GREEN);
    assertNear(pixel(r, 25, 200), WHITE);
    assertNear(pixel(r, 150, 100), BACKGROUND);
  });

  it('blends by opacity over the background', async () => {
    const r = await mountMap({ opacity: 0.5 });
    assertNear(pixel(r, 10, 10), [(255 + BACKGROUND[0]!) / 2, BACKGROUND[1]! / 2, BACKGROUND[2]! / 2], 10);
  });
});
