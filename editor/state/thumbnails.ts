/**
 * When the GM editor makes a scene's thumbnail: after this editor changed the
 * scene and then left it alone for a few seconds, or when a scene on screen
 * has none yet (a scene from before thumbnails, an import, a copy). Only this
 * editor's own edits count — every GM's editor thumbnails its own edits, so
 * a change is pictured once, not once per open editor — and nothing is made
 * while nothing changes. A scene left before its picture was taken is
 * pictured as the GM leaves it.
 */
import type * as Y from 'yjs';
import type { Registry } from '../../engine/schema';
import { changesOf } from '../../engine/sync';

/** Quiet time after the last edit before the picture is taken. */
export const THUMBNAIL_IDLE_MS = 3000;
/** Failed uploads (a scene not saved yet, the server away) are retried this often before waiting for the next edit. */
const MAX_ATTEMPTS = 3;

export interface ThumbnailMakerOptions {
  readonly doc: Y.Doc;
  readonly registry: Registry;
  /** The scene on screen. */
  shownScene(): string;
  /** Whether the scene has a thumbnail already. */
  hasThumbnail(sceneId: string): boolean;
  /**
   * The picture of `sceneId` as drawn now, or undefined when it cannot be
   * (another scene on screen, nothing to draw). `immediate`: take it in this
   * task, without waiting for loading content (the GM is leaving the scene).
   */
  capture(sceneId: string, immediate: boolean): Promise<Blob | undefined>;
  upload(sceneId: string, picture: Blob): Promise<void>;
  /** Reports a failed upload (the status line); the maker retries on its own. */
  failed?(sceneId: string, error: unknown): void;
  readonly idleMs?: number;
}

export class ThumbnailMaker {
  /** Scene → count of this editor's edits to it; a picture is current once it saw the latest count. */
  readonly #edits = new Map<string, number>();
  /** Scene → the edit count its last thumbnail shows. */
  readonly #pictured = new Map<string, number>();
  /** Scenes without a thumbnail that were tried and had nothing to draw: not retried until edited. */
  readonly #nothingToDraw = new Set<string>();
  readonly #attempts = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #busy: Promise<void> | undefined;
  #destroyed = false;
  readonly #onTransaction = (tr: Y.Transaction) => this.#noteEdits(tr);

  constructor(private readonly options: ThumbnailMakerOptions) {
    options.doc.on('afterTransaction', this.#onTransaction);
  }

  /** Pictures made so far (tests, the debug console). */
  made = 0;

  /** True while a scene waits for its picture (or one is being taken). */
  get pending(): boolean {
    return this.#timer !== undefined || this.#busy !== undefined;
  }

  /** The scene on screen changed (or the page went live): make its picture if it needs one. */
  sceneShown(): void {
    if (this.#needsPicture(this.options.shownScene())) this.#schedule();
  }

  /** The GM is about to show another scene: picture this one now if its edits are not pictured yet. */
  leaving(sceneId: string): void {
    if (!this.#isStale(sceneId)) return;
    void this.#make(sceneId, true);
  }

  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.options.doc.off('afterTransaction', this.#onTransaction);
  }

  #noteEdits(tr: Y.Transaction): void {
    // Changes from the room (other GMs, repairs, loads) arrive as remote updates: theirs to picture.
    if (!tr.local) return;
    let edited = false;
    for (const change of changesOf(tr, this.options.registry)) {
      if (change.kind === 'order' || change.kind === 'sessionMeta' || change.kind === 'meta') continue;
      if (change.kind === 'invalid' && change.sceneId === undefined) continue;
      const sceneId = change.sceneId!;
      if (change.kind === 'scene' && change.deleted) {
        this.#edits.delete(sceneId);
        continue;
      }
      this.#edits.set(sceneId, (this.#edits.get(sceneId) ?? 0) + 1);
      this.#nothingToDraw.delete(sceneId);
      this.#attempts.delete(sceneId);
      edited = true;
    }
    if (edited) this.#schedule();
  }

  #isStale(sceneId: string): boolean {
    const edits = this.#edits.get(sceneId);
    return edits !== undefined && this.#pictured.get(sceneId) !== edits;
  }

  #needsPicture(sceneId: string): boolean {
    if (!sceneId || (this.#attempts.get(sceneId) ?? 0) >= MAX_ATTEMPTS) return false;
    if (this.#isStale(sceneId)) return true;
    // A picture this editor sent counts before the room's copy of its URL comes back.
    if (this.#pictured.has(sceneId) || this.#nothingToDraw.has(sceneId)) return false;
    return !this.options.hasThumbnail(sceneId);
  }

  #schedule(): void {
    if (this.#destroyed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const sceneId = this.options.shownScene();
      if (this.#needsPicture(sceneId)) void this.#make(sceneId, false);
    }, this.options.idleMs ?? THUMBNAIL_IDLE_MS);
  }

  async #make(sceneId: string, immediate: boolean): Promise<void> {
    // One picture at a time; an edit meanwhile schedules the next one.
    if (this.#busy) {
      if (!immediate) return void this.#busy.then(() => this.#schedule());
    }
    const edits = this.#edits.get(sceneId) ?? 0;
    const run = (async () => {
      const picture = await this.options.capture(sceneId, immediate);
      if (this.#destroyed) return;
      if (!picture) {
        if (!immediate && this.options.shownScene() === sceneId) this.#nothingToDraw.add(sceneId);
        return;
      }
      try {
        await this.options.upload(sceneId, picture);
        this.made++;
        this.#attempts.delete(sceneId);
        this.#pictured.set(sceneId, edits);
      } catch (e) {
        this.#attempts.set(sceneId, (this.#attempts.get(sceneId) ?? 0) + 1);
        this.options.failed?.(sceneId, e);
      }
    })();
    this.#busy = run;
    try {
      await run;
    } finally {
      if (this.#busy === run) this.#busy = undefined;
    }
    // Edited while the picture was being taken, or a retry is due: go again after the next quiet spell.
    if (this.#needsPicture(this.options.shownScene())) this.#schedule();
  }
}
