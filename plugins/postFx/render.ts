import type { Effect } from '@babylonjs/core/Materials/effect';
import {
  defineRenderPlugin,
  frameCorners,
  hexToRgb,
  sceneToScreen,
  type PerformanceTier,
  type RenderContext,
} from '../../engine/render';
import type { PostFxProps } from '../../engine/generated/stageProps';
import { exposureScale } from './curves';
import { buildChain, shapeKey, type ChainShape, type PostChain } from './chain';
import './shaders';

/** The passes the props ask for on a tier; `undefined` when nothing is on (no pass at all). */
export function chainShape(p: PostFxProps, tier: PerformanceTier): ChainShape | undefined {
  if (tier === 'low') return undefined;
  const bloom = p.bloom && p.bloomIntensity > 0;
  const defines = [
    ...(bloom ? ['BLOOM'] : []),
    ...(p.grading ? ['GRADING'] : []),
    ...(p.toneMapping === 'reinhard' ? ['TONEMAP_REINHARD'] : []),
    ...(p.toneMapping === 'aces' ? ['TONEMAP_ACES'] : []),
    ...(p.vignette && p.vignetteStrength > 0 ? ['VIGNETTE'] : []),
  ];
  if (defines.length === 0) return undefined;
  // Medium keeps the glow but blurs a buffer a quarter the area.
  return { bloom, bloomScale: tier === 'medium' ? 0.125 : 0.25, defines };
}

/**
 * Where the players' screen is on this canvas, in CSS px: the display
 * frame's centre and half-axes through the view (in the player view it fills
 * the screen, in the GM view it is the outlined frame), or the whole canvas
 * when no frame is set.
 */
function screenFrame(c: RenderContext): { centre: number[]; u: number[]; v: number[] } {
  const { width, height } = c.viewport.screen;
  const frame = c.viewport.frame;
  if (!frame) return { centre: [width / 2, height / 2], u: [width / 2, 0], v: [0, height / 2] };
  const [a, b, , d] = frameCorners(frame).map((p) => sceneToScreen(c.viewport.view, p)) as [
    { x: number; y: number },
    { x: number; y: number },
    unknown,
    { x: number; y: number },
  ];
  const centre = [(b.x + d.x) / 2, (b.y + d.y) / 2];
  return { centre, u: [(b.x - a.x) / 2, (b.y - a.y) / 2], v: [(d.x - a.x) / 2, (d.y - a.y) / 2] };
}

/**
 * Post-processing on the host's camera, so it applies to the whole picture
 * in both views: the GM sees what the TV will show (the vignette sits on the
 * outlined frame, not on the GM's window). The chain exists only while an
 * effect is on and the tier is not `low`; the effects are static, so the
 * host keeps drawing on demand only.
 */
export const postFxRender = defineRenderPlugin<PostFxProps>({
  create(ctx) {
    let props: PostFxProps | undefined;
    let chain: PostChain | undefined;

    const setUniforms = (effect: Effect): void => {
      const p = props;
      if (!p) return;
      effect.setFloat('bloomIntensity', p.bloomIntensity);
      effect.setFloat('exposureScale', exposureScale(p.exposure));
      effect.setFloat('contrast', p.contrast);
      effect.setFloat('saturation', p.saturation);
      const [r, g, b] = hexToRgb(p.tint);
      effect.setFloat3('tint', r, g, b);
      const { width, height } = ctx.viewport.screen;
      const f = screenFrame(ctx);
      effect.setFloat2('screen', width, height);
      effect.setFloat2('frameCentre', f.centre[0]!, f.centre[1]!);
      effect.setFloat2('frameU', f.u[0]!, f.u[1]!);
      effect.setFloat2('frameV', f.v[0]!, f.v[1]!);
      effect.setFloat('vignetteStrength', p.vignetteStrength);
      effect.setFloat('vignetteSize', p.vignetteSize);
    };

    const sync = (c: RenderContext): void => {
      const shape = props && chainShape(props, c.tier);
      if (!shape) {
        chain?.dispose();
        chain = undefined;
      } else if (chain?.key !== shapeKey(shape)) {
        chain?.dispose();
        chain = buildChain(c.camera, c.engine, shape, () => props?.bloomThreshold ?? 1, setUniforms);
      }
      if (chain && props) {
        // The radius is in CSS px on screen; Babylon's kernel is a diameter, in the glow's smaller buffer.
        const scale = shape?.bloomScale ?? 0.25;
        chain.setBlurKernel(Math.max(2, Math.round(2 * props.bloomRadius * c.viewport.pixelRatio * scale)));
      }
      c.requestRender();
    };

    return {
      update(_prev, next, c) {
        props = next;
        sync(c);
      },
      tierChanged: sync,
      dispose() {
        chain?.dispose();
        chain = undefined;
      },
    };
  },
});
