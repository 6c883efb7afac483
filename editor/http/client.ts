import { ApiError, kindOfStatus } from './errors';
import type {
  CreatedParty,
  GameSession,
  Party,
  PartyLinks,
  Role,
  SceneSummary,
  SessionLoad,
  Uploaded,
} from './types';

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  /** Base URL of the app server; `''` means this page's origin (Vite forwards `/api`). */
  readonly baseUrl?: string;
  /** The GM or player token sent as `Authorization: Bearer`. */
  readonly token?: string;
}

type Json = Record<string, unknown>;

/**
 * The typed client of the app server's HTTP API. Every method resolves with
 * the parsed body or rejects with an {@link ApiError} whose `kind` tells the
 * page what to show (unreachable server, bad link, unknown scene…).
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly token: string | undefined;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.token = options.token;
  }

  /** A client that sends `token`. */
  withToken(token: string | undefined): ApiClient {
    return new ApiClient({ baseUrl: this.baseUrl, token });
  }

  health(): Promise<{ ok: boolean }> {
    return this.request('GET', '/api/health');
  }

  createParty(name: string): Promise<CreatedParty> {
    return this.request('POST', '/api/parties', { name });
  }

  /** The parties these tokens open, with the best role held for each. */
  listParties(tokens: readonly string[]): Promise<{ parties: { party: Party; role: Role }[] }> {
    return new ApiClient({ baseUrl: this.baseUrl }).request('POST', '/api/parties/lookup', { tokens });
  }

  getParty(partyId: string): Promise<{ party: Party; gameSessions: GameSession[]; role: Role }> {
    return this.request('GET', `/api/parties/${enc(partyId)}`);
  }

  partyLinks(partyId: string): Promise<PartyLinks> {
    return this.request('GET', `/api/parties/${enc(partyId)}/links`);
  }

  /**
   * Replaces the GM or player link (GM only): the old one stops working at
   * once, in the API and in the rooms. Returns the party's current links.
   */
  rotateLink(partyId: string, role: Role): Promise<PartyLinks> {
    return this.request('POST', `/api/parties/${enc(partyId)}/links/rotate`, { role });
  }

  createGameSession(
    partyId: string,
    name: string,
  ): Promise<{ gameSession: GameSession; scenes: SceneSummary[] }> {
    return this.request('POST', `/api/parties/${enc(partyId)}/sessions`, { name });
  }

  listScenes(gameSessionId: string): Promise<{ scenes: SceneSummary[] }> {
    return this.request('GET', `/api/sessions/${enc(gameSessionId)}/scenes`);
  }

  /** What a page needs to draw `sceneId` (or the party's active / first scene) before going live. */
  loadSession(gameSessionId: string, sceneId?: string): Promise<SessionLoad> {
    const q = sceneId ? `?scene=${enc(sceneId)}` : '';
    return this.request('GET', `/api/sessions/${enc(gameSessionId)}/load${q}`);
  }

  /** sceneId → last successful save (ms), for drift detection. */
  timestamps(gameSessionId: string): Promise<Record<string, number>> {
    return this.request('GET', `/api/sessions/${enc(gameSessionId)}/timestamps`);
  }

  createScene(gameSessionId: string, name: string): Promise<{ scene: SceneSummary }> {
    return this.request('POST', `/api/sessions/${enc(gameSessionId)}/scenes`, { name });
  }

  reorderScenes(gameSessionId: string, sceneIds: readonly string[]): Promise<{ scenes: SceneSummary[] }> {
    return this.request('PUT', `/api/sessions/${enc(gameSessionId)}/scenes/order`, { sceneIds });
  }

  renameScene(sceneId: string, name: string): Promise<{ scene: SceneSummary }> {
    return this.request('PATCH', `/api/scenes/${enc(sceneId)}`, { name });
  }

  duplicateScene(sceneId: string, name?: string): Promise<{ scene: SceneSummary }> {
    return this.request('POST', `/api/scenes/${enc(sceneId)}/duplicate`, name === undefined ? {} : { name });
  }

  deleteScene(sceneId: string): Promise<void> {
    return this.request('DELETE', `/api/scenes/${enc(sceneId)}`);
  }

  /** "Reload from database": the live room replaces the scene with the stored one. */
  reloadScene(sceneId: string): Promise<{ reloaded: boolean }> {
    return this.request('POST', `/api/scenes/${enc(sceneId)}/reload`);
  }

  /**
   * Backstage mode: `hold` the TV (players keep the published state), `publish` everything or one
   * plugin's edits (`plugin`: its schema name), or `resume` live. `by` names the GM for the others.
   */
  backstage(
    gameSessionId: string,
    op: 'hold' | 'publish' | 'resume',
    extra: { by?: string; plugin?: string } = {},
  ): Promise<{ ok: boolean }> {
    return this.request('POST', `/api/sessions/${enc(gameSessionId)}/backstage`, { op, ...extra });
  }

  /** Uploads a map image (or other asset); the server checks type and size. */
  async upload(file: Blob, filename = 'upload'): Promise<Uploaded> {
    const form = new FormData();
    form.append('file', file, filename);
    return this.request('POST', '/api/uploads', form);
  }

  /** Records a picture (PNG or WebP) as the scene's thumbnail in the scene list; GM only. */
  async putThumbnail(sceneId: string, picture: Blob): Promise<{ thumbnail: string }> {
    return this.request('PUT', `/api/scenes/${enc(sceneId)}/thumbnail`, picture);
  }

  /** The game session as one JSON file (scenes, members, blobs and the files they use); GM only. */
  async exportSession(gameSessionId: string): Promise<Blob> {
    const file = await this.request<unknown>('GET', `/api/sessions/${enc(gameSessionId)}/export`);
    return new Blob([JSON.stringify(file)], { type: 'application/json' });
  }

  /**
   * Imports a session file (its text, sent as is) as a new game session of
   * the party. `ignored` lists parts this server's plugins do not know.
   */
  importSession(
    partyId: string,
    fileText: string,
  ): Promise<{ gameSession: GameSession; scenes: SceneSummary[]; ignored: string[] }> {
    return this.request('POST', `/api/parties/${enc(partyId)}/import`, fileText);
  }

  /** A string body is JSON text already (a file the person picked) and is sent unchanged. */
  private async request<T>(method: string, path: string, body?: Json | FormData | string | Blob): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body instanceof Blob) {
      headers['content-type'] = body.type || 'application/octet-stream';
      payload = body;
    } else if (typeof body === 'string') {
      headers['content-type'] = 'application/json';
      payload = body;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, { method, headers, body: payload });
    } catch (e) {
      throw new ApiError('unreachable', `The server cannot be reached (${(e as Error).message}).`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const err = (parsed ?? {}) as { error?: unknown; field?: unknown };
      const message =
        typeof err.error === 'string' ? err.error : `${method} ${path} failed with ${res.status}`;
      // Our app server always answers errors as JSON; anything else came from a proxy that could not reach it.
      const fromProxy = res.status >= 500 && typeof err.error !== 'string';
      throw new ApiError(
        fromProxy ? 'unreachable' : kindOfStatus(res.status),
        message,
        res.status,
        typeof err.field === 'string' ? err.field : undefined,
      );
    }
    return parsed as T;
  }
}

const enc = encodeURIComponent;
