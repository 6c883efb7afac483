/**
 * Cursors and gesture previews through Y.js awareness: ephemeral (never in
 * the document, never saved, gone when a user disconnects), throttled to at
 * most 30 updates a second, and tiny, because every awareness state is
 * re-sent to everyone in the room. A cursor move and the previews of the
 * gestures in progress go out together, as one awareness update per tick.
 */
import type { Awareness } from 'y-protocols/awareness';
import { THROTTLE_MS } from '../schema';
import { PREVIEW_FIELD, type PreviewWire } from './previews';
import { readColor, readCursor, readName } from './presence';
import { readPresenceWire, type PluginPresence, type PresenceEntry } from '../plugin/presence';

/** Colour of a cursor whose user sent none (or an invalid one). */
const FALLBACK_COLOR = '#888888';

/** Who a cursor belongs to, as other users see it. */
export interface CursorUser {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

/** Another user's cursor, in scene coordinates. */
export interface Cursor {
  readonly clientId: number;
  readonly userId: string;
  readonly name: string;
  readonly color: string;
  readonly x: number;
  readonly y: number;
  /** The scene the pointer is over, when the user said. */
  readonly sceneId: string | undefined;
}

interface CursorState {
  x: number;
  y: number;
  s?: string;
}

const round = (v: number) => Math.round(v * 10) / 10;

export class CursorChannel {
  #last = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #next: CursorState | null | undefined;
  readonly #previews = new Map<string, PreviewWire>();
  #previewsDirty = false;
  /** Plugin presence fields waiting for the next tick (null clears one). */
  readonly #fields = new Map<string, unknown>();

  constructor(
    private readonly awareness: Awareness,
    private user: CursorUser,
    private readonly interval = THROTTLE_MS.cursor,
  ) {
    awareness.setLocalStateField('user', { id: user.id, name: user.name, color: user.color });
  }

  /** Shows this user under another display name from now on (others see it with the next update, at once). */
  rename(name: string): void {
    this.user = { ...this.user, name };
    this.awareness.setLocalStateField('user', { id: this.user.id, name, color: this.user.color });
  }

  /**
   * Moves this user's cursor. The first move in a while is sent at once; later
   * ones at most every `interval` ms, always ending with the latest position.
   */
  update(position: { x: number; y: number }, sceneId?: string): void {
    if (!Number.isFinite(position.x) || !Number.isFinite(position.y)) return;
    const state: CursorState = { x: round(position.x), y: round(position.y) };
    if (sceneId !== undefined) state.s = sceneId;
    this.#set(state);
  }

  /** Hides this user's cursor (pointer left the canvas). */
  clear(): void {
    this.#next = null;
    this.#schedule();
  }

  /**
   * Sets (or, with null, clears) the preview published under `key` — one per
   * path being edited. It goes out with the next cursor tick.
   */
  setPreview(key: string, preview: PreviewWire | null): void {
    if (preview === null) {
      if (!this.#previews.delete(key)) return;
    } else this.#previews.set(key, preview);
    this.#previewsDirty = true;
    this.#schedule();
  }

  /**
   * Sets (or, with null, clears) a plugin's presence field (engine/plugin/presence.ts).
   * It goes out with the next cursor tick, so a dragged ruler costs no more
   * messages than the cursor moving with it.
   */
  setField(key: string, value: unknown): void {
    this.#fields.set(key, value);
    this.#schedule();
  }

  #set(state: CursorState | null): void {
    this.#next = state;
    this.#schedule();
  }

  /**
   * Sends now when the last send is at least `interval` ago, else once the
   * interval is over. The timer re-checks the clock when it fires: timers
   * may fire a little early (Node rounds to whole milliseconds), and a send
   * must never follow the previous one by less than the interval.
   */
  #schedule(): void {
    if (this.#timer !== undefined) return;
    const wait = this.#last + this.interval - Date.now();
    if (wait <= 0) return this.#send();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#schedule();
    }, wait);
  }

  #send(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#next === undefined && !this.#previewsDirty && this.#fields.size === 0) return;
    this.#last = Date.now();
    // One setLocalState, so the provider sends one awareness message for cursor and previews.
    const state: Record<string, unknown> = { ...(this.awareness.getLocalState() ?? {}) };
    if (this.#next !== undefined) state.cursor = this.#next;
    if (this.#previewsDirty) {
      if (this.#previews.size) state[PREVIEW_FIELD] = [...this.#previews.values()];
      else delete state[PREVIEW_FIELD];
    }
    for (const [key, value] of this.#fields) {
      if (value === null) delete state[key];
      else state[key] = value;
    }
    this.#fields.clear();
    this.#next = undefined;
    this.#previewsDirty = false;
    this.awareness.setLocalState(state);
  }

  /** Every other connected user's visible cursor. */
  getCursors(): Cursor[] {
    const out: Cursor[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue;
      // The room validates presence already; reading it through the same schema again costs little and
      // keeps the page safe from a room that did not (an older deployment).
      const cursor = readCursor(state.cursor);
      if (!cursor) continue;
      const user = (typeof state.user === 'object' && state.user !== null ? state.user : {}) as Record<
        string,
        unknown
      >;
      out.push({
        clientId,
        userId: typeof user.id === 'string' ? user.id.slice(0, 64) : String(clientId),
        name: readName(user.name) ?? '',
        color: readColor(user.color) ?? FALLBACK_COLOR,
        x: cursor.x,
        y: cursor.y,
        sceneId: cursor.s,
      });
    }
    return out;
  }

  /**
   * Every user's valid presence value of one plugin in `sceneId`, this
   * page's own included (`local`), read with the plugin's own reader.
   */
  readField<T>(key: string, presence: PluginPresence<T>, sceneId: string): PresenceEntry<T>[] {
    const out: PresenceEntry<T>[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      const wire = readPresenceWire(presence, (state as Record<string, unknown>)[key] ?? null);
      if (!wire || wire.s !== sceneId) continue;
      const user = (typeof state.user === 'object' && state.user !== null ? state.user : {}) as Record<
        string,
        unknown
      >;
      out.push({
        clientId,
        local: clientId === this.awareness.clientID,
        user: {
          id: typeof user.id === 'string' ? user.id.slice(0, 64) : String(clientId),
          role: user.role === 'gm' || user.role === 'player' ? user.role : undefined,
          name: readName(user.name) ?? '',
          color: readColor(user.color) ?? FALLBACK_COLOR,
        },
        value: wire.v,
      });
    }
    return out;
  }

  destroy(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
