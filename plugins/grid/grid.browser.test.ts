import { snapToGrid } from './snap';
import { expect } from 'chai';
import { defaultStageProps, type GridProps } from '../../engine/generated/stageProps';
import {
  assertNear,
  BACKGROUND,
  mountStage,
  pixel,
  region,
  unmountAll,
} from '../../engine/render/testing/browserStage';

const RED = [255, 0, 0];

async function mountGrid(grid: Partial<GridProps>, zoom = 1) {
  const props = defaultStageProps();
  props.grid = { ...props.grid, color: '#ff0000', opacity: 1, lineWidth: 2, ...grid };
  props.scene = { ...props.scene, zoom };
  return mountStage('gm', props);
}

afterEach(unmountAll);

describe('grid pixels (WebGL2)', () => {
  it('draws hex cell edges between neighbouring centres and leaves centres clear', async () => {
    // size 60: row-0 centres at (30, r) and (90, r), r = 60/√3; their shared edge is x = 60.
    const r = await mountGrid({ type: 'hex', size: 60 });
    const radius = 60 / Math.sqrt(3);
    assertNear(pixel(r, 60, radius), RED);
    assertNear(pixel(r, 30, radius), BACKGROUND);
    assertNear(pixel(r, 90, radius + 1.5 * radius * 2), BACKGROUND);
  });

  it('snaps to the centres of the cells the shader draws', async () => {
    for (const type of ['square', 'hex'] as const) {
      const r = await mountGrid({ type, size: 60 });
      for (const p of [
        { x: 37, y: 41 },
        { x: 151, y: 88 },
        { x: 260, y: 200 },
        { x: 95, y: 170 },
      ]) {
        const c = snapToGrid(p, { type, size: 60 });
        assertNear(pixel(r, c.x, c.y), BACKGROUND);
        // Half a cell away from the centre, the pointer still snaps back to it.
        expect(snapToGrid({ x: c.x + 12, y: c.y - 12 }, { type, size: 60 })).to.deep.equal(c);
      }
    }
  });

  it('keeps lines the same pixel width at any zoom (crisp, not scaled)', async () => {
    const widthAt = async (zoom: number) => {
      const r = await mountGrid({ type: 'square', size: 50, lineWidth: 3 }, zoom);
      // A horizontal run of pixels across the vertical line at scene x = 50.
      const x = 50 * zoom;
      const row = region(r, x - 8, 10, 16, 1);
      return row.filter((c) => c[0]! > 200 && c[1]! < 80).length;
    };
    const w1 = await widthAt(1);
    const w4 = await widthAt(4);
    expect(w1).to.be.within(2, 4);
    expect(w4).to.equal(w1);
  });
});
