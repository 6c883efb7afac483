import { definePluginPresence } from '../../engine/plugin';
import type { Point } from '../../engine/schema';

/** Most points of one ruler: its start, its waypoints and its end. */
export const MAX_RULER_POINTS = 16;
/** Ruler coordinates beyond this are not on any map. */
const MAX_COORD = 1e6;

/**
 * A ruler as it travels: its points (start, waypoints, end) as `[x, y]`
 * pairs, and whether it stays after release. The room relays what the reader
 * returns, so the reader keeps this wire form.
 */
export interface RulerValue {
  readonly pts: readonly (readonly [number, number])[];
  readonly pin?: true;
}

/** A ruler's points as scene points. */
export const rulerPoints = (value: RulerValue): Point[] => value.pts.map(([x, y]) => ({ x, y }));

const coord = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_COORD;

/** A ruler's points as compact pairs, rounded to a tenth of a scene unit. */
export function rulerWire(pts: readonly Point[], pin: boolean): RulerValue {
  const r = (v: number) => Math.round(v * 10) / 10;
  return { pts: pts.map((p) => [r(p.x), r(p.y)] as const), ...(pin ? { pin: true as const } : {}) };
}

/** Reads a ruler: 2 to {@link MAX_RULER_POINTS} finite points within bounds, or undefined. */
export function readRuler(value: unknown): RulerValue | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { pts, pin } = value as Record<string, unknown>;
  if (!Array.isArray(pts) || pts.length < 2 || pts.length > MAX_RULER_POINTS) return undefined;
  const points: [number, number][] = [];
  for (const p of pts) {
    if (!Array.isArray(p) || p.length !== 2 || !coord(p[0]) || !coord(p[1])) return undefined;
    points.push([p[0], p[1]]);
  }
  return pin === true ? { pts: points, pin: true } : { pts: points };
}

/**
 * The ruler's presence: GMs always, players when the scene's "Players may
 * measure" is on; at most the cursor rate (30 a second, a short burst).
 */
export const rulerPresence = definePluginPresence<RulerValue>({
  read: readRuler,
  players: (values) => values.playersMeasure === true,
  rate: { perSecond: 32, burst: 12 },
});
