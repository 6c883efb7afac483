import { MAX_LIGHTS, ROWS } from './pack';

// Shared by both passes: how light i is read from the data texture.
const FETCH = `
uniform sampler2D lights;
uniform float count;
vec4 lightTexel(int i, int row) {
  return texture2D(lights, vec2((float(i) + 0.5) / ${MAX_LIGHTS}.0, (float(row) + 0.5) / ${ROWS}.0));
}
float ramp(float a, float b, float d) {
  float s = clamp((d - a) / max(b - a, 1e-3), 0.0, 1.0);
  return s * s * (3.0 - 2.0 * s);
}`;

/**
 * The light map, one pass over every light: the sum of the lights' colours
 * (full inside the bright radius, half out to the dim radius, soft at both
 * edges) plus the ambient daylight, multiplied into what is already drawn
 * (ALPHA_MULTIPLY blending). `see` is how much of the darkness the view
 * shows: 1 for players, the GM opacity for the GM.
 */
export const LIGHT_MAP_FRAGMENT = `
precision highp float;
varying vec2 vScene;
uniform float ambient;
uniform float see;
${FETCH}
void main() {
  vec3 lit = vec3(0.0);
  for (int i = 0; i < ${MAX_LIGHTS}; i++) {
    if (float(i) >= count) break;
    vec4 geo = lightTexel(i, 0);
    float d = distance(vScene, geo.xy);
    float level = mix(1.0, 0.5, ramp(geo.z * 0.8, geo.z, d)) * (1.0 - ramp(mix(geo.z, geo.w, 0.8), geo.w, d));
    lit += lightTexel(i, 1).rgb * level;
  }
  vec3 f = clamp(vec3(ambient) + lit, 0.0, 1.0);
  gl_FragColor = vec4(mix(vec3(1.0), f, see), 1.0);
}`;

/**
 * GM handles, also one pass: a dot in the light's colour with a dark rim at
 * every light, and a faint circle at its dim radius; hidden lights fainter.
 * `px` is scene units per CSS pixel, so handles keep their screen size.
 */
export const HANDLES_FRAGMENT = `
precision highp float;
varying vec2 vScene;
uniform float px;
${FETCH}
void main() {
  vec4 outColor = vec4(0.0);
  for (int i = 0; i < ${MAX_LIGHTS}; i++) {
    if (float(i) >= count) break;
    vec4 geo = lightTexel(i, 0);
    vec3 c = lightTexel(i, 1).rgb;
    float shown = lightTexel(i, 2).r;
    float d = distance(vScene, geo.xy);
    float r = 7.0 * px;
    float dot = 1.0 - ramp(r - px, r, d);
    float ring = (1.0 - ramp(0.0, 1.5 * px, abs(d - geo.w))) * 0.35;
    vec3 col = d > r - 2.5 * px ? vec3(0.1) : c / max(max(c.r, max(c.g, c.b)), 1e-3);
    float a = max(dot, ring) * shown;
    if (a > outColor.a) outColor = vec4(d < r ? col : vec3(1.0), a);
  }
  if (outColor.a <= 0.0) discard;
  gl_FragColor = outColor;
}`;
