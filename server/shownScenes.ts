import type { Role } from '../engine/auth';

/**
 * The scenes a role may learn of: GMs see every scene of a session, players
 * only the party's active scene (what the TV shows) — no names, ids or
 * contents of scenes being prepared. Mirrors the rooms' player projection
 * (partykit/session/shownScene.ts) for the HTTP endpoints.
 */
export function scenesForRole<T extends { readonly id: string }>(
  rows: readonly T[],
  activeSceneId: string | null,
  role: Role,
): T[] {
  return role === 'gm' ? [...rows] : rows.filter((r) => r.id === activeSceneId);
}
