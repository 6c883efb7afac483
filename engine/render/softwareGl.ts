import type { AbstractEngine } from '@babylonjs/core/Engines/abstractEngine';

/** Renderer names of WebGL implementations that run on the CPU (Chrome's SwiftShader, Mesa's llvmpipe). */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software/i;

/**
 * Whether the canvas is drawn by a software WebGL. There, work meant for the
 * GPU (transform feedback particles, per-pixel loops) runs emulated on the
 * CPU and is far slower than doing it on the CPU directly: bench metric 9
 * measured rain at 10–15 s a frame on GPU particles on SwiftShader, against
 * about 100 ms with the CPU particle system at the same count.
 */
export function isSoftwareGl(engine: AbstractEngine): boolean {
  const info = (engine as { getGlInfo?: () => { renderer: string } }).getGlInfo?.();
  return !!info && SOFTWARE.test(info.renderer);
}
