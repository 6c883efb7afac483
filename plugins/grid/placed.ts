import type { PlacedFile, ToolContext } from '../../engine/plugin';
import { gridFromFileName } from './snap';

/** The schema's cell-size bounds (kept in step with `grid.schema.ts`). */
const MIN_CELL = 8;
const MAX_CELL = 512;

/** The natural size of an image URL, or undefined when it is not an image the browser decodes. */
async function imageSize(url: string): Promise<{ width: number; height: number } | undefined> {
  if (typeof Image !== 'function') return undefined;
  const img = new Image();
  img.src = url;
  try {
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight };
  } catch {
    return undefined;
  }
}

/**
 * A map whose file name says `<cols>x<rows>` gets a grid of that many cells
 * over it: cell size = image width / cols, lines starting at the map's
 * top-left corner (the scene origin). A name without it changes nothing.
 */
export async function gridFromPlacedMap(ctx: ToolContext, file: PlacedFile): Promise<void> {
  const wanted = gridFromFileName(file.name);
  if (!wanted || !file.type.startsWith('image/')) return;
  const size = await imageSize(file.url);
  if (!size) return;
  const cell = Math.min(MAX_CELL, Math.max(MIN_CELL, Math.round((size.width / wanted.cols) * 100) / 100));
  const key = ctx.plugin.key;
  ctx.queuePropertyUpdate([key, 'size'], cell);
  ctx.queuePropertyUpdate([key, 'offset'], { x: 0, y: 0 });
  ctx.queuePropertyUpdate([key, 'type'], 'square');
  ctx.queuePropertyUpdate([key, 'visible'], true);
}
