/**
 * The built-in plugins' render modules, in the order the host creates them.
 * Drawing order comes from each module's `layer` (map 0, grid 1, markers 2,
 * fog 3); a plugin without a render module (notes) simply is not listed.
 */
import type { RenderPlugin } from '../engine/render';
import { sceneRender } from './scene/render';
import { displayRender } from './display/render';
import { mapRender } from './map/render';
import { gridRender } from './grid/render';
import { markerRender } from './marker/render';
import { fogOfWarRender } from './fogOfWar/render';

export const builtinRenderPlugins: readonly RenderPlugin[] = [
  sceneRender,
  displayRender,
  mapRender,
  gridRender,
  markerRender,
  fogOfWarRender,
];

export {
  FogMask,
  FOG_CELL,
  FOG_TILE,
  FOG_PREFIX,
  FOG_FILL_KEY,
  encodeTile,
  decodeTile,
  tileKey,
} from './fogOfWar/mask';
export type { FogChanges, FogValue } from './fogOfWar/mask';
export {
  brush,
  rectangle,
  ellipse,
  fillAll,
  type FogMode,
  type BrushStroke,
  type FogRect,
} from './fogOfWar/tools';
export { writeFogChanges, fogEntries } from './fogOfWar/sync';
export { beginMarkerDrag, type MarkerDrag, type SnapFn } from './marker/drag';
export { markerAt, hitsMarker, isGmOnly, markerAlpha } from './marker/rules';
export { snapToGrid } from './grid/snap';
