import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import type { Scene } from '@babylonjs/core/scene';

/** An animated image playing into a texture; `stop()` ends the frame loop (and is safe to call twice). */
export interface AnimatedImage {
  readonly texture: DynamicTexture;
  readonly width: number;
  readonly height: number;
  stop(): void;
}

const GIF = /\.gif(\?|#|$)|^data:image\/gif[;,]/i;

/** True for map URLs that may hold an animated GIF. */
export function isGifUrl(url: string): boolean {
  return GIF.test(url);
}

/**
 * Plays an animated GIF into a dynamic texture with the browser's WebCodecs
 * `ImageDecoder`, calling `onFrame` after each new frame (so the host renders
 * one frame per GIF frame, not a busy loop). Resolves to `undefined` when the
 * image is not animated or the browser has no ImageDecoder; the caller then
 * loads it as a still image.
 */
export async function playAnimatedImage(
  url: string,
  scene: Scene,
  onFrame: () => void,
): Promise<AnimatedImage | undefined> {
  if (typeof ImageDecoder === 'undefined') return undefined;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const decoder = new ImageDecoder({ data: await response.arrayBuffer(), type: 'image/gif' });
  await decoder.tracks.ready;
  const track = decoder.tracks.selectedTrack;
  if (!track || !track.animated || track.frameCount < 2) {
    decoder.close();
    return undefined;
  }
  const first = await decoder.decode({ frameIndex: 0 });
  const width = first.image.displayWidth;
  const height = first.image.displayHeight;
  const texture = new DynamicTexture(
    'map-gif',
    { width, height },
    scene,
    false,
    Texture.BILINEAR_SAMPLINGMODE,
  );
  const g = texture.getContext() as unknown as CanvasRenderingContext2D;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const show = (frame: VideoFrame): number => {
    g.clearRect(0, 0, width, height);
    g.drawImage(frame, 0, 0, width, height);
    texture.update(true);
    // Browsers play 0 / tiny GIF delays at 10 fps; do the same.
    const ms = (frame.duration ?? 0) / 1000;
    frame.close();
    onFrame();
    return ms >= 20 ? ms : 100;
  };
  const next = (index: number, delay: number): void => {
    timer = setTimeout(async () => {
      if (stopped) return;
      try {
        const frameIndex = index % track.frameCount;
        const { image } = await decoder.decode({ frameIndex });
        if (stopped) return image.close();
        next(frameIndex + 1, show(image));
      } catch (e) {
        console.warn(`map: animated image stopped: ${(e as Error).message}`);
      }
    }, delay);
  };
  next(1, show(first.image));
  return {
    texture,
    width,
    height,
    stop() {
      stopped = true;
      clearTimeout(timer);
      decoder.close();
    },
  };
}
