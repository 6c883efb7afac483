/**
 * The room is the only writer of scene data to the DB. Clients' changes mark
 * scene parts dirty (from the tracker's touches); about `delayMs` after the
 * last change — and at most `maxDelayMs` after the first — the dirty parts
 * are converted with the generated converters and sent to the app server
 * (`PUT /internal/scenes/:id`, `DELETE` for deleted scenes). A failure that
 * may pass (network, 5xx) keeps the parts dirty and retries with backoff; a
 * refusal that will not pass (400, 409: the DB holds newer data) is reported
 * in `gameSessionMeta.save` and dropped. The dirty set is persisted in room
 * storage with every change, so a crashed room saves after restart.
 */
import type { RoomEnv } from '../auth';
import type { SceneSaveDraft } from '../../engine/contract';
import { InternalApiError, deleteScene, saveScene } from '../internalApi';
import type { Changes } from './tracker';

/** What must be saved for one scene. Plain data so it can be stored. */
export interface DirtyScene {
  all?: boolean;
  deleted?: boolean;
  meta?: boolean;
  scene?: boolean;
  collections?: string[];
  blobs?: string[];
}

/** The persisted dirty state. */
export interface DirtyState {
  scenes: Record<string, DirtyScene>;
  order: boolean;
}

/** What the loop needs from the room to build a save. */
export interface SaveSource {
  env(): RoomEnv;
  /** The scene's current save body for the given parts, or undefined when the scene no longer exists. */
  build(sceneId: string, dirty: DirtyScene, withOrder: boolean): SceneSaveDraft | undefined;
  /** Scenes to re-send when the order changed. */
  sceneIds(): string[];
  persist(state: DirtyState): void;
  onSaved(sceneId: string, lastUpdated: number | undefined): void;
  onStatus(status: SaveStatus): void;
}

export type SaveStatus =
  | { readonly state: 'saving' | 'saved' | 'idle'; readonly at: number }
  | { readonly state: 'failed'; readonly at: number; readonly error: string };

export interface SaveTiming {
  readonly delayMs: number;
  readonly maxDelayMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

export const DEFAULT_SAVE_TIMING: SaveTiming = {
  delayMs: 2000,
  maxDelayMs: 10_000,
  retryBaseMs: 500,
  retryMaxMs: 8000,
};

function merge(into: DirtyScene, from: DirtyScene): void {
  if (from.all) into.all = true;
  if (from.deleted !== undefined) into.deleted = from.deleted;
  if (from.meta) into.meta = true;
  if (from.scene) into.scene = true;
  if (from.collections?.length)
    into.collections = [...new Set([...(into.collections ?? []), ...from.collections])];
  if (from.blobs?.length) into.blobs = [...new Set([...(into.blobs ?? []), ...from.blobs])];
}

/** Saves dirty scene parts; see the module comment. */
export class SaveLoop {
  private dirty: DirtyState = { scenes: {}, order: false };
  private inFlight: DirtyState | undefined;
  private firstDirtyAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly source: SaveSource,
    private readonly timing: SaveTiming = DEFAULT_SAVE_TIMING,
  ) {}

  /** Restores a dirty state persisted before a restart and schedules its save. */
  restore(state: DirtyState | undefined): void {
    if (!state || (!Object.keys(state.scenes).length && !state.order)) return;
    this.mergeState(state);
    this.schedule(0);
  }

  /** True while something is dirty or being saved. */
  get pending(): boolean {
    return Object.keys(this.dirty.scenes).length > 0 || this.dirty.order || this.inFlight !== undefined;
  }

  /** Marks the parts clients changed. */
  add(changes: Changes): void {
    if (!changes.touches.length && !changes.order) return;
    const state: DirtyState = { scenes: {}, order: changes.order };
    for (const t of changes.touches) {
      const d = (state.scenes[t.sceneId] ??= {});
      switch (t.part) {
        case 'all':
          d.all = true;
          d.deleted = false;
          break;
        case 'deleted':
          d.deleted = true;
          break;
        case 'meta':
          d.meta = true;
          break;
        case 'group':
          d.scene = true;
          break;
        case 'collection':
        case 'member':
          d.collections = [...new Set([...(d.collections ?? []), t.key])];
          break;
        case 'blobs':
          d.all = true;
          break;
        case 'blob':
          d.blobs = [...new Set([...(d.blobs ?? []), t.key])];
          break;
      }
    }
    this.mergeState(state);
    this.persist();
    this.schedule();
  }

  private mergeState(state: DirtyState): void {
    for (const [id, d] of Object.entries(state.scenes)) merge((this.dirty.scenes[id] ??= {}), d);
    if (state.order) this.dirty.order = true;
    if (!this.firstDirtyAt) this.firstDirtyAt = Date.now();
  }

  private persist(): void {
    const all: DirtyState = { scenes: {}, order: this.dirty.order || (this.inFlight?.order ?? false) };
    for (const source of [this.inFlight?.scenes ?? {}, this.dirty.scenes])
      for (const [id, d] of Object.entries(source)) merge((all.scenes[id] ??= {}), d);
    this.source.persist(all);
  }

  /** (Re)arms the timer: debounce after the last change, bounded by the first. */
  private schedule(delay?: number): void {
    if (!this.pending) return;
    const now = Date.now();
    const wait =
      delay ?? Math.max(0, Math.min(this.timing.delayMs, this.firstDirtyAt + this.timing.maxDelayMs - now));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  /** Saves everything dirty now. Resolves when this round is done (failures stay dirty and are retried). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running)
      return this.running.then(() => (this.pending && !this.inFlight ? this.flush() : undefined));
    if (!Object.keys(this.dirty.scenes).length && !this.dirty.order) return Promise.resolve();
    this.running = this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<void> {
    const work = this.dirty;
    this.dirty = { scenes: {}, order: false };
    this.firstDirtyAt = 0;
    this.inFlight = work;
    if (work.order) for (const id of this.source.sceneIds()) work.scenes[id] ??= {};
    this.source.onStatus({ state: 'saving', at: Date.now() });
    const ids = Object.keys(work.scenes);
    let error: string | undefined;
    let retry = false;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const d = work.scenes[id]!;
      try {
        const body = d.deleted ? undefined : this.source.build(id, d, work.order);
        if (!body) {
          if (d.deleted) await deleteScene(this.source.env(), id);
          this.source.onSaved(id, undefined);
        } else {
          const savedAt = Date.now();
          const lastUpdated = await saveScene(this.source.env(), id, { ...body, savedAt });
          this.source.onSaved(id, lastUpdated);
        }
        delete work.scenes[id];
      } catch (e) {
        const apiError = e instanceof InternalApiError ? e : undefined;
        error = `scene ${id}: ${e instanceof Error ? e.message : String(e)}`;
        if (apiError && !apiError.retryable) {
          // Retrying cannot help (bad data or the DB has newer data): report and drop.
          console.error(`save refused: ${error}`);
          delete work.scenes[id];
          continue;
        }
        retry = true;
        console.warn(`save failed, will retry: ${error}`);
        break;
      }
    }
    this.inFlight = undefined;
    if (retry) {
      // Put what was not saved back in front of anything newer.
      const rest = work;
      const newer = this.dirty;
      this.dirty = { scenes: {}, order: rest.order || newer.order };
      this.mergeState(rest);
      this.mergeState(newer);
      this.failures++;
      this.persist();
      this.source.onStatus({ state: 'failed', at: Date.now(), error: error ?? 'unknown error' });
      this.schedule(Math.min(this.timing.retryMaxMs, this.timing.retryBaseMs * 2 ** (this.failures - 1)));
      return;
    }
    this.failures = 0;
    this.persist();
    this.source.onStatus(
      error ? { state: 'failed', at: Date.now(), error } : { state: 'saved', at: Date.now() },
    );
    if (this.pending) this.schedule();
  }

  /** Scene ids with anything not saved yet (dirty or being saved). */
  dirtySceneIds(): Set<string> {
    return new Set([...Object.keys(this.dirty.scenes), ...Object.keys(this.inFlight?.scenes ?? {})]);
  }

  /** Scene ids whose deletion is not saved yet (hydration must not bring them back). */
  pendingDeletes(): string[] {
    return [this.dirty.scenes, this.inFlight?.scenes ?? {}].flatMap((s) =>
      Object.entries(s)
        .filter(([, d]) => d.deleted)
        .map(([id]) => id),
    );
  }

  /** Forgets dirty parts of scenes just reloaded from the DB (the DB is the truth for them now). */
  discard(sceneIds: readonly string[]): void {
    for (const id of sceneIds) delete this.dirty.scenes[id];
    this.persist();
  }

  /** Stops timers (the room is going away). */
  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** Bytes → base64, in chunks so large blobs do not overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** base64 → bytes; throws on invalid input. */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
