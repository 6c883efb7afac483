/**
 * How fast edits of a property travel. The broadcaster flushes every pending
 * path at the earliest deadline among their classes, so a fast class is never
 * held back by a slow one.
 */
export const THROTTLE_MS = {
  /** Flushed in the same tick: discrete actions such as add or delete. */
  immediate: 0,
  /**
   * Awareness (cursors, drag previews): at most 30 updates a second. 34, not
   * 33: a 33 ms window allows 30.3 sends a second (1,818 a minute instead of
   * 1,800), more than half of a 60 Hz pointer's moves.
   */
  cursor: 34,
  /** Collection members being moved or edited. */
  member: 50,
  /** Inspector controls: sliders, toggles, colour pickers. */
  control: 100,
  /** Whole-scene settings that change rarely. */
  scene: 200,
} as const;

export type ThrottleClass = keyof typeof THROTTLE_MS;

export function isThrottleClass(value: unknown): value is ThrottleClass {
  return typeof value === 'string' && Object.hasOwn(THROTTLE_MS, value);
}
