import { PartyDataManager, ticketsFromApp } from '../../engine/sync';
import { tokenProblem, tokenStore, type ApiClient, type Role, type SessionLoad } from '../http';
import { SessionStore } from '../state/session-store';
import { localUser } from '../state/user';
import type { ProblemKind } from '../components/error-screen';
import { problemOf } from '../components/error-screen';

/** A page's loading outcome: ready data, or a problem to show. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; kind: ProblemKind; detail: string };

const TOKEN_PROBLEM: Record<string, { kind: ProblemKind; detail: string }> = {
  missing: { kind: 'bad-link', detail: 'The link has no token.' },
  malformed: { kind: 'bad-link', detail: 'The token in the link is damaged.' },
  expired: { kind: 'expired', detail: 'The token in the link has expired.' },
  'wrong-party': { kind: 'unauthorized', detail: 'The token in the link is for another party.' },
  'wrong-role': { kind: 'wrong-role', detail: '' },
};

/**
 * The token a page uses for `partyId`: the link's own (remembered for later
 * visits) or one this browser kept. Checked for shape, expiry, party and
 * role before any request, so a bad link gets its own message.
 */
export function resolveToken(partyId: string, linkToken: string | undefined, role: Role): Loaded<string> {
  if (linkToken) tokenStore.remember(linkToken);
  const token = linkToken ?? tokenStore.get(partyId)[role];
  const problem = tokenProblem(token, partyId, [role]);
  if (problem) return { ok: false, ...TOKEN_PROBLEM[problem]! };
  return { ok: true, value: token! };
}

/** Loads a session for a page; API failures become problems a person can act on. */
export async function loadSession(
  api: ApiClient,
  gameSessionId: string,
  sceneId?: string,
): Promise<Loaded<SessionLoad>> {
  try {
    return { ok: true, value: await api.loadSession(gameSessionId, sceneId) };
  } catch (e) {
    return { ok: false, ...problemOf(e) };
  }
}

/**
 * Connects to a loaded game session as this browser's user and wraps the
 * connection in a SessionStore that shows the loaded scene at once.
 * `reloadScene` (GM only) is how "reload from database" reaches the server.
 */
export function connectSession(
  partyId: string,
  load: SessionLoad,
  token: string,
  role: Role,
  reloadScene?: (sceneId: string) => Promise<void>,
): SessionStore {
  const user = localUser(role);
  // The token stays in this page: each connection fetches a one-use room ticket with it (same origin).
  const manager = new PartyDataManager(
    partyId,
    user.id,
    load.gameSession.id,
    load.partykitHost,
    ticketsFromApp('', token),
    {
      name: user.name,
      color: user.color,
      view: role,
      ...(reloadScene ? { reloadScene } : {}),
    },
  );
  return new SessionStore(manager, {
    sceneId: load.sceneId,
    props: load.props,
    blobs: load.blobs,
    scenes: load.scenes,
    party: {
      activeGameSessionId: load.party.activeGameSessionId,
      activeSceneId: load.party.activeSceneId,
      paused: load.party.paused,
    },
  });
}
