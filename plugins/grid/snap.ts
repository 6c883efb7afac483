import type { Point } from '../../engine/schema';
import type { GridProps } from '../../engine/generated/stageProps';

/** Hex geometry shared by the grid shader and snapping: pointy-top cells, `size` = width across the flats. */
export function hexLattice(size: number): { width: number; rowHeight: number; radius: number } {
  const radius = size / Math.sqrt(3);
  return { width: size, rowHeight: 1.5 * radius, radius };
}

/** The grid as snapping reads it; `offset` and `hexOrientation` are optional for callers that ignore them. */
export type GridLayout = Pick<GridProps, 'type' | 'size'> &
  Partial<Pick<GridProps, 'offset' | 'hexOrientation'>>;

/**
 * Where a thing `cells` cells wide centred near `p` sits on the grid — what a
 * placed or dragged marker snaps to. On a square grid an odd-sized thing
 * (1×1, 3×3, or any size under two cells) takes the centre of the cell
 * containing `p`, an even-sized one (2×2) the nearest cell corner, so it
 * covers whole cells. On a hex grid everything takes the nearest hex centre.
 * Square cells start at the grid offset; pointy hex rows start with a cell
 * centred at offset + (size / 2, radius). Flat-top hexes are pointy-top ones
 * with x and y swapped, which is how the shader draws them too.
 */
export function snapToGrid(p: Point, grid: GridLayout, cells = 1): Point {
  const o = grid.offset ?? { x: 0, y: 0 };
  if (grid.type === 'square' && Math.round(cells) % 2 === 0 && cells >= 1.5) {
    const s = grid.size;
    return { x: Math.round((p.x - o.x) / s) * s + o.x, y: Math.round((p.y - o.y) / s) * s + o.y };
  }
  const flat = grid.type === 'hex' && grid.hexOrientation === 'flat';
  const local = { x: p.x - o.x, y: p.y - o.y };
  const q = flat ? { x: local.y, y: local.x } : local;
  const s = snapLocal(q, grid.type, grid.size);
  const back = flat ? { x: s.y, y: s.x } : s;
  return { x: back.x + o.x, y: back.y + o.y };
}

function snapLocal(p: Point, type: GridProps['type'], s: number): Point {
  if (type === 'square') return { x: (Math.floor(p.x / s) + 0.5) * s, y: (Math.floor(p.y / s) + 0.5) * s };
  const { width, rowHeight, radius } = hexLattice(s);
  // Nearest centre among the two row lattices (the same trick the shader uses).
  const best = { d: Infinity, x: 0, y: 0 };
  const row = Math.floor((p.y - radius) / rowHeight);
  for (let r = row - 1; r <= row + 2; r++) {
    const cy = radius + r * rowHeight;
    const shift = (((r % 2) + 2) % 2) * (width / 2);
    const col = Math.round((p.x - width / 2 - shift) / width);
    for (let c = col - 1; c <= col + 1; c++) {
      const cx = width / 2 + shift + c * width;
      const d = (p.x - cx) ** 2 + (p.y - cy) ** 2;
      if (d < best.d) Object.assign(best, { d, x: cx, y: cy });
    }
  }
  return { x: best.x, y: best.y };
}

/**
 * The grid a map's file name asks for: `crypt_30x22.png` → 30 columns by 22
 * rows (the last `<cols>x<rows>` in the name), or undefined.
 */
export function gridFromFileName(name: string): { cols: number; rows: number } | undefined {
  const matches = [...name.replace(/\.[a-z0-9]+$/i, '').matchAll(/(\d{1,4})\s*[x×]\s*(\d{1,4})/gi)];
  const m = matches.at(-1);
  if (!m) return undefined;
  const cols = Number(m[1]);
  const rows = Number(m[2]);
  return cols > 0 && rows > 0 ? { cols, rows } : undefined;
}
