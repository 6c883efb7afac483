/**
 * Members players receive only while a GM points at them through presence
 * (`RoomPlugin.reveal`: a hover marker while a GM hovers it or holds it
 * selected). The room keeps the set of revealed members from the GMs'
 * awareness states, each value checked again against the document players
 * are projected from; when the set changes, the room projects the changed
 * members again, so the player view gains the member while it is pointed at
 * and loses it after — players receive exactly what the TV shows.
 */
import { readPresenceWire, type RoomPlugin } from '../../engine/plugin';

/** What the reveals read of the room. */
export interface RevealRoomView {
  shownSceneId(): string | null;
  /** A member's values (gm view) in the document players are projected from, or undefined when absent. */
  member(pluginName: string, sceneId: string, id: string): Readonly<Record<string, unknown>> | undefined;
}

/** A member whose revealed state changed. */
export interface RevealChange {
  readonly plugin: string;
  readonly sceneId: string;
  readonly id: string;
}

const keyOf = (plugin: string, sceneId: string, id: string) => `${plugin}\u0000${sceneId}\u0000${id}`;

/**
 * True when a GM's presence value of `plugin` names only members it may
 * reveal: of the scene players are shown, present there and revealable.
 * Plugins without `reveal` accept anything. A throwing hook refuses.
 */
export function revealAccepts(
  plugin: RoomPlugin,
  room: RevealRoomView,
  sceneId: string,
  value: unknown,
): boolean {
  const reveal = plugin.reveal;
  if (!reveal) return true;
  if (sceneId !== room.shownSceneId()) return false;
  try {
    return reveal.members(value).every((id) => {
      const values = room.member(plugin.name, sceneId, id);
      return values !== undefined && reveal.revealable(values);
    });
  } catch (e) {
    console.error(`room plugin "${plugin.name}": reveal threw; the presence value is refused`, e);
    return false;
  }
}

/** See the module comment. */
export class Reveals {
  readonly #plugins: readonly RoomPlugin[];
  #current = new Set<string>();
  /** Awareness clients whose state named members at the last refresh. */
  #holders = new Set<number>();

  constructor(
    plugins: readonly RoomPlugin[],
    private readonly room: RevealRoomView,
  ) {
    this.#plugins = plugins.filter((p) => p.reveal && p.presence);
  }

  /** False when no plugin reveals anything: the room skips the work. */
  get active(): boolean {
    return this.#plugins.length > 0;
  }

  /** True while a GM's presence reveals the member. */
  isRevealed(pluginName: string, sceneId: string, id: string): boolean {
    return this.#current.has(keyOf(pluginName, sceneId, id));
  }

  /**
   * True when an awareness change of `clients` may change what is revealed:
   * one of them names members now or did at the last refresh. Cursor moves
   * of everyone else cost nothing more.
   */
  concerns(
    clients: Iterable<number>,
    states: ReadonlyMap<number, Readonly<Record<string, unknown>>>,
  ): boolean {
    for (const id of clients) {
      if (this.#holders.has(id)) return true;
      const state = states.get(id);
      if (state && this.#plugins.some((p) => state[p.name] !== undefined)) return true;
    }
    return false;
  }

  /**
   * Recomputes the revealed members from the room's awareness states (only
   * GMs' count; each value is read and checked again, as the document may
   * have changed since it arrived) and returns those that changed.
   */
  refresh(states: ReadonlyMap<number, Readonly<Record<string, unknown>>>): RevealChange[] {
    if (!this.active) return [];
    const next = new Map<string, RevealChange>();
    this.#holders = new Set();
    for (const plugin of this.#plugins) {
      for (const [client, state] of states) {
        if ((state.user as { role?: unknown } | undefined)?.role !== 'gm') continue;
        const wire = readPresenceWire(plugin.presence!, state[plugin.name] ?? null);
        if (!wire) continue;
        this.#holders.add(client);
        if (!revealAccepts(plugin, this.room, wire.s, wire.v)) continue;
        for (const id of plugin.reveal!.members(wire.v))
          next.set(keyOf(plugin.name, wire.s, id), { plugin: plugin.name, sceneId: wire.s, id });
      }
    }
    const changed: RevealChange[] = [...next].filter(([k]) => !this.#current.has(k)).map(([, c]) => c);
    for (const key of this.#current)
      if (!next.has(key)) {
        const [plugin, sceneId, id] = key.split('\u0000') as [string, string, string];
        changed.push({ plugin, sceneId, id });
      }
    this.#current = new Set(next.keys());
    return changed;
  }
}
