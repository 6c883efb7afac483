import { PostProcess } from '@babylonjs/core/PostProcesses/postProcess';
import { PassPostProcess } from '@babylonjs/core/PostProcesses/passPostProcess';
import { BlurPostProcess } from '@babylonjs/core/PostProcesses/blurPostProcess';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { Vector2 } from '@babylonjs/core/Maths/math.vector';
import type { Camera } from '@babylonjs/core/Cameras/camera';
import type { AbstractEngine } from '@babylonjs/core/Engines/abstractEngine';
import type { Effect } from '@babylonjs/core/Materials/effect';
import { BRIGHT_SHADER, GRADE_SHADER } from './shaders';

/** Which passes a chain has: its shape. A change of shape rebuilds the chain; anything else is a uniform. */
export interface ChainShape {
  readonly bloom: boolean;
  /** The glow's buffer as a share of the screen (smaller is cheaper and blurrier). */
  readonly bloomScale: number;
  /** `#define`s of the grade pass. */
  readonly defines: readonly string[];
}

/** A built chain of post-processes on the host's camera. */
export interface PostChain {
  readonly key: string;
  /** The glow's blur, in pixels of its buffer. */
  setBlurKernel(kernel: number): void;
  dispose(): void;
}

export const shapeKey = (s: ChainShape): string => `${s.bloom ? s.bloomScale : 0}|${s.defines.join(',')}`;

const GRADE_UNIFORMS = [
  'bloomIntensity',
  'exposureScale',
  'contrast',
  'saturation',
  'tint',
  'screen',
  'frameCentre',
  'frameU',
  'frameV',
  'vignetteStrength',
  'vignetteSize',
];

/**
 * Attaches the passes to `camera`: with bloom, a copy of the scene, the bright
 * parts at `bloomScale`, a two-pass blur, then the grade pass adding the glow
 * back; without, the grade pass alone. The first pass receives the scene, so
 * it is multisampled where WebGL2 allows (the canvas's own antialiasing does
 * not reach an offscreen buffer). `apply` sets the grade pass's uniforms.
 */
export function buildChain(
  camera: Camera,
  engine: AbstractEngine,
  shape: ChainShape,
  threshold: () => number,
  apply: (effect: Effect) => void,
): PostChain {
  const passes: PostProcess[] = [];
  const nearest = Texture.NEAREST_SAMPLINGMODE;
  const bilinear = Texture.BILINEAR_SAMPLINGMODE;
  let scene: PassPostProcess | undefined;
  const blurs: BlurPostProcess[] = [];
  if (shape.bloom) {
    scene = new PassPostProcess('postfx-scene', 1, camera, nearest, engine);
    const bright = new PostProcess(
      'postfx-bright',
      BRIGHT_SHADER,
      ['threshold'],
      null,
      shape.bloomScale,
      camera,
      bilinear,
      engine,
    );
    bright.onApply = (effect) => effect.setFloat('threshold', threshold());
    passes.push(scene, bright);
    for (const dir of [new Vector2(1, 0), new Vector2(0, 1)]) {
      const blur = new BlurPostProcess('postfx-blur', dir, 8, shape.bloomScale, camera, bilinear, engine);
      blurs.push(blur);
      passes.push(blur);
    }
  }
  const grade = new PostProcess(
    'postfx-grade',
    GRADE_SHADER,
    GRADE_UNIFORMS,
    shape.bloom ? ['sceneSampler'] : null,
    1,
    camera,
    // The glow arrives at a fraction of the size: smooth it up; the plain scene is read pixel for pixel.
    shape.bloom ? bilinear : nearest,
    engine,
    false,
    shape.defines.map((d) => `#define ${d}`).join('\n'),
  );
  grade.onApply = (effect) => {
    if (scene) effect.setTextureFromPostProcess('sceneSampler', scene);
    apply(effect);
  };
  passes.push(grade);
  const msaa = Math.min(4, engine.getCaps().maxMSAASamples ?? 1);
  if (msaa > 1) passes[0]!.samples = msaa;

  return {
    key: shapeKey(shape),
    setBlurKernel(kernel) {
      for (const b of blurs) if (b.kernel !== kernel) b.kernel = kernel;
    },
    dispose() {
      for (const p of passes) p.dispose(camera);
    },
  };
}
