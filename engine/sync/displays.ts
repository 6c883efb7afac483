/**
 * Players' displays report their page size and pixel ratio through presence
 * (awareness), so the GM can frame for the TV's real aspect and size squares
 * to its physical scale. Ephemeral: never stored, gone when the TV leaves.
 * The room and the editor check a report with the same function.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { DisplayReport } from '../plugin/tools';
import type { PresenceField } from './presence';

/** The awareness field a display's report travels in. */
export const DISPLAY_FIELD = 'screen';

const MAX_CSS_PX = 16384;
const MAX_PIXEL_RATIO = 8;

const within = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/** The report if `value` is a well-formed one (sizes in CSS px within bounds), else undefined. */
export function checkDisplayReport(value: unknown): DisplayReport | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (!within(r.width, 1, MAX_CSS_PX) || !within(r.height, 1, MAX_CSS_PX)) return undefined;
  if (!within(r.pixelRatio, 0.1, MAX_PIXEL_RATIO)) return undefined;
  return { width: r.width, height: r.height, pixelRatio: r.pixelRatio };
}

/** Publishes (or, with undefined, withdraws) this page's display report. */
export function reportDisplay(awareness: Awareness, report: DisplayReport | undefined): void {
  awareness.setLocalStateField(DISPLAY_FIELD, report ?? null);
}

/** The displays reporting now, from players only, largest first. */
export function readDisplayReports(awareness: Awareness): DisplayReport[] {
  const out: DisplayReport[] = [];
  for (const [id, state] of awareness.getStates()) {
    if (id === awareness.clientID) continue;
    const user = (state as { user?: { role?: unknown } }).user;
    if (user?.role !== 'player') continue;
    const report = checkDisplayReport((state as Record<string, unknown>)[DISPLAY_FIELD]);
    if (report) out.push(report);
  }
  return out.sort((a, b) => b.width * b.height - a.width * a.height);
}

/** The presence field the game-session room declares for display reports (see `presence.ts`). */
export const DISPLAY_PRESENCE: PresenceField<DisplayReport | null> = {
  key: DISPLAY_FIELD,
  read: (value) => (value === null ? null : checkDisplayReport(value)),
};
