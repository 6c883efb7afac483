/**
 * The render benchmark's browser page (bundled by bench/m6-render.ts with
 * esbuild). `window.runBench({mode, count, frames, seed})` draws `count`
 * markers scattered over a 4,000-unit square and times `frames` frames, each
 * moving one marker (a drag) and drawing, synchronised with a 1-pixel read
 * back so GPU (SwiftShader) work is inside the time:
 * - `ours`: the real render host with the built-in render plugins (markers
 *   as thin instances);
 * - `baseline`: plain Babylon, one disc mesh per marker (shared material).
 * `window.firstFrame({mode, props})` times StageProps → first frame (cold load).
 * Collection, position and colour properties are found through the registry.
 */
import { Engine } from '@babylonjs/core/Engines/engine';
import { Scene } from '@babylonjs/core/scene';
import { FreeCamera } from '@babylonjs/core/Cameras/freeCamera';
import { Camera } from '@babylonjs/core/Cameras/camera';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { Color3, Color4 } from '@babylonjs/core/Maths/math.color';
import { CreateDisc } from '@babylonjs/core/Meshes/Builders/discBuilder';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import type { AbstractEngine } from '@babylonjs/core/Engines/abstractEngine';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { createStageRenderer } from '../../engine/render';
import { editorPlugins } from '../../editor/generated/plugins';

export interface BenchRequest {
  mode: 'ours' | 'baseline';
  count: number;
  frames: number;
  seed: number;
}

export interface BenchResponse {
  frameMs: number[];
  drawCalls: number;
  setupMs: number;
  firstFrameMs: number;
}

const SPREAD = 4000;

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function collection() {
  for (const c of registry.collections) {
    const position = c.props.find((p) => p.decl.kind === 'point');
    if (position) return { c, position, color: c.props.find((p) => p.decl.kind === 'color') };
  }
  throw new Error('no collection with a point property');
}

function canvas(): HTMLCanvasElement {
  const el = document.createElement('canvas');
  el.style.cssText = 'width: 1024px; height: 768px; display: block';
  document.body.append(el);
  return el;
}

/**
 * Renders until every mesh's shaders are compiled (Babylon compiles them
 * asynchronously, and a mesh whose effect is not ready is silently skipped),
 * then renders once more and waits for it: the first frame that shows everything.
 */
async function settle(scene: Scene, render: () => void): Promise<void> {
  const engine = scene.getEngine();
  for (let i = 0; i < 1000; i++) {
    render();
    await engine.readPixels(0, 0, 1, 1);
    if (scene.isReady()) {
      render();
      await engine.readPixels(0, 0, 1, 1);
      return;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('the scene never became ready');
}

async function timeFrames(engine: AbstractEngine, frames: number, frame: (i: number) => void) {
  const out: number[] = [];
  for (let i = 0; i < frames; i++) {
    const t0 = performance.now();
    frame(i);
    await engine.readPixels(0, 0, 1, 1);
    out.push(performance.now() - t0);
  }
  return out;
}

async function ours(req: BenchRequest): Promise<BenchResponse> {
  const { c, position, color } = collection();
  const rnd = random(req.seed);
  const t0 = performance.now();
  const props = defaultStageProps() as unknown as Record<string, Record<string, Record<string, unknown>>>;
  const members: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < req.count; i++) {
    const m = Object.fromEntries(c.props.map((p) => [p.key, structuredClone(p.decl.default)]));
    m[position.key] = { x: Math.round(rnd() * SPREAD), y: Math.round(rnd() * SPREAD) };
    if (color)
      m[color.key] = `#${Math.floor(rnd() * 0xffffff)
        .toString(16)
        .padStart(6, '0')}`;
    members[`m${i}`] = m;
  }
  props[c.key] = members;
  const r = createStageRenderer(canvas(), { view: 'gm', plugins: editorPlugins, registry });
  r.engine.resize();
  r.setProps(props);
  r.fitToScreen();
  await settle(r.scene, () => r.renderNow());
  const firstFrameMs = performance.now() - t0;
  for (let i = 0; i < 3; i++) r.renderNow();
  let current = props;
  const frameMs = await timeFrames(r.engine, req.frames, (i) => {
    const id = `m${i % req.count}`;
    const group = current[c.key]!;
    const moved = { ...group[id]!, [position.key]: { x: (i * 7) % SPREAD, y: (i * 13) % SPREAD } };
    current = { ...current, [c.key]: { ...group, [id]: moved } };
    r.setProps(current);
    r.renderNow();
  });
  const drawCalls = r.stats().drawCalls;
  r.dispose();
  return { frameMs, drawCalls, setupMs: firstFrameMs, firstFrameMs };
}

/** Plain Babylon: an orthographic top-down camera over the square and one disc mesh per position. */
function baselineScene(positions: readonly { x: number; y: number }[]) {
  const engine = new Engine(canvas(), true, { stencil: false }, true);
  engine.resize();
  const scene = new Scene(engine);
  scene.clearColor = new Color4(0.25, 0.25, 0.25, 1);
  const camera = new FreeCamera('top', new Vector3(SPREAD / 2, 100, SPREAD / 2), scene);
  camera.setTarget(new Vector3(SPREAD / 2, 0, SPREAD / 2 + 0.001));
  camera.mode = Camera.ORTHOGRAPHIC_CAMERA;
  const aspect = engine.getRenderWidth() / engine.getRenderHeight();
  camera.orthoTop = SPREAD / 2;
  camera.orthoBottom = -SPREAD / 2;
  camera.orthoLeft = (-SPREAD / 2) * aspect;
  camera.orthoRight = (SPREAD / 2) * aspect;
  const material = new StandardMaterial('marker', scene);
  material.disableLighting = true;
  material.emissiveColor = new Color3(0.88, 0.19, 0.19);
  // Discs face down after the rotation; draw both sides so they are rasterised, as ours are.
  material.backFaceCulling = false;
  const meshes: Mesh[] = positions.map((p, i) => {
    const disc = CreateDisc(`m${i}`, { radius: 24, tessellation: 32 }, scene);
    disc.rotation.x = Math.PI / 2;
    disc.position.set(p.x, 0, p.y);
    disc.material = material;
    return disc;
  });
  return { engine, scene, meshes };
}

async function baseline(req: BenchRequest): Promise<BenchResponse> {
  const rnd = random(req.seed);
  const t0 = performance.now();
  const positions = Array.from({ length: req.count }, () => ({
    x: Math.round(rnd() * SPREAD),
    y: Math.round(rnd() * SPREAD),
  }));
  const { engine, scene, meshes } = baselineScene(positions);
  await settle(scene, () => scene.render());
  const firstFrameMs = performance.now() - t0;
  for (let i = 0; i < 3; i++) scene.render();
  const counter = (engine as unknown as { _drawCalls?: { current: number; fetchNewFrame(): void } })
    ._drawCalls;
  let drawCalls = 0;
  const frameMs = await timeFrames(engine, req.frames, (i) => {
    meshes[i % req.count]!.position.set((i * 7) % SPREAD, 0, (i * 13) % SPREAD);
    counter?.fetchNewFrame();
    scene.render();
    drawCalls = counter?.current ?? NaN;
  });
  engine.dispose();
  return { frameMs, drawCalls, setupMs: firstFrameMs, firstFrameMs };
}

/** Cold load's render part: from StageProps (as the API sent them) to the first frame on screen, ms. */
async function firstFrame(req: {
  mode: 'ours' | 'baseline';
  props: Record<string, unknown>;
}): Promise<number> {
  const t0 = performance.now();
  if (req.mode === 'ours') {
    const r = createStageRenderer(canvas(), { view: 'gm', plugins: editorPlugins, registry });
    r.engine.resize();
    r.setProps(req.props);
    r.fitToScreen();
    await settle(r.scene, () => r.renderNow());
    const ms = performance.now() - t0;
    r.dispose();
    return ms;
  }
  const { c, position } = collection();
  const members = Object.values((req.props[c.key] ?? {}) as Record<string, Record<string, unknown>>);
  const { engine, scene } = baselineScene(members.map((m) => m[position.key] as { x: number; y: number }));
  await settle(scene, () => scene.render());
  const ms = performance.now() - t0;
  engine.dispose();
  return ms;
}

declare global {
  interface Window {
    runBench(req: BenchRequest): Promise<BenchResponse>;
    firstFrame(req: { mode: 'ours' | 'baseline'; props: Record<string, unknown> }): Promise<number>;
  }
}

window.runBench = (req) => (req.mode === 'ours' ? ours(req) : baseline(req));
window.firstFrame = firstFrame;
