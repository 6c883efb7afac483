/**
 * Vertex shader for a plugin's plane that draws in scene coordinates (grid,
 * fog, display outline): passes `vScene`, the fragment's scene position with
 * y down like the rest of the scene, to the plugin's fragment shader. Use with
 * the `world` and `viewProjection` uniforms.
 */
export const SCENE_PLANE_VERTEX = `
precision highp float;
attribute vec3 position;
uniform mat4 world;
uniform mat4 viewProjection;
varying vec2 vScene;
void main() {
  vec4 w = world * vec4(position, 1.0);
  vScene = vec2(w.x, -w.y);
  gl_Position = viewProjection * w;
}`;
