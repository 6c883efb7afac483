/**
 * Presence (awareness) fan-out, coalesced per tick. Relaying every awareness
 * change as its own message costs the room senders × listeners messages: 50
 * clients moving cursors at 30 Hz made 76,500 messages a second, each a
 * separate WebSocket send and JSON encode. Instead the room notes which
 * awareness clients changed and, once per tick (the cursor window, so a
 * cursor is never held longer than its sender's own throttle), sends every
 * connection one message holding what changed of each — encoded once per
 * audience as presence deltas (presenceAudience.ts).
 *
 * The first change after a quiet tick goes out at once (a lone cursor is not
 * delayed); later ones wait for the tick's end. Last value wins: a client changed twice in a tick goes out once, with its
 * newest state (the clock tells receivers it is newer). Removals (a
 * disconnect) go out in the same tick as a null state. The room flushes early
 * before it sends a document update, so a recipient sees awareness and
 * document changes in the order the room applied them.
 */

/** Collects changed awareness client ids and hands them over once per tick. */
export class PresenceFanout {
  /** Insertion order is the order of each client's latest change. */
  readonly #changed = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastFlush = -Infinity;

  constructor(
    private readonly tickMs: number,
    /** Sends the current states of `ids` (states absent from the room's awareness go out as removals). */
    private readonly send: (ids: number[]) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Notes awareness clients whose state changed (or was removed), in lists; sent within one tick. */
  mark(...lists: readonly (readonly number[])[]): void {
    for (const ids of lists)
      for (const id of ids) {
        this.#changed.delete(id);
        this.#changed.add(id);
      }
    if (this.#changed.size === 0 || this.#timer !== undefined) return;
    const wait = this.#lastFlush + this.tickMs - this.clock();
    if (wait <= 0) this.flush();
    else this.#timer = setTimeout(() => this.flush(), wait);
  }

  /** Clients changed since the last tick, not yet sent. */
  pending(): Iterable<number> {
    return this.#changed;
  }

  /** Sends what is pending now (the tick ended, or a document update must not overtake it). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#changed.size === 0) return;
    this.#lastFlush = this.clock();
    const ids = [...this.#changed];
    this.#changed.clear();
    this.send(ids);
  }
}
