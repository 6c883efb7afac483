/** GLSL of the marker batches: one quad per marker (thin instance), the shape cut out by a signed distance. */

export const MARKER_SHAPES = ['circle', 'square', 'triangle', 'pin'] as const;

/** The quad's half extent in shape units: room around the unit shape for the selection ring. */
export const QUAD_HALF = 1.3;

export const MARKER_VERTEX = `
precision highp float;
attribute vec3 position;
attribute vec4 markerColor;
attribute vec4 markerData;
#ifdef INSTANCES
attribute vec4 world0;
attribute vec4 world1;
attribute vec4 world2;
attribute vec4 world3;
#endif
uniform mat4 world;
uniform mat4 viewProjection;
varying vec2 vLocal;
varying vec4 vColor;
varying vec4 vData;
void main() {
#ifdef INSTANCES
  mat4 finalWorld = world * mat4(world0, world1, world2, world3);
#else
  mat4 finalWorld = world;
#endif
  vLocal = position.xy;
  vColor = markerColor;
  vData = markerData;
  gl_Position = viewProjection * finalWorld * vec4(position, 1.0);
}`;

export const MARKER_FRAGMENT = `
precision highp float;
varying vec2 vLocal;
varying vec4 vColor;
varying vec4 vData; // shape index, size (scene units), selected, alpha
uniform float unitsPerPixel;
uniform vec3 selectionColor;
#ifdef IMAGE
uniform sampler2D image;
#endif

float sdBox(vec2 p, vec2 b) {
  vec2 d = abs(p) - b;
  return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
}
// Equilateral triangle pointing up, half side r (Inigo Quilez).
float sdTriangle(vec2 p, float r) {
  const float k = 1.7320508;
  p.x = abs(p.x) - r;
  p.y = p.y + r / k;
  if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
  p.x -= clamp(p.x, -2.0 * r, 0.0);
  return -length(p) * sign(p.y);
}
float shapeDistance(vec2 p, float shape) {
  if (shape < 0.5) return length(p) - 1.0;
  if (shape < 1.5) return sdBox(p, vec2(0.82)) - 0.06;
  if (shape < 2.5) return sdTriangle(p + vec2(0.0, 0.25), 1.15);
  float head = length(p - vec2(0.0, 0.32)) - 0.62;
  float tip = sdTriangle(vec2(p.x, -p.y + 0.02), 0.54);
  return min(head, tip);
}
void main() {
  float px = unitsPerPixel * 2.0 / max(vData.y, 0.001);
  float d = shapeDistance(vLocal, vData.x);
  float fillA = 1.0 - smoothstep(-0.5 * px, 0.5 * px, d);
#ifdef IMAGE
  vec4 body = texture2D(image, vLocal * 0.5 + 0.5);
  body.rgb = mix(body.rgb, vColor.rgb, 1.0 - body.a);
#else
  vec4 body = vColor;
#endif
  float edge = smoothstep(-2.5 * px, -1.5 * px, d);
  vec3 bodyRgb = mix(body.rgb, body.rgb * 0.45, edge);
  float ring = vData.z * (smoothstep(1.0 * px, 2.0 * px, d) - smoothstep(4.0 * px, 5.0 * px, d));
  float a = max(fillA, ring);
  if (a * vData.w < 0.004) discard;
  vec3 rgb = mix(selectionColor, bodyRgb, fillA / max(a, 0.0001));
  gl_FragColor = vec4(rgb, a * vData.w);
}`;
