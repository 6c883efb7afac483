/**
 * The party room: one per party, holding `partyState` (active game session,
 * active scene, paused) and `partySettings` (the plugins' party settings,
 * checked against the registry). Nothing in it is GM-only, so players sync with the
 * same doc, read-only. GM changes are validated (unknown keys removed, bad
 * values reverted) and saved through `PUT /internal/parties/:id` on a short
 * debounce, with retries; the first use loads the state from the app server.
 */
import type * as Party from 'partykit/server';
import { isEntityId, readPartySettings, type Registry } from '../../engine/schema';
import { PARTY_STATE_KEYS, getPartySettingsMap, getPartyState } from '../../engine/sync/docLayout';
import { authenticate, isInternal, readEnv } from '../auth';
import {
  CLOSE,
  ROOM_ORIGIN,
  SyncRoom,
  UNAVAILABLE_REASON,
  clearUnknownRoots,
  closeWith,
  errorText,
} from '../core/syncRoom';
import type { InternalPartyState } from '../../engine/contract';
import { InternalApiError, fetchLinkVersions, fetchPartyState, savePartyState } from '../internalApi';
import { LinkVersionCache, checkLink, parseLinkVersions } from '../core/linkVersions';
import { TICKET_SPENT_REASON, TicketLedger } from '../core/ticketLedger';
import { isClient } from '../session/tracker';
import { ShownNotifier } from './shownNotifier';

const INFO_KEY = 'room:party';
const ROOTS = new Set(['partyState', 'partySettings']);
const DIRTY_KEY = 'save:party';
/** How many times a save waiting for its active scene to reach the DB is retried (backoff up to 8 s: about a minute). */
const CONFLICT_RETRIES = 10;

type Check = (value: unknown) => boolean;
const idOrNull: Check = (v) => v === null || isEntityId(v);
const RULES: Record<string, Check> = {
  [PARTY_STATE_KEYS.activeGameSessionId]: idOrNull,
  [PARTY_STATE_KEYS.activeSceneId]: idOrNull,
  [PARTY_STATE_KEYS.paused]: (v) => typeof v === 'boolean',
};

/** See the module comment. */
export class PartyRoom extends SyncRoom {
  private checks: Array<{ key: string; previous: unknown }> = [];
  private settingChecks: Array<{ key: string; previous: unknown }> = [];
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private loaded = false;
  private readying: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  private readonly links: LinkVersionCache;
  /** Tickets already used here: each opens one connection. */
  private readonly tickets = new TicketLedger();
  private readonly shown: ShownNotifier;

  constructor(
    room: Party.Room,
    private readonly registry: Registry,
  ) {
    super(room, { projected: false });
    this.links = new LinkVersionCache(room.storage, (partyId) =>
      fetchLinkVersions(readEnv(this.room.env), partyId),
    );
    this.shown = new ShownNotifier(room);
    getPartyState(this.doc).observe((event, tr) => {
      if (!isClient(tr.origin)) return;
      for (const [key, change] of event.changes.keys) this.checks.push({ key, previous: change.oldValue });
      this.dirty = true;
    });
    getPartySettingsMap(this.doc).observe((event, tr) => {
      if (!isClient(tr.origin)) return;
      for (const [key, change] of event.changes.keys)
        this.settingChecks.push({ key, previous: change.oldValue });
      this.dirty = true;
    });
  }

  /** The party settings the document holds now, known and valid only. */
  private settings(): Record<string, unknown> {
    return readPartySettings(this.registry, getPartySettingsMap(this.doc).toJSON());
  }

  start(): Promise<void> {
    this.started ??= (async () => {
      await this.loadStored();
      this.loaded = (await this.room.storage.get<boolean>(INFO_KEY)) === true;
      if ((await this.room.storage.get<boolean>(DIRTY_KEY)) === true) {
        this.dirty = true;
        this.schedule(0);
      }
    })();
    return this.started;
  }

  ensureReady(): Promise<void> {
    this.readying ??= this.hydrate().catch((e) => {
      this.readying = undefined;
      throw e;
    });
    return this.readying;
  }

  private async hydrate(): Promise<void> {
    await this.start();
    if (this.loaded) return;
    const state = await fetchPartyState(readEnv(this.room.env), this.room.id);
    this.mutate(() => {
      const map = getPartyState(this.doc);
      for (const key of Object.keys(RULES)) {
        const value = (state as unknown as Record<string, unknown>)[key];
        const ok = RULES[key]!(value ?? null);
        map.set(key, ok ? (value ?? null) : key === PARTY_STATE_KEYS.paused ? false : null);
      }
      const settings = getPartySettingsMap(this.doc);
      for (const [id, value] of Object.entries(readPartySettings(this.registry, state.settings)))
        settings.set(id, value);
    });
    this.loaded = true;
    await this.room.storage.put(INFO_KEY, true);
  }

  async connect(conn: Party.Connection, ctx: Party.ConnectionContext): Promise<void> {
    const auth = await authenticate(ctx.request.url, this.room.env, 'party', this.room.id);
    if (!auth.ok) {
      closeWith(conn, auth.status === 401 ? CLOSE.unauthorized : CLOSE.unavailable, auth.reason);
      return;
    }
    if (!this.tickets.spend(auth.claims.jti, auth.claims.exp)) {
      closeWith(conn, CLOSE.unauthorized, TICKET_SPENT_REASON);
      return;
    }
    if (auth.claims.partyId !== this.room.id) {
      closeWith(conn, CLOSE.forbidden, 'token refused: it is for another party');
      return;
    }
    try {
      await this.ensureReady();
    } catch (e) {
      // The cause (which names the app server) goes to the log; the client learns only to retry.
      console.error(`party ${this.room.id}: loading failed: ${errorText(e)}`);
      closeWith(conn, CLOSE.unavailable, UNAVAILABLE_REASON);
      return;
    }
    const refusal = await checkLink(this.links, auth.claims, this.room.id);
    if (refusal) {
      closeWith(conn, refusal.code, refusal.reason);
      return;
    }
    this.addConnection(conn, auth.claims);
  }

  message(conn: Party.Connection, frame: string | ArrayBuffer | ArrayBufferView): void {
    this.handleFrame(conn, frame);
  }

  close(conn: Party.Connection): void {
    this.removeConnection(conn);
    this.onConnectionsChanged();
  }

  protected override onConnectionsChanged(): void {
    if (this.conns.size > 0) return;
    void this.save();
    void this.compactNow().catch((e) => console.error('snapshot failed', e));
  }

  async request(req: Party.Request): Promise<Response> {
    if (!isInternal(req, this.room.env)) return new Response('unauthorised', { status: 401 });
    await this.start();
    if (req.method === 'POST') {
      // `links`: a GM replaced a link; refuse its old version from now on and close its open sockets.
      const body = (await req.json().catch(() => null)) as Record<string, unknown> | null;
      const versions = parseLinkVersions(body?.versions);
      if (body?.action !== 'links' || !versions || body.partyId !== this.room.id)
        return new Response('expected {action: "links", partyId, versions: {gm, player}}', { status: 400 });
      const closed = this.closeReplacedLinks(await this.links.update(versions));
      return new Response(JSON.stringify({ ok: true, closed }), {
        headers: { 'content-type': 'application/json' },
      });
    }
    // Game-session rooms read the shown scene here; a party room that cannot load says so (`loaded`).
    await this.ensureReady().catch(() => this.start());
    return new Response(
      JSON.stringify({
        partyState: getPartyState(this.doc).toJSON(),
        partySettings: this.settings(),
        dirty: this.dirty,
        loaded: this.loaded,
        connections: this.conns.size,
      }),
      { headers: { 'content-type': 'application/json' } },
    );
  }

  async alarm(): Promise<void> {
    await this.start();
    await this.save();
  }

  protected beforeBroadcast(): void {
    const checks = this.checks;
    this.checks = [];
    const settingChecks = this.settingChecks;
    this.settingChecks = [];
    this.doc.transact(() => {
      clearUnknownRoots(this.doc, ROOTS);
      if (checks.length) {
        const map = getPartyState(this.doc);
        for (const { key, previous } of checks) {
          if (!map.has(key)) continue;
          const rule = RULES[key];
          if (!rule) map.delete(key);
          else if (!rule(map.get(key))) {
            if (previous !== undefined && rule(previous)) map.set(key, previous);
            else map.delete(key);
          }
        }
      }
      // A setting must be known and valid: otherwise its previous value comes back (or its default).
      const settings = getPartySettingsMap(this.doc);
      for (const { key, previous } of settingChecks) {
        if (!settings.has(key)) continue;
        const checked = this.registry.validatePartySetting(key, settings.get(key));
        if (checked.ok) continue;
        if (previous !== undefined && this.registry.validatePartySetting(key, previous).ok)
          settings.set(key, previous);
        else settings.delete(key);
      }
    }, ROOM_ORIGIN);
    if (this.loaded) this.shown.check(getPartyState(this.doc), this.settings());
    if (this.dirty) {
      void this.room.storage.put(DIRTY_KEY, true).catch(() => undefined);
      this.schedule();
    }
  }

  private schedule(delay = 1000): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(), delay);
  }

  private async save(): Promise<void> {
    if (!this.dirty || !this.loaded) return;
    clearTimeout(this.timer);
    this.dirty = false;
    const map = getPartyState(this.doc);
    const state: InternalPartyState = {
      partyId: this.room.id,
      activeGameSessionId: (map.get(PARTY_STATE_KEYS.activeGameSessionId) as string | null) ?? null,
      activeSceneId: (map.get(PARTY_STATE_KEYS.activeSceneId) as string | null) ?? null,
      paused: map.get(PARTY_STATE_KEYS.paused) === true,
      settings: this.settings(),
    };
    try {
      await savePartyState(readEnv(this.room.env), this.room.id, state);
      this.failures = 0;
      if (!this.dirty) await this.room.storage.delete(DIRTY_KEY);
    } catch (e) {
      // 409: the active scene is not in the DB yet (its game-session room saves it within seconds); retry a while.
      const sceneNotSavedYet =
        e instanceof InternalApiError && e.status === 409 && this.failures < CONFLICT_RETRIES;
      if (e instanceof InternalApiError && !e.retryable && !sceneNotSavedYet) {
        console.error(`party state save refused: ${e.message}`);
        return;
      }
      this.dirty = true;
      this.failures++;
      this.schedule(Math.min(8000, 500 * 2 ** (this.failures - 1)));
    }
  }
}
