import { expect } from 'chai';
import { defaultStageProps, type StageProps } from '../generated/stageProps';
import { FogMask } from '../../plugins/fogOfWar/mask';
import { brush, rectangle } from '../../plugins/fogOfWar/tools';
import { assertNear, marker, mountStage, pixel, solidPng, unmountAll } from './testing/browserStage';

// A known scene in CSS pixels (GM viewport at identity and the display area
// the size of the canvas, so scene units = CSS px in both views): a 200×200
// green map at the origin, a red 50-unit square grid 2 px wide, a blue marker
// at (75, 75), a yellow GM-only marker at (125, 125), and fog revealed over
// (0, 0)–(160, 160) only.
const GREEN = [0, 200, 0];
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const FOG = [16, 16, 16];

function knownScene(): StageProps {
  const props = defaultStageProps();
  props.map = { ...props.map, url: solidPng(200, 200, GREEN), offset: { x: 0, y: 0 }, zoom: 1, opacity: 1 };
  props.grid = {
    ...props.grid,
    visible: true,
    type: 'square',
    size: 50,
    color: '#ff0000',
    opacity: 1,
    lineWidth: 2,
  };
  props.fogOfWar = { ...props.fogOfWar, enabled: true, gmOpacity: 0.5, playerOpacity: 1, color: '#101010' };
  props.display = { ...props.display, center: { x: 200, y: 150 }, size: { x: 400, y: 300 } };
  props.markers = {
    blue: marker({ position: { x: 75, y: 75 }, size: 0.6, color: '#0000ff' }),
    secret: marker({ position: { x: 125, y: 125 }, size: 0.6, color: '#ffff00', visibility: 'gm-only' }),
  };
  return props;
}

function fogBlobs(): Map<string, Uint8Array> {
  const mask = new FogMask();
  rectangle(mask, { x: 0, y: 0, width: 160, height: 160 }, 'reveal');
  return mask.toBlobs();
}

afterEach(unmountAll);

describe('stage renderer pixels (WebGL2)', () => {
  it('draws the map where the map is and grid lines where lines must be', async () => {
    const r = await mountStage('gm', knownScene(), fogBlobs());
    assertNear(pixel(r, 125, 25), GREEN);
    assertNear(pixel(r, 100, 25), RED);
    assertNear(pixel(r, 25, 50), RED);
  });

  it('draws a marker in its colour at its position in both views', async () => {
    for (const view of ['gm', 'player'] as const) {
      const r = await mountStage(view, knownScene(), fogBlobs());
      assertNear(pixel(r, 75, 75), BLUE);
    }
  });

  it('shows GM-only markers dimmed to the GM and not at all to players', async () => {
    const gm = await mountStage('gm', knownScene(), fogBlobs());
    const [red, green, blue] = pixel(gm, 125, 125);
    expect(red).to.be.greaterThan(80);
    expect(red).to.be.lessThan(200);
    expect(green).to.be.greaterThan(180);
    expect(blue).to.be.lessThan(40);
    const player = await mountStage('player', knownScene(), fogBlobs());
    assertNear(pixel(player, 125, 125), GREEN);
  });

  it('fogs unrevealed areas opaquely for players and see-through for the GM', async () => {
    const player = await mountStage('player', knownScene(), fogBlobs());
    assertNear(pixel(player, 185, 185), FOG);
    const gm = await mountStage('gm', knownScene(), fogBlobs());
    const [red, green, blue] = pixel(gm, 185, 185);
    // Half fog over green: the map shows through.
    expect(green).to.be.greaterThan(80);
    expect(green).to.be.lessThan(150);
    expect(red).to.be.lessThan(40);
    expect(blue).to.be.lessThan(40);
    // The revealed area is clear in both views.
    assertNear(pixel(gm, 125, 25), GREEN);
    assertNear(pixel(player, 125, 25), GREEN);
  });

  it('applies later fog strokes tile by tile, as they arrive as changed blobs', async () => {
    const mask = new FogMask();
    rectangle(mask, { x: 0, y: 0, width: 160, height: 160 }, 'reveal');
    const blobs = new Map(mask.toBlobs());
    const player = await mountStage('player', knownScene(), blobs);
    assertNear(pixel(player, 185, 185), FOG);
    const apply = (changes: Map<string, Uint8Array | null>) => {
      for (const [k, v] of changes) {
        if (v) blobs.set(k, v);
        else blobs.delete(k);
      }
      player.setBlobs(new Map(blobs), [...changes.keys()]);
      player.renderNow();
    };
    apply(brush(mask, { points: [{ x: 185, y: 185 }], radius: 12 }, 'reveal'));
    assertNear(pixel(player, 185, 185), GREEN);
    apply(brush(mask, { points: [{ x: 60, y: 60 }], radius: 12 }, 'cover'));
    assertNear(pixel(player, 60, 60), FOG);
    assertNear(pixel(player, 185, 185), GREEN);
    apply(rectangle(mask, { x: 0, y: 0, width: 400, height: 300 }, 'cover'));
    assertNear(pixel(player, 125, 25), FOG);
  });

  it('renders on demand: idle frames cost nothing, a change costs one frame', async () => {
    const r = await mountStage('gm', knownScene(), fogBlobs());
    const idle = r.stats().frames;
    for (let i = 0; i < 5; i++) await new Promise((res) => requestAnimationFrame(res));
    expect(r.stats().frames).to.equal(idle);
    const props = knownScene();
    r.setProps({ ...props, grid: { ...props.grid, color: '#0000ff' } });
    for (let i = 0; i < 3; i++) await new Promise((res) => requestAnimationFrame(res));
    expect(r.stats().frames).to.equal(idle + 1);
    assertNear(pixel(r, 100, 25), BLUE);
  });
});
