/**
 * The atmosphere benchmark's browser page (bundled by bench/m9-atmosphere.ts).
 * `window.runAtmosphere({lights, weather, tier, frames, budgetMs, seed})` mounts
 * the real render host on a player view of a 1024×768 scene with `lights`
 * flickering torches (darkness 0.8 when there are lights) and optionally
 * rain, at a pinned performance tier, then times up to `frames` frames (each
 * read back one pixel so SwiftShader's work is inside), stopping after
 * `budgetMs` once 3 are timed: on SwiftShader a frame can take seconds.
 * `window.idleFrames({ms, weather, tier})` mounts a scene without lights and
 * counts the frames the host draws by itself in `ms` (with atmosphere off, or
 * with rain at the low tier, it should draw none).
 */
import { registry } from '../../engine/generated/schemas';
import { defaultLightProps, defaultStageProps, type StageProps } from '../../engine/generated/stageProps';
import { createStageRenderer, type PerformanceTier, type StageRenderer } from '../../engine/render';
import { editorPlugins } from '../../editor/generated/plugins';

export interface AtmosphereRequest {
  lights: number;
  weather: boolean;
  tier: PerformanceTier;
  frames: number;
  budgetMs: number;
  seed: number;
}

export interface IdleRequest {
  ms: number;
  weather: boolean;
  tier: PerformanceTier;
}

export interface AtmosphereResponse {
  frameMs: number[];
  drawCalls: number;
}

function mount(props: StageProps, tier: PerformanceTier): StageRenderer {
  const el = document.createElement('canvas');
  el.style.cssText = 'width: 1024px; height: 768px; display: block';
  document.body.append(el);
  const r = createStageRenderer(el, { view: 'player', plugins: editorPlugins, registry, tier });
  r.engine.resize();
  r.setProps(props);
  return r;
}

function scene(req: Pick<AtmosphereRequest, 'lights' | 'weather' | 'seed'>): StageProps {
  const props = defaultStageProps();
  props.display = { ...props.display, center: { x: 512, y: 384 }, size: { x: 1024, y: 768 } };
  let s = req.seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  for (let i = 0; i < req.lights; i++)
    props.lights[`l${i}`] = {
      ...structuredClone(defaultLightProps),
      position: { x: Math.round(rnd() * 1024), y: Math.round(rnd() * 768) },
      brightRadius: 1,
      dimRadius: 2,
      style: 'torch',
    };
  if (req.lights > 0) props.lighting = { ...props.lighting, darkness: 0.8 };
  if (req.weather) props.weatherFx = { ...props.weatherFx, preset: 'rain', intensity: 1 };
  return props;
}

async function settle(r: StageRenderer): Promise<void> {
  for (let i = 0; i < 500 && !r.scene.isReady(); i++) {
    r.renderNow();
    await new Promise((res) => setTimeout(res, 5));
  }
  r.renderNow();
  await r.engine.readPixels(0, 0, 1, 1);
}

async function runAtmosphere(req: AtmosphereRequest): Promise<AtmosphereResponse> {
  const r = mount(scene(req), req.tier);
  await settle(r);
  const frameMs: number[] = [];
  const start = performance.now();
  for (let i = 0; i < req.frames && (i < 3 || performance.now() - start < req.budgetMs); i++) {
    const t0 = performance.now();
    r.renderNow();
    await r.engine.readPixels(0, 0, 1, 1);
    frameMs.push(performance.now() - t0);
  }
  const drawCalls = r.stats().drawCalls;
  r.dispose();
  return { frameMs, drawCalls };
}

async function idleFrames(req: IdleRequest): Promise<number> {
  const r = mount(scene({ lights: 0, weather: req.weather, seed: 1 }), req.tier);
  await settle(r);
  // Let the mount's own scheduled frames drain, then count.
  await new Promise((res) => setTimeout(res, 100));
  const before = r.stats().frames;
  await new Promise((res) => setTimeout(res, req.ms));
  const frames = r.stats().frames - before;
  r.dispose();
  return frames;
}

declare global {
  interface Window {
    runAtmosphere(req: AtmosphereRequest): Promise<AtmosphereResponse>;
    idleFrames(req: IdleRequest): Promise<number>;
  }
}

window.runAtmosphere = runAtmosphere;
window.idleFrames = idleFrames;
