import { GPUParticleSystem } from '@babylonjs/core/Particles/gpuParticleSystem';
import type { IParticleSystem } from '@babylonjs/core/Particles/IParticleSystem';
import type { BoxParticleEmitter } from '@babylonjs/core/Particles/EmitterTypes/boxParticleEmitter';
import type { RawTexture } from '@babylonjs/core/Materials/Textures/rawTexture';
import { defineRenderPlugin, hexToRgb, isSoftwareGl, type RenderContext } from '../../engine/render';
import type { WeatherFxProps } from '../../engine/generated/stageProps';
import { applyWeather, createWeatherParticles, softDot, type WeatherView } from './particles';
import { particleCount, travel, WEATHER_PRESETS, type WeatherPreset } from './presets';

interface Running {
  key: string;
  preset: WeatherPreset;
  system: IParticleSystem;
  emitter: BoxParticleEmitter;
}

function viewOf(c: RenderContext): WeatherView {
  const r = c.viewport.visibleRect;
  return { ...r, unitsPerCssPixel: c.viewport.unitsPerPixel * c.viewport.pixelRatio };
}

/**
 * Weather particles over the scene: one particle system (GPU where WebGL2
 * allows, else CPU with a capped count) rebuilt only when the preset, the
 * intensity or the performance tier changes. The host draws every animation
 * frame only while weather runs (and never while the page is hidden); the
 * `low` tier turns particles off.
 */
export const weatherRender = defineRenderPlugin<WeatherFxProps>({
  create(ctx) {
    let texture: RawTexture | undefined;
    let running: Running | undefined;
    let props: WeatherFxProps | undefined;
    // Transform feedback (WebGL2) runs particles on the GPU; without it, or on a software WebGL that only
    // emulates a GPU, the CPU system takes over.
    const gpu =
      GPUParticleSystem.IsSupported &&
      !!ctx.engine.getCaps().supportTransformFeedbacks &&
      !isSoftwareGl(ctx.engine);

    const stop = (): void => {
      running?.system.dispose(false);
      running = undefined;
    };
    const look = (p: WeatherFxProps, preset: WeatherPreset) => ({
      dir: travel(preset, p.direction),
      speed: p.speed,
      opacity: p.opacity,
      tint: hexToRgb(p.tint),
    });

    const sync = (c: RenderContext): void => {
      const p = props;
      const preset = p && p.preset !== 'none' ? WEATHER_PRESETS[p.preset] : undefined;
      const count = preset && p ? particleCount(preset, p.intensity, c.tier, gpu) : 0;
      if (!preset || !p || count === 0 || p.opacity <= 0) {
        stop();
        c.setAnimating(false);
        return;
      }
      const key = `${p.preset}/${count}`;
      if (running?.key !== key) {
        stop();
        texture ??= softDot(c.scene);
        running = { key, preset, ...createWeatherParticles(c.scene, preset, count, gpu, texture, c.layer) };
        applyWeather(running.system, running.emitter, preset, look(p, preset), viewOf(c));
        running.system.start();
      } else applyWeather(running.system, running.emitter, preset, look(p, preset), viewOf(c));
      c.setAnimating(true);
    };

    return {
      update(_prev, next, c) {
        props = next;
        sync(c);
      },
      viewChanged(c) {
        if (running && props)
          applyWeather(
            running.system,
            running.emitter,
            running.preset,
            look(props, running.preset),
            viewOf(c),
          );
      },
      tierChanged: sync,
      dispose() {
        stop();
        texture?.dispose();
      },
    };
  },
});
