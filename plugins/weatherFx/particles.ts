import { ParticleSystem } from '@babylonjs/core/Particles/particleSystem';
import { GPUParticleSystem } from '@babylonjs/core/Particles/gpuParticleSystem';
// Registers the WebGL2 platform (transform feedback) the GPU system runs on.
import '@babylonjs/core/Particles/webgl2ParticleSystem';
import type { IParticleSystem } from '@babylonjs/core/Particles/IParticleSystem';
import type { BoxParticleEmitter } from '@babylonjs/core/Particles/EmitterTypes/boxParticleEmitter';
import '@babylonjs/core/Particles/particleSystemComponent';
import { RawTexture } from '@babylonjs/core/Materials/Textures/rawTexture';
import { Constants } from '@babylonjs/core/Engines/constants';
import { Color4 } from '@babylonjs/core/Maths/math.color';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { Scene } from '@babylonjs/core/scene';
import type { WeatherPreset } from './presets';

/** A 32×32 soft white dot, generated rather than loaded: particles are tinted by their colours. */
export function softDot(scene: Scene): RawTexture {
  const n = 32;
  const data = new Uint8Array(n * n * 4);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const r = Math.hypot(x + 0.5 - n / 2, y + 0.5 - n / 2) / (n / 2);
      const a = Math.max(0, Math.min(1, (1 - r) / 0.6));
      data.set([255, 255, 255, Math.round(255 * a * a * (3 - 2 * a))], (y * n + x) * 4);
    }
  return RawTexture.CreateRGBATexture(
    data,
    n,
    n,
    scene,
    false,
    false,
    Constants.TEXTURE_BILINEAR_SAMPLINGMODE,
  );
}

/** The view in scene units (y down) and how many scene units one CSS pixel covers. */
export interface WeatherView {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly unitsPerCssPixel: number;
}

/** The visual settings a running system follows without being rebuilt. */
export interface WeatherLook {
  readonly dir: { x: number; y: number };
  readonly speed: number;
  readonly opacity: number;
  readonly tint: readonly [number, number, number];
}

/**
 * Creates the particle system of one preset: Babylon's GPU particle system
 * where WebGL2 allows, the CPU one otherwise (its count already capped by
 * the caller). Particles are born anywhere over the view (so the screen is
 * full at once, helped by pre-warming) and live `lifetime` seconds.
 */
export function createWeatherParticles(
  scene: Scene,
  preset: WeatherPreset,
  count: number,
  gpu: boolean,
  texture: RawTexture,
  layer: number,
): { system: IParticleSystem; emitter: BoxParticleEmitter } {
  const system: IParticleSystem = gpu
    ? new GPUParticleSystem('weather', { capacity: count }, scene)
    : new ParticleSystem('weather', count, scene);
  system.particleTexture = texture;
  system.renderingGroupId = layer;
  system.blendMode = preset.additive ? ParticleSystem.BLENDMODE_ADD : ParticleSystem.BLENDMODE_STANDARD;
  if (preset.streaks) system.billboardMode = ParticleSystem.BILLBOARDMODE_STRETCHED;
  // Ages and speeds in seconds: at 60 frames/s one update is 1/60 s.
  system.updateSpeed = 1 / 60;
  system.minLifeTime = preset.lifetime * 0.7;
  system.maxLifeTime = preset.lifetime;
  system.emitRate = count / preset.lifetime;
  system.minAngularSpeed = -preset.spin;
  system.maxAngularSpeed = preset.spin;
  system.minInitialRotation = 0;
  system.maxInitialRotation = Math.PI * 2;
  system.preWarmCycles = Math.ceil(preset.lifetime * 60);
  system.preWarmStepOffset = 10;
  const emitter = system.createBoxEmitter(Vector3.Zero(), Vector3.Zero(), Vector3.Zero(), Vector3.Zero());
  return { system, emitter };
}

/** Fits the emitter to the view and applies direction, speed, sizes and colours. */
export function applyWeather(
  system: IParticleSystem,
  emitter: BoxParticleEmitter,
  preset: WeatherPreset,
  look: WeatherLook,
  view: WeatherView,
): void {
  const k = view.unitsPerCssPixel;
  // Scene y is down, Babylon's y up.
  system.emitter = new Vector3(view.x + view.width / 2, -(view.y + view.height / 2), 0);
  // Born over the view and a margin upwind, so the upwind edge is not bare.
  const reach = preset.speed * look.speed * preset.lifetime * k * 0.5;
  const halfW = view.width / 2 + Math.abs(look.dir.x) * reach;
  const halfH = view.height / 2 + Math.abs(look.dir.y) * reach;
  emitter.minEmitBox = new Vector3(-halfW - look.dir.x * reach, -halfH + look.dir.y * reach, 0);
  emitter.maxEmitBox = new Vector3(halfW - look.dir.x * reach, halfH + look.dir.y * reach, 0);
  const s = preset.spread;
  const turn = (a: number) => {
    const c = Math.cos(a);
    const n = Math.sin(a);
    return new Vector3(look.dir.x * c - look.dir.y * n, -(look.dir.x * n + look.dir.y * c), 0);
  };
  emitter.direction1 = turn(-s);
  emitter.direction2 = turn(s);
  system.minEmitPower = preset.speed * look.speed * k * 0.8;
  system.maxEmitPower = preset.speed * look.speed * k * 1.2;
  system.minSize = preset.size[0] * k;
  system.maxSize = preset.size[1] * k;
  const [tr, tg, tb] = look.tint;
  const [a, b] = preset.colors;
  const alpha = preset.alpha * look.opacity;
  const c1 = new Color4(a[0] * tr, a[1] * tg, a[2] * tb, alpha);
  const c2 = new Color4(b[0] * tr, b[1] * tg, b[2] * tb, alpha);
  const clear = (c: Color4) => new Color4(c.r, c.g, c.b, 0);
  for (const g of [...(system.getColorGradients() ?? [])]) system.removeColorGradient(g.gradient);
  // Fade in and out so particles neither pop in nor vanish.
  system.addColorGradient(0, clear(c1), clear(c2));
  system.addColorGradient(0.15, c1, c2);
  system.addColorGradient(0.8, c1, c2);
  system.addColorGradient(1, clear(c1), clear(c2));
}
