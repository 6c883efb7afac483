import { defaultDrawingProps, defaultStageProps, type DrawingProps } from '../../engine/generated/stageProps';
import {
  assertNear,
  BACKGROUND,
  mountStage,
  pixel,
  unmountAll,
} from '../../engine/render/testing/browserStage';
import { encodePoints } from './encoding';

const GREEN = [0, 255, 0];
const stroke = (over: Partial<DrawingProps>): DrawingProps => ({
  ...structuredClone(defaultDrawingProps),
  color: '#00ff00',
  width: 6,
  ...over,
});

function sceneWith(strokes: Record<string, DrawingProps>) {
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false };
  props.strokes = strokes;
  return props;
}

afterEach(unmountAll);

describe('stroke pixels (WebGL2)', () => {
  it('draws a pen path, a rectangle outline and an ellipse outline at their width', async () => {
    const pen = encodePoints([
      { x: 20, y: 40 },
      { x: 60, y: 40 },
      { x: 100, y: 80 },
    ]);
    const box = encodePoints([
      { x: 150, y: 30 },
      { x: 250, y: 130 },
    ]);
    const oval = encodePoints([
      { x: 280, y: 30 },
      { x: 380, y: 130 },
    ]);
    const r = await mountStage(
      'gm',
      sceneWith({
        pen: stroke({ kind: 'pen', points: pen }),
        box: stroke({ kind: 'rect', points: box }),
        oval: stroke({ kind: 'ellipse', points: oval }),
      }),
    );
    assertNear(pixel(r, 40, 40), GREEN, 30);
    assertNear(pixel(r, 80, 60), GREEN, 30);
    assertNear(pixel(r, 40, 50), BACKGROUND);
    // The rectangle is an outline: its edge is drawn, its middle is not.
    assertNear(pixel(r, 150, 80), GREEN, 30);
    assertNear(pixel(r, 200, 80), BACKGROUND);
    // The ellipse touches its box at the middle of each side, not at the corners.
    assertNear(pixel(r, 330, 30), GREEN, 30);
    assertNear(pixel(r, 283, 33), BACKGROUND);
  });

  it('the player view leaves GM-layer strokes out', async () => {
    const line = encodePoints([
      { x: 20, y: 200 },
      { x: 200, y: 200 },
    ]);
    const props = sceneWith({ gm: stroke({ kind: 'line', points: line, layer: 'gm' }) });
    assertNear(pixel(await mountStage('player', props), 100, 200), BACKGROUND);
  });
});
