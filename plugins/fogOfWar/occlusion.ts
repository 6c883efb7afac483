/**
 * Fog as the room sees it for players: a member entirely under fog is not
 * sent (issue 16). Reads the mask straight from the scene's fog blobs — a
 * tile is decoded once per distinct blob (cached by the blob object the
 * room holds), so a stroke costs the tiles it changed and a moved member the
 * cells under it, never the whole mask.
 */
import type { Occlusion, OcclusionScene } from '../../engine/plugin';
import { FOG_CELL, FOG_FILL_KEY, FOG_TILE, decodeTile, parseTileKey, tileKey } from './mask';

const decoded = new WeakMap<Uint8Array, Uint8Array>();

function cellsOf(bytes: Uint8Array): Uint8Array | undefined {
  let cells = decoded.get(bytes);
  if (!cells) {
    try {
      cells = decodeTile(bytes);
    } catch {
      // The registry's channel check refuses malformed tiles; a bad one here reads as fogged (the fill).
      return undefined;
    }
    decoded.set(bytes, cells);
  }
  return cells;
}

/** True when players see the fog as opaque: translucent fog (the GM's choice) hides nothing. */
function opaque(scene: OcclusionScene): boolean {
  const { enabled, playerOpacity } = scene.values;
  return enabled === true && (playerOpacity === undefined || playerOpacity === 1);
}

function fill(scene: OcclusionScene): 0 | 1 {
  const bytes = scene.blob(FOG_FILL_KEY);
  return bytes && bytes.length > 0 && bytes[0] === 0 ? 0 : 1;
}

const TILE_UNITS = FOG_CELL * FOG_TILE;

/** The fog plugin's occlusion; see the module comment. */
export const fogOcclusion: Occlusion = {
  hides(scene, area) {
    if (!opaque(scene)) return false;
    const base = fill(scene);
    const cx0 = Math.floor(area.x0 / FOG_CELL);
    const cy0 = Math.floor(area.y0 / FOG_CELL);
    // A cell counts when the area reaches into it; an area ending exactly on a cell edge stops before it.
    const cx1 = Math.ceil(area.x1 / FOG_CELL) - 1;
    const cy1 = Math.ceil(area.y1 / FOG_CELL) - 1;
    for (let ty = Math.floor(cy0 / FOG_TILE); ty <= Math.floor(cy1 / FOG_TILE); ty++)
      for (let tx = Math.floor(cx0 / FOG_TILE); tx <= Math.floor(cx1 / FOG_TILE); tx++) {
        const bytes = scene.blob(tileKey(tx, ty));
        const cells = bytes && cellsOf(bytes);
        if (!cells) {
          if (base === 0) return false;
          continue;
        }
        const x0 = Math.max(cx0, tx * FOG_TILE) - tx * FOG_TILE;
        const x1 = Math.min(cx1, tx * FOG_TILE + FOG_TILE - 1) - tx * FOG_TILE;
        const y0 = Math.max(cy0, ty * FOG_TILE) - ty * FOG_TILE;
        const y1 = Math.min(cy1, ty * FOG_TILE + FOG_TILE - 1) - ty * FOG_TILE;
        for (let y = y0; y <= y1; y++)
          for (let x = x0; x <= x1; x++) if (!cells[y * FOG_TILE + x]) return false;
      }
    return true;
  },
  changed(_scene, change) {
    if (change.kind === 'group') return 'all';
    const t = parseTileKey(change.key);
    if (!t) return 'all';
    return [
      {
        x0: t.tx * TILE_UNITS,
        y0: t.ty * TILE_UNITS,
        x1: (t.tx + 1) * TILE_UNITS,
        y1: (t.ty + 1) * TILE_UNITS,
      },
    ];
  },
};
