import type { PerformanceTier } from './types';

/**
 * The automatic performance tier: a pure reducer over frame observations.
 * The host feeds it the interval between frames it drew back to back while
 * something animated; a frame drawn after idling (or a tick while idle)
 * carries no interval, so an idle host is never taken for a slow one.
 *
 * Down fast, up slowly: animated time is judged in windows; a window whose
 * mean frame interval is slow drops one tier. A tier rises only after a calm
 * stretch (no window slower than `fastFrameMs`), and a rise that is followed
 * by a drop within `probationMs` doubles the next wait, so a display that
 * cannot hold a tier stops trying it often.
 */
export interface TierPolicy {
  /** A window slower than this (mean ms per frame) drops a tier: 25 ms is 40 frames/s, a margin above 30. */
  slowFrameMs: number;
  /** Windows at or under this (≈ 48 frames/s) count as calm; between fast and slow neither drops nor calms. */
  fastFrameMs: number;
  /** Animated time gathered into one window before it is judged. */
  windowMs: number;
  /** Frames within this long of the start or a tier change are not judged (shaders compile, particles spawn). */
  settleMs: number;
  /** Calm time at a tier before trying the one above. */
  riseAfterMs: number;
  /** The longest the rise wait grows to after failed tries. */
  maxRiseAfterMs: number;
  /** A drop this soon after a rise means the rise failed: the next wait doubles. */
  probationMs: number;
  /** One interval counts at most this long, so a single stall (a big image decoding) is not a slow window. */
  maxIntervalMs: number;
}

export const DEFAULT_TIER_POLICY: TierPolicy = {
  slowFrameMs: 25,
  fastFrameMs: 21,
  windowMs: 2_000,
  settleMs: 1_000,
  riseAfterMs: 15_000,
  maxRiseAfterMs: 300_000,
  probationMs: 30_000,
  maxIntervalMs: 250,
};

export const TIERS: readonly PerformanceTier[] = ['low', 'medium', 'high'];

/** Whether `value` names a tier (URL parameters, settings). */
export function isPerformanceTier(value: unknown): value is PerformanceTier {
  return TIERS.includes(value as PerformanceTier);
}

/** What the host saw at time `at` (ms): a frame drawn `intervalMs` after the previous one, or no measurement. */
export interface TierObservation {
  at: number;
  /** Set only when this frame followed the previous one in an unbroken animation loop. */
  intervalMs?: number;
}

export interface TierState {
  readonly tier: PerformanceTier;
  /** When the tier was entered (the start, or the last change). */
  readonly since: number;
  /** Since when no judged window was slower than `fastFrameMs`. */
  readonly calmSince: number;
  /** The window being gathered: summed intervals and frame count. */
  readonly windowMs: number;
  readonly windowFrames: number;
  /** The current wait before a rise. */
  readonly riseAfterMs: number;
  /** When the last rise happened (−∞ when none), to tell a failed rise. */
  readonly lastRise: number;
  /** The mean frame interval of the last judged window, for stats overlays. */
  readonly lastWindowMs?: number;
}

export function initialTierState(
  tier: PerformanceTier,
  at: number,
  policy: TierPolicy = DEFAULT_TIER_POLICY,
): TierState {
  return {
    tier,
    since: at,
    calmSince: at,
    windowMs: 0,
    windowFrames: 0,
    riseAfterMs: policy.riseAfterMs,
    lastRise: -Infinity,
  };
}

const step = (tier: PerformanceTier, by: 1 | -1): PerformanceTier =>
  TIERS[Math.min(TIERS.length - 1, Math.max(0, TIERS.indexOf(tier) + by))]!;

/** The state after one observation; `state.tier` of the result is the tier to run at. */
export function nextTierState(
  state: TierState,
  seen: TierObservation,
  policy: TierPolicy = DEFAULT_TIER_POLICY,
): TierState {
  let s = state;
  if (seen.intervalMs === undefined) {
    // A gap (idle, hidden, first frame): what was gathered was not one sustained stretch.
    s = { ...s, windowMs: 0, windowFrames: 0 };
  } else if (seen.at - s.since >= policy.settleMs) {
    s = {
      ...s,
      windowMs: s.windowMs + Math.min(Math.max(seen.intervalMs, 0), policy.maxIntervalMs),
      windowFrames: s.windowFrames + 1,
    };
    if (s.windowMs >= policy.windowMs) s = judge(s, seen.at, policy);
  }
  return maybeRise(s, seen.at);
}

function judge(s: TierState, at: number, policy: TierPolicy): TierState {
  const mean = s.windowMs / s.windowFrames;
  const judged = { ...s, windowMs: 0, windowFrames: 0, lastWindowMs: mean };
  if (mean > policy.slowFrameMs && s.tier !== 'low') {
    const failedRise = at - s.lastRise < policy.probationMs;
    return {
      ...judged,
      tier: step(s.tier, -1),
      since: at,
      calmSince: at,
      riseAfterMs: failedRise ? Math.min(s.riseAfterMs * 2, policy.maxRiseAfterMs) : policy.riseAfterMs,
    };
  }
  return mean > policy.fastFrameMs ? { ...judged, calmSince: at } : judged;
}

function maybeRise(s: TierState, at: number): TierState {
  if (s.tier === 'high' || at < riseDueAt(s)!) return s;
  return {
    ...s,
    tier: step(s.tier, 1),
    since: at,
    calmSince: at,
    windowMs: 0,
    windowFrames: 0,
    lastRise: at,
  };
}

/** When the tier above becomes due if calm holds (the host checks then even while idle); none at `high`. */
export function riseDueAt(s: TierState): number | undefined {
  return s.tier === 'high' ? undefined : s.calmSince + s.riseAfterMs;
}
