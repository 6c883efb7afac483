/**
 * The app server's internal API as the rooms call it (shapes in
 * `engine/contract`): session load, scene save / delete, party state. Every
 * call has a timeout, and failures come back as {@link InternalApiError}
 * carrying the HTTP status (0 for network errors) so callers can tell
 * "retry later" from "the request itself is wrong".
 */
import type { LinkVersions } from '../engine/auth';
import type { InternalPartyState, InternalSession, SceneSaveBody } from '../engine/contract';
import type { RoomEnv } from './auth';

/** A failed internal call: `status` 0 means the app server could not be reached. */
export class InternalApiError extends Error {
  override name = 'InternalApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  /** Worth retrying: network errors, timeouts, 5xx, 429. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

const TIMEOUT_MS = 10_000;

async function call<T>(env: RoomEnv, method: string, path: string, body?: unknown): Promise<T | undefined> {
  let res: Response;
  try {
    res = await fetch(`${env.APP_URL}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${env.INTERNAL_SECRET}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    // No address in the message: it reaches the GM's save status in the document.
    throw new InternalApiError(0, `app server unreachable: ${e instanceof Error ? e.message : e}`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok)
    throw new InternalApiError(res.status, `${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new InternalApiError(
      502,
      `${method} ${path}: the app server answered with something that is not JSON`,
    );
  }
}

const enc = encodeURIComponent;

export async function fetchSession(env: RoomEnv, gameSessionId: string): Promise<InternalSession> {
  const session = await call<InternalSession>(env, 'GET', `/internal/sessions/${enc(gameSessionId)}`);
  if (!session || typeof session.partyId !== 'string' || !Array.isArray(session.scenes))
    throw new InternalApiError(502, 'the app server returned a session without partyId or scenes');
  return session;
}

/** Saves scene parts; returns the DB's new `lastUpdated`. */
export async function saveScene(env: RoomEnv, sceneId: string, body: SceneSaveBody): Promise<number> {
  const res = await call<{ lastUpdated?: number }>(env, 'PUT', `/internal/scenes/${enc(sceneId)}`, body);
  return typeof res?.lastUpdated === 'number' ? res.lastUpdated : body.savedAt;
}

/** Deletes a scene; an already-deleted scene counts as done. */
export async function deleteScene(env: RoomEnv, sceneId: string): Promise<void> {
  try {
    await call(env, 'DELETE', `/internal/scenes/${enc(sceneId)}`);
  } catch (e) {
    if (e instanceof InternalApiError && e.status === 404) return;
    throw e;
  }
}

export async function fetchPartyState(env: RoomEnv, partyId: string): Promise<InternalPartyState> {
  const state = await call<InternalPartyState>(env, 'GET', `/internal/parties/${enc(partyId)}`);
  if (!state) throw new InternalApiError(502, 'the app server returned no party state');
  return state;
}

export async function savePartyState(
  env: RoomEnv,
  partyId: string,
  state: InternalPartyState,
): Promise<void> {
  await call(env, 'PUT', `/internal/parties/${enc(partyId)}`, state);
}

/** The link versions a party accepts now (tokens of older versions were replaced). */
export async function fetchLinkVersions(env: RoomEnv, partyId: string): Promise<LinkVersions> {
  const v = await call<LinkVersions>(env, 'GET', `/internal/parties/${enc(partyId)}/links`);
  if (!v || !Number.isSafeInteger(v.gm) || !Number.isSafeInteger(v.player))
    throw new InternalApiError(502, 'the app server returned no link versions');
  return { gm: v.gm, player: v.player };
}
