import { NullEngine } from '@babylonjs/core/Engines/nullEngine';
import type { Registry } from '../schema';
import { createStageRenderer, type StageRenderer, type StageRendererOptions } from './host';

/**
 * A renderer on Babylon's NullEngine (no GPU) for Node tests and tools: the
 * whole host and every system run for real, only the GL calls are no-ops.
 * Draw calls are still counted, so instancing can be checked without WebGL.
 */
export function createNullStageRenderer(
  options: Pick<StageRendererOptions, 'view' | 'plugins' | 'visibility' | 'clock' | 'tier' | 'tierPolicy'> & {
    registry: Registry;
    width?: number;
    height?: number;
  },
): StageRenderer {
  const engine = new NullEngine({
    renderWidth: options.width ?? 800,
    renderHeight: options.height ?? 600,
    textureSize: 256,
    deterministicLockstep: false,
    lockstepMaxSteps: 1,
  });
  // NullEngine's draw functions are empty; report each call as WebGL would.
  const draw = engine.drawElementsType.bind(engine);
  engine.drawElementsType = (...args: Parameters<NullEngine['drawElementsType']>) => {
    engine._reportDrawCall();
    draw(...args);
  };
  const renderer = createStageRenderer(null, { ...options, engine });
  const dispose = renderer.dispose.bind(renderer);
  return Object.assign(renderer, {
    dispose() {
      dispose();
      engine.dispose();
    },
  });
}
