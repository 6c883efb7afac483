import type { Point } from '../../engine/schema';
import type { GridProps } from '../../engine/generated/stageProps';

/** Hex geometry shared by the grid shader and snapping: pointy-top cells, `size` = width across the flats. */
export function hexLattice(size: number): { width: number; rowHeight: number; radius: number } {
  const radius = size / Math.sqrt(3);
  return { width: size, rowHeight: 1.5 * radius, radius };
}

/**
 * The centre of the grid cell containing `p` — what a dragged marker snaps
 * to. Square cells start at the scene origin; hex rows start with a cell
 * centred at (size / 2, radius).
 */
export function snapToGrid(p: Point, grid: Pick<GridProps, 'type' | 'size'>): Point {
  const s = grid.size;
  if (grid.type === 'square')
    return { x: (Math.floor(p.x / s) + 0.5) * s, y: (Math.floor(p.y / s) + 0.5) * s };
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
