/**
 * The scripted hour of one table (bench metric 11): what its GMs and players
 * do, as events in script time (0 … 1 h), seeded so every run plays the same
 * hour. Pure: metric 11 plays it against real rooms, and the cost model
 * (costModel.ts) derives the original design's traffic from the same events.
 *
 * The activity rates are assumptions (a busy table, stated in the metric's
 * details), not measurements of real players.
 */
import { seededRandom } from './stats';

export const HOUR_MS = 3_600_000;
/** Presence (cursors, previews) goes out at most this often: THROTTLE_MS.cursor. */
export const PRESENCE_MS = 34;

/** What one table does in an hour; see {@link DEFAULT_ACTIVITY}. */
export interface Activity {
  /** Discrete GM edits of a scene property (a toggle, a colour, a typed number). */
  readonly edits: number;
  /** Slider scrubs: previews for `scrubMs`, then one final write. */
  readonly scrubs: number;
  readonly scrubMs: number;
  /** Markers added. */
  readonly adds: number;
  /** Marker drags: previews for `dragMs`, then one final write. */
  readonly drags: number;
  readonly dragMs: number;
  /** Fog brush strokes of `strokeMs`, writing the touched tiles every `strokeWriteMs`. */
  readonly strokes: number;
  readonly strokeMs: number;
  readonly strokeWriteMs: number;
  /** The TV switched to another scene (the party's active scene). */
  readonly switches: number;
  /** Share of the hour a GM's / a player's pointer moves over the map (cursor at 30 Hz). */
  readonly gmCursorShare: number;
  readonly playerCursorShare: number;
  /** Length of one stretch of pointer movement. */
  readonly cursorStretchMs: number;
}

export const DEFAULT_ACTIVITY: Activity = {
  edits: 90,
  scrubs: 20,
  scrubMs: 2000,
  adds: 15,
  drags: 80,
  dragMs: 1500,
  strokes: 40,
  strokeMs: 1500,
  strokeWriteMs: 100,
  switches: 4,
  gmCursorShare: 0.35,
  playerCursorShare: 0.1,
  cursorStretchMs: 10_000,
};

export type GestureKind = 'edit' | 'scrub' | 'add' | 'drag' | 'stroke' | 'switch';

/** One GM action: starts at `at`, lasts `ms` (0 for discrete ones). */
export interface Gesture {
  readonly kind: GestureKind;
  readonly at: number;
  readonly ms: number;
  /** Which GM (0 or 1). */
  readonly gm: number;
}

/** A stretch of pointer movement of one participant. */
export interface CursorStretch {
  readonly at: number;
  readonly ms: number;
}

export interface TableHour {
  readonly gms: number;
  readonly players: number;
  /** Sorted by `at`. */
  readonly gestures: readonly Gesture[];
  /** Per participant: GMs first, then players. */
  readonly cursors: readonly (readonly CursorStretch[])[];
}

/** The hour of a table with `gms` GMs and `players` players. */
export function tableHour(
  seed: number,
  gms: number,
  players: number,
  activity = DEFAULT_ACTIVITY,
): TableHour {
  const random = seededRandom(seed);
  const gestures: Gesture[] = [];
  const add = (kind: GestureKind, count: number, ms: number) => {
    for (let i = 0; i < count; i++)
      gestures.push({
        kind,
        at: Math.floor(random() * (HOUR_MS - ms - 1000)),
        ms,
        gm: Math.floor(random() * gms),
      });
  };
  add('edit', activity.edits, 0);
  add('scrub', activity.scrubs, activity.scrubMs);
  add('add', activity.adds, 0);
  add('drag', activity.drags, activity.dragMs);
  add('stroke', activity.strokes, activity.strokeMs);
  add('switch', activity.switches, 0);
  gestures.sort((a, b) => a.at - b.at);
  const stretches = (share: number) => {
    const count = Math.round((share * HOUR_MS) / activity.cursorStretchMs);
    // Evenly spaced slots, each stretch at a random offset inside its slot: no overlaps.
    const slot = HOUR_MS / Math.max(1, count);
    return Array.from({ length: count }, (_, i) => ({
      at: Math.floor(i * slot + random() * (slot - activity.cursorStretchMs)),
      ms: activity.cursorStretchMs,
    }));
  };
  const cursors = [
    ...Array.from({ length: gms }, () => stretches(activity.gmCursorShare)),
    ...Array.from({ length: players }, () => stretches(activity.playerCursorShare)),
  ];
  return { gms, players, gestures, cursors };
}

/** Document writes a gesture makes in our design (previews travel as presence, not as writes). */
export function oursDocWrites(g: Gesture, activity = DEFAULT_ACTIVITY): number {
  return g.kind === 'stroke' ? Math.ceil(g.ms / activity.strokeWriteMs) : 1;
}

/** When our client writes the document during `g` (the gesture's end; a stroke once per write window). */
export function oursWriteTimes(g: Gesture, activity = DEFAULT_ACTIVITY): number[] {
  const n = oursDocWrites(g, activity);
  return Array.from({ length: n }, (_, i) => g.at + (g.kind === 'stroke' ? ((i + 1) * g.ms) / n : g.ms));
}

/**
 * Presence messages the hour's clients send: one per throttle window while a
 * pointer moves or a GM's gesture previews (overlapping stretches merged), as
 * the client's throttle (engine/sync/cursors.ts) sends them.
 */
export function presenceMessages(hour: TableHour): number {
  let total = 0;
  hour.cursors.forEach((stretches, person) => {
    const previews = hour.gestures
      .filter((g) => person < hour.gms && g.gm === person && (g.kind === 'drag' || g.kind === 'scrub'))
      .map((g) => ({ at: g.at, ms: g.ms }));
    const spans = [...stretches, ...previews].sort((a, b) => a.at - b.at);
    let start = -1;
    let end = -1;
    for (const s of spans) {
      if (s.at > end) {
        if (end > start) total += Math.ceil((end - start) / PRESENCE_MS);
        start = s.at;
      }
      end = Math.max(end, s.at + s.ms);
    }
    if (end > start) total += Math.ceil((end - start) / PRESENCE_MS);
  });
  return total;
}
