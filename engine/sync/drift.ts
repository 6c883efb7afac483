/**
 * Drift detection: the room records, per scene, when it last saved to the DB
 * (`gameSessionMeta.lastUpdated`). A DB row newer than that was changed
 * behind the room's back (a public-API edit, a manual fix), so the live
 * document no longer matches the DB and the scene should be reloaded.
 */
import * as Y from 'yjs';
import { getSessionMeta, SESSION_META_KEYS } from './docLayout';

/** When the room last saved (or loaded) `sceneId`, in ms since the epoch; undefined if never. */
export function sceneLastUpdated(doc: Y.Doc, sceneId: string): number | undefined {
  const map = getSessionMeta(doc).get(SESSION_META_KEYS.lastUpdated);
  if (!(map instanceof Y.Map)) return undefined;
  const value: unknown = map.get(sceneId);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * True when the DB's timestamp for `sceneId` is newer than the room's. A
 * scene the room never saved or loaded has no timestamp and is not reported:
 * there is nothing to compare.
 */
export function checkSceneDrift(doc: Y.Doc, sceneId: string, dbTimestamp: number): boolean {
  const yjsTimestamp = sceneLastUpdated(doc, sceneId);
  return yjsTimestamp !== undefined && dbTimestamp > yjsTimestamp;
}

/** The scenes whose DB timestamp (from `fetchTimestamps`) is newer than the room's. */
export async function detectDrift(
  doc: Y.Doc,
  fetchTimestamps: () => Promise<Record<string, number>>,
): Promise<string[]> {
  const timestamps = await fetchTimestamps();
  return Object.entries(timestamps)
    .filter(([sceneId, ts]) => checkSceneDrift(doc, sceneId, ts))
    .map(([sceneId]) => sceneId);
}

/** The room's last save, as it reports it in `gameSessionMeta.save`. */
export interface SaveState {
  readonly state: 'idle' | 'saving' | 'saved' | 'failed';
  readonly at: number | undefined;
  readonly error: string | undefined;
}

export function readSaveState(doc: Y.Doc): SaveState {
  const raw: unknown = getSessionMeta(doc).get(SESSION_META_KEYS.save);
  // The room may write it as a plain object or as a Y.Map.
  const save = (raw instanceof Y.Map ? raw.toJSON() : raw) as Record<string, unknown> | undefined;
  const state = save?.state;
  return {
    state: state === 'saving' || state === 'saved' || state === 'failed' ? state : 'idle',
    at: typeof save?.at === 'number' ? save.at : undefined,
    error: typeof save?.error === 'string' ? save.error : undefined,
  };
}
