import { expect } from 'chai';
import { registry } from '../generated/schemas';
import { defaultStageProps, type MarkerProps, type StageProps } from '../generated/stageProps';
import { builtinRenderPlugins, FogMask, rectangle } from '../../plugins';
import { createStageRenderer, type StageRenderer } from './index';
import type { RenderView } from './types';

// A known scene in CSS pixels (viewport at identity, so scene units = CSS px):
// a 200×200 green map at the origin, a red 50-unit square grid 2 px wide, a
// blue marker at (75, 75), a yellow GM-only marker at (125, 125), and fog
// revealed over (0, 0)–(160, 160) only.
const GREEN = [0, 200, 0];
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const FOG = [16, 16, 16];
const BACKGROUND = '#404040';

function solidPng(w: number, h: number, rgb: number[]): string {
  const c = Object.assign(document.createElement('canvas'), { width: w, height: h });
  const g = c.getContext('2d')!;
  g.fillStyle = `rgb(${rgb.join(',')})`;
  g.fillRect(0, 0, w, h);
  return c.toDataURL('image/png');
}

function marker(over: Partial<MarkerProps>): MarkerProps {
  return { ...structuredClone(defaultStageProps().markers['x'] ?? markerDefaults()), ...over };
}
function markerDefaults(): MarkerProps {
  return {
    position: { x: 0, y: 0 },
    label: '',
    shape: 'circle',
    size: 48,
    color: '#e03131',
    image: '',
    visibility: 'always',
    gmNote: '',
  };
}

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
  // The player view frames the display area; make it the canvas size so both views are 1:1.
  props.display = { padding: 0, resolution: { x: 400, y: 300 } };
  props.markers = {
    blue: marker({ position: { x: 75, y: 75 }, size: 30, color: '#0000ff' }),
    secret: marker({ position: { x: 125, y: 125 }, size: 30, color: '#ffff00', visibility: 'gm-only' }),
  };
  return props;
}

function fogBlobs(): Map<string, Uint8Array> {
  const mask = new FogMask();
  rectangle(mask, { x: 0, y: 0, width: 160, height: 160 }, 'reveal');
  return mask.toBlobs();
}

const mounted: { canvas: HTMLCanvasElement; r: StageRenderer }[] = [];

async function mount(view: RenderView, props: StageProps, blobs = fogBlobs()): Promise<StageRenderer> {
  const canvas = document.createElement('canvas');
  canvas.style.cssText = 'width: 400px; height: 300px; display: block';
  document.body.append(canvas);
  const r = createStageRenderer(canvas, {
    view,
    plugins: builtinRenderPlugins,
    registry,
    preserveDrawingBuffer: true,
    background: BACKGROUND,
  });
  mounted.push({ canvas, r });
  r.engine.resize();
  r.setProps(props);
  r.setBlobs(blobs);
  await settle(r);
  return r;
}

/** Waits until every texture has loaded and the scene's shaders compiled, then renders once more. */
async function settle(r: StageRenderer): Promise<void> {
  for (let i = 0; i < 200; i++) {
    r.renderNow();
    if (r.scene.isReady() && r.scene.textures.every((t) => t.isReady())) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  await new Promise((res) => requestAnimationFrame(res));
  r.renderNow();
}

function pixel(r: StageRenderer, x: number, y: number): number[] {
  const canvas = r.engine.getRenderingCanvas() as HTMLCanvasElement;
  const dpr = canvas.width / canvas.clientWidth;
  const c = Object.assign(document.createElement('canvas'), { width: canvas.width, height: canvas.height });
  const g = c.getContext('2d')!;
  g.drawImage(canvas, 0, 0);
  const d = g.getImageData(Math.floor((x + 0.5) * dpr), Math.floor((y + 0.5) * dpr), 1, 1).data;
  return [d[0]!, d[1]!, d[2]!];
}

function near(actual: number[], expected: number[], tolerance = 12): void {
  const ok = actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
  expect(ok, `pixel ${JSON.stringify(actual)} is not near ${JSON.stringify(expected)}`).to.equal(true);
}

afterEach(() => {
  for (const { canvas, r } of mounted.splice(0)) {
    r.dispose();
    canvas.remove();
  }
});

describe('stage renderer pixels (WebGL2)', () => {
  it('draws the map where the map is and grid lines where lines must be', async () => {
    const r = await mount('gm', knownScene());
    near(pixel(r, 125, 25), GREEN);
    near(pixel(r, 100, 25), RED);
    near(pixel(r, 25, 50), RED);
  });

  it('draws a marker in its colour at its position in both views', async () => {
    for (const view of ['gm', 'player'] as const) {
      const r = await mount(view, knownScene());
      near(pixel(r, 75, 75), BLUE);
    }
  });

  it('shows GM-only markers dimmed to the GM and not at all to players', async () => {
    const gm = await mount('gm', knownScene());
    const [red, green, blue] = pixel(gm, 125, 125);
    expect(red).to.be.greaterThan(80);
    expect(green).to.be.greaterThan(180);
    expect(blue).to.be.lessThan(40);
    expect(red).to.be.lessThan(200);
    const player = await mount('player', knownScene());
    near(pixel(player, 125, 125), GREEN);
  });

  it('fogs unrevealed areas opaquely for players and see-through for the GM', async () => {
    const player = await mount('player', knownScene());
    near(pixel(player, 185, 185), FOG);
    const gm = await mount('gm', knownScene());
    const [red, green, blue] = pixel(gm, 185, 185);
    // Half fog over green: the map shows through.
    expect(green).to.be.greaterThan(80);
    expect(green).to.be.lessThan(150);
    expect(red).to.be.lessThan(40);
    expect(blue).to.be.lessThan(40);
    // Revealed area is not fogged in either view.
    near(pixel(gm, 125, 25), GREEN);
  });
});
