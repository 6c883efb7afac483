/**
 * The party doc's `partyState`: which game session and scene the players'
 * display shows, and whether it is paused. GMs write it; players only read.
 */
import type * as Y from 'yjs';
import { readPartySettings, type Registry } from '../schema';
import { getPartySettingsMap, getPartyState, PARTY_STATE_KEYS } from './docLayout';

export interface PartyState {
  readonly activeGameSessionId: string | null;
  readonly activeSceneId: string | null;
  readonly paused: boolean;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function readPartyState(doc: Y.Doc): PartyState {
  const map = getPartyState(doc);
  return {
    activeGameSessionId: str(map.get(PARTY_STATE_KEYS.activeGameSessionId)),
    activeSceneId: str(map.get(PARTY_STATE_KEYS.activeSceneId)),
    paused: map.get(PARTY_STATE_KEYS.paused) === true,
  };
}

/** Writes the given fields (others untouched) in one transaction; unchanged fields are not rewritten. */
export function writePartyState(doc: Y.Doc, patch: Partial<PartyState>, origin?: unknown): void {
  const map = getPartyState(doc);
  for (const [key, value] of Object.entries(patch)) {
    if (!Object.hasOwn(PARTY_STATE_KEYS, key))
      throw new Error(`unknown party state field ${JSON.stringify(key)}`);
    const ok = key === 'paused' ? typeof value === 'boolean' : value === null || typeof value === 'string';
    if (!ok) throw new Error(`party state ${key}: invalid value ${JSON.stringify(value)}`);
  }
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) if (map.get(key) !== value) map.set(key, value);
  }, origin);
}

/** Subscribes to party state and party settings changes; returns the unsubscribe function. */
export function observePartyState(doc: Y.Doc, fn: () => void): () => void {
  const maps = [getPartyState(doc), getPartySettingsMap(doc)];
  const handler = () => fn();
  for (const map of maps) map.observe(handler);
  return () => {
    for (const map of maps) map.unobserve(handler);
  };
}

/** The party settings the party doc holds (known and valid only; absent ones read as their defaults). */
export function readPartySettingsOf(doc: Y.Doc, registry: Registry): Record<string, unknown> {
  return readPartySettings(registry, getPartySettingsMap(doc).toJSON());
}

/** Writes one party setting, validated by the registry (a bad value throws, nothing written). */
export function writePartySetting(
  doc: Y.Doc,
  registry: Registry,
  id: string,
  value: unknown,
  origin?: unknown,
): void {
  const checked = registry.validatePartySetting(id, value);
  if (!checked.ok) throw new Error(checked.reason);
  const map = getPartySettingsMap(doc);
  if (JSON.stringify(map.get(id)) !== JSON.stringify(checked.value))
    doc.transact(() => map.set(id, checked.value), origin);
}
