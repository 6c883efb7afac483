import { expect } from 'chai';
import type { PresenceEntry } from '../../engine/plugin';
import { defaultStageProps } from '../../engine/generated/stageProps';
import type { StageRenderer } from '../../engine/render';
import {
  assertNear,
  BACKGROUND,
  mountStage,
  pixel,
  region,
  unmountAll,
} from '../../engine/render/testing/browserStage';
import type { RulerValue } from './presence';

const YELLOW = [255, 212, 59];
const gm = { id: 'gm1', role: 'gm' as const, name: 'GM', color: '#4c6ef5' };
const ruler = (pts: [number, number][]): PresenceEntry<RulerValue> => ({
  clientId: 7,
  local: false,
  user: gm,
  value: { pts },
});

// A hidden 32-unit grid (5 ft a cell); the identity viewport maps scene units to CSS px.
function scene() {
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false, size: 32 };
  return props;
}

const labelTexts = (r: StageRenderer): unknown =>
  (r.scene.getMeshByName('ruler-labels')?.metadata as { texts?: string[] } | null)?.texts;
const brightPixels = (r: StageRenderer, x: number, y: number) =>
  region(r, x, y, 60, 24).filter((p) => p.every((v) => v > 200)).length;

afterEach(unmountAll);

describe('ruler pixels (WebGL2)', () => {
  it('draws the line in the ruler colour and the distance under its end; nothing once cleared', async () => {
    const r = await mountStage('gm', scene());
    r.setPresence('ruler', [
      ruler([
        [16, 150],
        [336, 150],
      ]),
    ]);
    r.renderNow();
    assertNear(pixel(r, 176, 150), YELLOW, 30);
    assertNear(pixel(r, 176, 120), BACKGROUND);
    expect(labelTexts(r)).to.deep.equal(['50 ft']);
    // White label text under the end point.
    expect(brightPixels(r, 310, 156)).to.be.greaterThan(10);

    r.setPresence('ruler', []);
    r.renderNow();
    assertNear(pixel(r, 176, 150), BACKGROUND);
    expect(brightPixels(r, 310, 156)).to.equal(0);
    expect(labelTexts(r)).to.deep.equal([]);
  });

  it('a ruler with a waypoint labels each leg and the total', async () => {
    const r = await mountStage('gm', scene());
    r.setPresence('ruler', [
      ruler([
        [16, 16],
        [144, 16],
        [144, 208],
      ]),
    ]);
    r.renderNow();
    assertNear(pixel(r, 80, 16), YELLOW, 30);
    assertNear(pixel(r, 144, 112), YELLOW, 30);
    expect(labelTexts(r)).to.deep.equal(['20 ft', '30 ft', '50 ft']);
  });

  it('a player’s ruler is drawn in that player’s colour', async () => {
    const r = await mountStage('gm', scene());
    r.setPresence('ruler', [
      {
        ...ruler([
          [16, 150],
          [336, 150],
        ]),
        user: { ...gm, role: 'player', color: '#00ff00' },
      },
    ]);
    r.renderNow();
    assertNear(pixel(r, 176, 150), [0, 255, 0], 30);
  });
});
