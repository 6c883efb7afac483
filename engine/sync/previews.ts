/**
 * Gesture previews: while a user drags a marker or scrubs a slider, the
 * intermediate values travel as awareness (ephemeral, throttled with the
 * cursor, never stored) and only the gesture's final value is written to the
 * document. This module is the wire shape, shared by the client (which
 * publishes and overlays previews) and the room (which strips what players
 * must not receive).
 *
 * Wire shape: awareness field `p` holds an array of `{s, k, v}` — scene id,
 * StageProps path, value — one entry per path being edited.
 */
import type { Registry } from '../schema';
import type { View } from '../generated/stageProps';
import { isGmOnlyProp } from './values';
import type { OverlayEntry } from './snapshots';

/** The awareness field previews travel in. */
export const PREVIEW_FIELD = 'p';

/** Most preview entries one awareness state may carry; more are ignored. */
export const MAX_PREVIEWS = 8;

/**
 * Longest preview value, as JSON characters. A longer value (a long note
 * being typed) is not previewed — the final value still reaches the doc —
 * because the room drops awareness states past its size limit, cursor and all.
 */
export const MAX_PREVIEW_CHARS = 512;

/** One preview on the wire. */
export interface PreviewWire {
  readonly s: string;
  readonly k: readonly string[];
  readonly v: unknown;
}

/**
 * The well-formed preview entries of an awareness state (at most
 * {@link MAX_PREVIEWS}); anything malformed is skipped. Values are not
 * checked here: see {@link checkPreview}.
 */
export function readPreviews(state: unknown): PreviewWire[] {
  if (typeof state !== 'object' || state === null) return [];
  const raw = (state as Record<string, unknown>)[PREVIEW_FIELD];
  if (!Array.isArray(raw)) return [];
  const out: PreviewWire[] = [];
  for (const entry of raw.slice(0, MAX_PREVIEWS)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { s, k, v } = entry as Record<string, unknown>;
    if (typeof s !== 'string' || !Array.isArray(k) || (k.length !== 2 && k.length !== 3)) continue;
    if (!k.every((part) => typeof part === 'string')) continue;
    if (v === undefined) continue;
    out.push({ s, k: k as string[], v });
  }
  return out;
}

/**
 * Validates a preview against the registry: a known, synced property (and,
 * in the player view, one players may see) with a valid value. Returns the
 * overlay entry with the normalised value, or undefined to ignore it. Whether
 * the scene and member exist is the caller's check.
 */
export function checkPreview(preview: PreviewWire, registry: Registry, view: View): OverlayEntry | undefined {
  const prop = registry.byPath(preview.k);
  if (!prop || prop.localOnly || (view === 'player' && isGmOnlyProp(prop))) return undefined;
  const checked = registry.validate(preview.k, preview.v);
  return checked.ok ? { path: [...preview.k], value: checked.value } : undefined;
}

/** True when `value` is small enough to travel as a preview. */
export function previewable(value: unknown): boolean {
  const json = JSON.stringify(value);
  return json !== undefined && json.length <= MAX_PREVIEW_CHARS;
}
