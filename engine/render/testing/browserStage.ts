/**
 * Helpers for WebGL pixel tests in the browser: mount a real renderer on a
 * 400×300 canvas, wait until textures and shaders are ready, read pixels back
 * in CSS-pixel coordinates. Used by `*.browser.test.ts` files only.
 */
import { registry } from '../../generated/schemas';
import { defaultMarkerProps, type MarkerProps, type StageProps } from '../../generated/stageProps';
import { editorPlugins } from '../../../editor/generated/plugins';
import { createStageRenderer, type StageRenderer, type StageRendererOptions } from '../host';
import type { RenderView } from '../types';

export const BACKGROUND = [64, 64, 64];
const mounted: { canvas: HTMLCanvasElement; r: StageRenderer }[] = [];

/** A PNG data URL of `w`×`h` filled by `paint` (defaults to one colour). */
export function pngDataUrl(w: number, h: number, paint: (g: CanvasRenderingContext2D) => void): string {
  const c = Object.assign(document.createElement('canvas'), { width: w, height: h });
  paint(c.getContext('2d')!);
  return c.toDataURL('image/png');
}

export function solidPng(w: number, h: number, rgb: readonly number[]): string {
  return pngDataUrl(w, h, (g) => {
    g.fillStyle = `rgb(${rgb.join(',')})`;
    g.fillRect(0, 0, w, h);
  });
}

export function marker(over: Partial<MarkerProps>): MarkerProps {
  return { ...structuredClone(defaultMarkerProps), ...over };
}

/** Waits until every texture has loaded and every shader compiled, then renders a final frame. */
export async function settle(r: StageRenderer): Promise<void> {
  for (let i = 0; i < 250; i++) {
    r.renderNow();
    if (r.scene.isReady() && r.scene.textures.every((t) => t.isReady())) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  await new Promise((res) => requestAnimationFrame(res));
  r.renderNow();
}

/** Mounts a renderer on a fresh 400×300 canvas with `props` and `blobs` (and a test clock or tier), settled. */
export async function mountStage(
  view: RenderView,
  props: StageProps,
  blobs: ReadonlyMap<string, Uint8Array> = new Map(),
  extra: Pick<StageRendererOptions, 'clock' | 'tier'> = {},
): Promise<StageRenderer> {
  const canvas = document.createElement('canvas');
  canvas.style.cssText = 'width: 400px; height: 300px; display: block';
  document.body.append(canvas);
  const r = createStageRenderer(canvas, {
    view,
    plugins: editorPlugins,
    registry,
    preserveDrawingBuffer: true,
    ...extra,
    background: `#${BACKGROUND.map((v) => v.toString(16).padStart(2, '0')).join('')}`,
  });
  mounted.push({ canvas, r });
  r.engine.resize();
  r.setProps(props);
  r.setBlobs(blobs);
  await settle(r);
  return r;
}

/** Disposes every renderer mounted since the last call (use in afterEach). */
export function unmountAll(): void {
  for (const { canvas, r } of mounted.splice(0)) {
    r.dispose();
    canvas.remove();
  }
}

/** The RGB of the device pixel under CSS point (x, y) of the last rendered frame. */
export function pixel(r: StageRenderer, x: number, y: number): number[] {
  return region(r, x, y, 1, 1)[0]!;
}

/** RGB of every device pixel in a CSS rectangle, row by row. */
export function region(r: StageRenderer, x: number, y: number, w: number, h: number): number[][] {
  const canvas = r.engine.getRenderingCanvas() as HTMLCanvasElement;
  const dpr = canvas.width / canvas.clientWidth;
  const c = Object.assign(document.createElement('canvas'), { width: canvas.width, height: canvas.height });
  const g = c.getContext('2d')!;
  g.drawImage(canvas, 0, 0);
  const sx = Math.floor((x + 0.5) * dpr);
  const sy = Math.floor((y + 0.5) * dpr);
  const d = g.getImageData(sx, sy, Math.max(1, Math.round(w * dpr)), Math.max(1, Math.round(h * dpr))).data;
  const out: number[][] = [];
  for (let i = 0; i < d.length; i += 4) out.push([d[i]!, d[i + 1]!, d[i + 2]!]);
  return out;
}

/** True when every channel is within `tolerance`. */
export function isNear(actual: readonly number[], expected: readonly number[], tolerance = 12): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
}

/** Throws with both colours in the message unless `actual` is near `expected`. */
export function assertNear(actual: readonly number[], expected: readonly number[], tolerance = 12): void {
  if (!isNear(actual, expected, tolerance))
    throw new Error(`pixel ${JSON.stringify(actual)} is not near ${JSON.stringify(expected)}`);
}
