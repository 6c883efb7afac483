/**
 * The Babylon render host: one engine, scene and orthographic camera per
 * canvas, rendering on demand, running one render system per plugin.
 */
export {
  createStageRenderer,
  documentVisibility,
  type StageRenderer,
  type StageRendererOptions,
  type RenderStats,
  type VisibilitySource,
} from './host';
export {
  defineRenderPlugin,
  type RenderPlugin,
  type RenderSource,
  type RenderSystem,
  type RenderContext,
  type RenderView,
  type ViewportControl,
  type PickHit,
  type SceneRect,
  type PerformanceTier,
} from './types';
export {
  DEFAULT_TIER_POLICY,
  TIERS,
  isPerformanceTier,
  initialTierState,
  nextTierState,
  riseDueAt,
  type TierObservation,
  type TierPolicy,
  type TierState,
} from './autoTier';
export {
  IDENTITY_VIEWPORT,
  composeTransforms,
  fitRect,
  frameCorners,
  frameView,
  panBy,
  rotateAbout,
  sceneToScreen,
  screenToScene,
  visibleSceneRect,
  zoomAt,
  type ScreenSize,
  type ViewFrame,
  type ViewportTransform,
} from './viewport';
export { hexToRgb } from './color';
export { isSoftwareGl } from './softwareGl';
export { SCENE_PLANE_VERTEX } from './shaders';
export { TriangleBuilder, createTriangleLayer, type TriangleLayer } from './triangles';
