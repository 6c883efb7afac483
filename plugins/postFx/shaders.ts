/**
 * Fragment shaders of the post-processing chain, registered in Babylon's
 * shader store under `<name>FragmentShader` (how a PostProcess finds its
 * source). They compute what `curves.ts` computes, in the same order.
 */
import { ShaderStore } from '@babylonjs/core/Engines/shaderStore';

export const BRIGHT_SHADER = 'tablestagePostFxBright';
export const GRADE_SHADER = 'tablestagePostFxGrade';

const LUMA = 'vec3(0.2126, 0.7152, 0.0722)';

// What glows: `bloomSource` of curves.ts.
const BRIGHT = `
precision highp float;
varying vec2 vUV;
uniform sampler2D textureSampler;
uniform float threshold;
void main() {
  vec3 c = texture2D(textureSampler, vUV).rgb;
  float w = clamp((dot(c, ${LUMA}) - threshold) / max(1e-4, 1.0 - threshold), 0.0, 1.0);
  gl_FragColor = vec4(c * w, 1.0);
}`;

// The final pass: bloom added to the scene, then `gradeColor` and `vignetteFactor` of curves.ts. Each
// effect is compiled in by its define only, so an effect that is off costs nothing and changes no bit.
// With BLOOM the pass's own input is the blurred glow and the scene comes from `sceneSampler`.
const GRADE = `
precision highp float;
varying vec2 vUV;
uniform sampler2D textureSampler;
#ifdef BLOOM
uniform sampler2D sceneSampler;
uniform float bloomIntensity;
#endif
#ifdef GRADING
uniform float exposureScale;
uniform float contrast;
uniform float saturation;
uniform vec3 tint;
#endif
#ifdef VIGNETTE
uniform vec2 screen;
uniform vec2 frameCentre;
uniform vec2 frameU;
uniform vec2 frameV;
uniform float vignetteStrength;
uniform float vignetteSize;
#endif
void main() {
#ifdef BLOOM
  vec3 c = texture2D(sceneSampler, vUV).rgb + texture2D(textureSampler, vUV).rgb * bloomIntensity;
#else
  vec3 c = texture2D(textureSampler, vUV).rgb;
#endif
#ifdef GRADING
  c *= exposureScale;
#endif
#ifdef TONEMAP_REINHARD
  c = c / (1.0 + c);
#endif
#ifdef TONEMAP_ACES
  c = clamp((c * (2.51 * c + 0.03)) / (c * (2.43 * c + 0.59) + 0.14), 0.0, 1.0);
#endif
#ifdef GRADING
  c = (c - 0.5) * contrast + 0.5;
  float l = dot(c, ${LUMA});
  c = (l + (c - l) * saturation) * tint;
#endif
  c = clamp(c, 0.0, 1.0);
#ifdef VIGNETTE
  // Where this pixel lies in the players' frame on screen: -1..1 across each of its axes.
  vec2 d = vec2(vUV.x, 1.0 - vUV.y) * screen - frameCentre;
  vec2 local = vec2(dot(d, frameU) / dot(frameU, frameU), dot(d, frameV) / dot(frameV, frameV));
  // Only inside the frame: beyond it the players see nothing, and the GM's view stays as it is.
  float inside = step(max(abs(local.x), abs(local.y)), 1.0);
  c *= 1.0 - inside * vignetteStrength * smoothstep(0.0, 1.0, (length(local) - vignetteSize) / 0.8);
#endif
  gl_FragColor = vec4(c, 1.0);
}`;

ShaderStore.ShadersStore[`${BRIGHT_SHADER}FragmentShader`] = BRIGHT;
ShaderStore.ShadersStore[`${GRADE_SHADER}FragmentShader`] = GRADE;
