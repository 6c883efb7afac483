import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import { Texture } from '@babylonjs/core/Materials/Textures/texture';
import { VideoTexture } from '@babylonjs/core/Materials/Textures/videoTexture';
// Tree-shaken imports leave out the engine extensions a video texture needs.
import '@babylonjs/core/Engines/Extensions/engine.dynamicTexture';
import '@babylonjs/core/Engines/Extensions/engine.videoTexture';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { defineRenderPlugin, type RenderContext, type SceneRect } from '../../engine/render';
import type { MapProps } from '../../engine/generated/stageProps';
import { isGifUrl, playAnimatedImage } from './gif';

const VERTEX = `
precision highp float;
attribute vec3 position;
attribute vec2 uv;
uniform mat4 worldViewProjection;
varying vec2 vUV;
void main() {
  vUV = uv;
  gl_Position = worldViewProjection * vec4(position, 1.0);
}`;

const FRAGMENT = `
precision highp float;
varying vec2 vUV;
uniform sampler2D map;
uniform float opacity;
void main() {
  vec4 c = texture2D(map, vUV);
  gl_FragColor = vec4(c.rgb, c.a * opacity);
}`;

const VIDEO = /\.(mp4|webm|ogv|mov)(\?|#|$)|^data:video\//i;

/** True for map URLs that play as video rather than load as an image (GIFs animate through `./gif`). */
export function isVideoUrl(url: string): boolean {
  return VIDEO.test(url);
}

/**
 * The map plugin: one textured plane, image pixels = scene units, with its
 * top-left corner at the scene origin, drawn with `opacity`. Images load as
 * textures, videos as looping muted video textures that keep the host
 * rendering while they play, animated GIFs frame by frame.
 *
 * The map's `offset`, `zoom` and `rotation` (degrees clockwise, about the
 * map's top-left corner) are the content transform: they place the whole
 * scene — map, grid, fog, markers — in the world, which the GM's view and the
 * display frame look at. So a GM who moves, scales or turns the map moves
 * everything painted or placed on it along, and nothing slides out from
 * under the fog: fog tiles and marker positions are map coordinates.
 */
export const mapRender = defineRenderPlugin<MapProps>({
  create(ctx) {
    const mesh: Mesh = CreatePlane('map', { size: 1 }, ctx.scene);
    mesh.renderingGroupId = ctx.layer;
    mesh.isPickable = false;
    mesh.setEnabled(false);
    const material = new ShaderMaterial(
      'map',
      ctx.scene,
      { vertexSource: VERTEX, fragmentSource: FRAGMENT },
      {
        attributes: ['position', 'uv'],
        uniforms: ['worldViewProjection', 'opacity'],
        samplers: ['map'],
        needAlphaBlending: true,
      },
    );
    material.backFaceCulling = false;
    mesh.material = material;

    let props: MapProps | undefined;
    let texture: Texture | undefined;
    let textureUrl = '';
    let size: { width: number; height: number } | undefined;

    const layout = (): void => {
      if (!props || !size || !texture) {
        mesh.setEnabled(false);
        return;
      }
      const centre = ctx.toWorld({ x: size.width / 2, y: size.height / 2 });
      mesh.scaling.set(size.width, size.height, 1);
      mesh.position.set(centre.x, centre.y, 0);
      material.setFloat('opacity', props.opacity);
      mesh.setEnabled(props.opacity > 0);
    };

    let stopAnimation: (() => void) | undefined;
    let disposed = false;

    const load = (url: string, c: RenderContext): void => {
      stopAnimation?.();
      stopAnimation = undefined;
      texture?.dispose();
      c.setAnimating(false);
      texture = undefined;
      size = undefined;
      textureUrl = url;
      c.setLoading(url !== '');
      if (!url) return;
      const ready = (t: Texture, width: number, height: number): void => {
        // Stale loads (another URL since, or a still replaced by its animation) change nothing.
        if (textureUrl !== url || (texture !== undefined && texture !== t)) return;
        c.setLoading(false);
        texture = t;
        size = { width, height };
        layout();
        c.requestRender();
      };
      const failed = (message?: string): void => {
        if (textureUrl === url) c.setLoading(false);
        console.warn(`map: cannot load ${url.slice(0, 80)}: ${message ?? 'unknown error'}`);
      };
      if (isVideoUrl(url)) {
        const video = new VideoTexture(
          'map-video',
          url,
          c.scene,
          false,
          true,
          Texture.BILINEAR_SAMPLINGMODE,
          {
            autoPlay: true,
            muted: true,
            loop: true,
            autoUpdateTexture: true,
          },
        );
        texture = video;
        const el = video.video;
        const onMeta = (): void => ready(video, el.videoWidth, el.videoHeight);
        if (el.readyState >= 1) onMeta();
        else el.addEventListener('loadedmetadata', onMeta, { once: true });
        el.addEventListener('playing', () => c.setAnimating(texture === video));
        el.addEventListener('pause', () => c.setAnimating(false));
      } else {
        const image: Texture = new Texture(
          url,
          c.scene,
          false,
          true,
          Texture.TRILINEAR_SAMPLINGMODE,
          () => {
            const s = image.getBaseSize();
            ready(image, s.width, s.height);
          },
          (message) => failed(message),
        );
        texture = image;
        // A GIF shows as a still at once, then animates if it has frames and the browser can decode them.
        if (isGifUrl(url))
          playAnimatedImage(url, c.scene, () => c.requestRender())
            .then((anim) => {
              if (!anim) return;
              if (disposed || textureUrl !== url) {
                anim.stop();
                anim.texture.dispose();
                return;
              }
              texture?.dispose();
              stopAnimation = () => anim.stop();
              const t = anim.texture;
              t.wrapU = Texture.CLAMP_ADDRESSMODE;
              t.wrapV = Texture.CLAMP_ADDRESSMODE;
              texture = t;
              material.setTexture('map', t);
              ready(t, anim.width, anim.height);
            })
            .catch((e: Error) => failed(e.message));
      }
      texture.wrapU = Texture.CLAMP_ADDRESSMODE;
      texture.wrapV = Texture.CLAMP_ADDRESSMODE;
      material.setTexture('map', texture);
    };

    return {
      update(prev, next, c) {
        props = next;
        if (next.url !== textureUrl) load(next.url, c);
        if (
          !prev ||
          prev.offset !== next.offset ||
          prev.zoom !== next.zoom ||
          prev.rotation !== next.rotation
        )
          c.viewport.setContent({ offset: next.offset, zoom: next.zoom, rotation: next.rotation });
        layout();
      },
      bounds(): SceneRect | undefined {
        if (!props || !size) return undefined;
        return { x: 0, y: 0, width: size.width, height: size.height };
      },
      dispose() {
        disposed = true;
        ctx.setLoading(false);
        stopAnimation?.();
        ctx.setAnimating(false);
        texture?.dispose();
        material.dispose();
        mesh.dispose();
      },
    };
  },
});
