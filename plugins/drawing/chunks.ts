import {
  TriangleBuilder,
  createTriangleLayer,
  type RenderContext,
  type TriangleLayer,
} from '../../engine/render';

/** Strokes per chunk: a new stroke re-uploads at most this many strokes' triangles, not the whole layer. */
export const STROKES_PER_CHUNK = 64;

interface Chunk {
  readonly layer: TriangleLayer;
  /** Stroke ids in drawing order. */
  readonly ids: string[];
  dirty: boolean;
}

/**
 * The strokes' triangles split into chunks of {@link STROKES_PER_CHUNK}
 * strokes, one mesh each, blended in order. A new stroke joins the last
 * chunk (or opens one), so adding the 1,001st stroke rebuilds one small mesh;
 * changing or removing a stroke rebuilds its own chunk only. Draw calls stay
 * few (strokes / chunk size).
 */
export class StrokeChunks {
  readonly #chunks: Chunk[] = [];
  readonly #chunkOf = new Map<string, Chunk>();
  readonly #geometry = new Map<string, TriangleBuilder>();

  constructor(private readonly ctx: RenderContext) {}

  /** Sets (adds or replaces) a stroke's triangles. */
  set(id: string, triangles: TriangleBuilder): void {
    this.#geometry.set(id, triangles);
    let chunk = this.#chunkOf.get(id);
    if (!chunk) {
      chunk = this.#chunks[this.#chunks.length - 1];
      if (!chunk || chunk.ids.length >= STROKES_PER_CHUNK) {
        const order = this.#chunks.length;
        chunk = { layer: createTriangleLayer(this.ctx, 'strokes', order), ids: [], dirty: false };
        this.#chunks.push(chunk);
      }
      chunk.ids.push(id);
      this.#chunkOf.set(id, chunk);
    }
    chunk.dirty = true;
  }

  delete(id: string): void {
    const chunk = this.#chunkOf.get(id);
    if (!chunk) return;
    chunk.ids.splice(chunk.ids.indexOf(id), 1);
    this.#chunkOf.delete(id);
    this.#geometry.delete(id);
    chunk.dirty = true;
  }

  has(id: string): boolean {
    return this.#chunkOf.has(id);
  }

  ids(): IterableIterator<string> {
    return this.#chunkOf.keys();
  }

  /** Re-uploads the chunks that changed since the last flush. */
  flush(): void {
    for (const chunk of this.#chunks) {
      if (!chunk.dirty) continue;
      chunk.dirty = false;
      let count = 0;
      for (const id of chunk.ids) count += this.#geometry.get(id)!.count;
      const all = new TriangleBuilder(count);
      for (const id of chunk.ids) all.append(this.#geometry.get(id)!);
      chunk.layer.set(all);
    }
  }

  dispose(): void {
    for (const chunk of this.#chunks) chunk.layer.dispose();
    this.#chunks.length = 0;
    this.#chunkOf.clear();
    this.#geometry.clear();
  }
}
