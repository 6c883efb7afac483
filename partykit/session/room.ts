/**
 * The game-session room: one per game session, holding the scenes doc.
 *
 * Lifecycle: `start` restores the snapshot and log from room storage (and a
 * dirty set left by a crash). The first connection (or reload) runs
 * `ensureReady` — one shared promise, so two clients connecting at once
 * never hydrate twice — which loads the session from the internal API,
 * learns the party id, and writes the scenes the snapshot lacks — and, for
 * scenes without unsaved room edits, those the DB changed or deleted since
 * the room last heard of them (a reload sent while the room was down). If that
 * load fails and there is no snapshot to serve, connections are refused with
 * a reason and the next one retries; nothing is ever saved from an
 * unhydrated room.
 *
 * Every change then flows through `beforeBroadcast`: client changes are
 * checked and repaired, the player projection follows, and the save loop
 * marks what to write to the DB.
 */
import { CORE_PRESENCE } from '../../engine/sync/presence';
import { DISPLAY_PRESENCE } from '../../engine/sync/displays';
import * as Y from 'yjs';
import type * as Party from 'partykit/server';
import type { Registry } from '../../engine/schema';
import {
  SCENE_KEYS,
  SESSION_META_KEYS,
  getSceneMap,
  getScenesList,
  getScenesMap,
  getSessionMeta,
  readGroup,
  readMemberIn,
  readSceneProps,
  sameValue,
} from '../../engine/sync/docLayout';
import { recordVersions, storedVersions, upgradeDoc } from '../../engine/sync/upgradeDoc';
import { authenticate, isInternal, readEnv, type RoomEnv } from '../auth';
import {
  CLOSE,
  EPOCH_ORIGIN,
  ROOM_ORIGIN,
  SyncRoom,
  UNAVAILABLE_REASON,
  clearUnknownRoots,
  closeWith,
  errorText,
  type RoomConnection,
} from '../core/syncRoom';
import type { InternalScene, InternalSession } from '../../engine/contract';
import { fetchLinkVersions, fetchSession } from '../internalApi';
import { LinkVersionCache, checkLink, parseLinkVersions } from '../core/linkVersions';
import { TICKET_SPENT_REASON, TicketLedger } from '../core/ticketLedger';
import {
  THUMBNAIL_URL,
  lastUpdatedMap,
  orderScenes,
  removeScene,
  writeDbScene,
  writeThumbnails,
} from './hydrate';
import { buildSceneSave } from './saveBody';
import type { RoomPlugin } from '../../engine/plugin';
import { Projector } from './projection';
import { RoomHooks } from './roomHooks';
import { PreviewFilter, type Audience } from './previewFilter';
import { pluginPresenceFields, type PresenceRoomView } from './pluginPresence';
import { ShownScene } from './shownScene';
import { encodeEntries, type AwarenessEntry } from '../core/awarenessGate';
import { encodeAwarenessMessage } from '../core/messages';
import { Reveals } from './reveals';
import { Backstage, type HoldState } from './backstage';
import { OcclusionIndex } from './occlusion';
import { DEFAULT_SAVE_TIMING, SaveLoop, toBase64, type DirtyState, type SaveTiming } from './saveLoop';
import { ChangeTracker, GM_INFO_ORIGIN, isClient } from './tracker';
import { epochRootNames, getEpochMap, readEpoch, type EpochRecord } from '../../engine/sync/epoch';
import {
  CompactionGate,
  DEFAULT_SLICES,
  EpochRotation,
  restoreEpoch,
  stateVectorRecord,
} from '../core/epochRotation';

const INFO_KEY = 'room:info';
/** No change for this long and the room counts as idle: a compaction then disturbs nobody's gesture. */
export const IDLE_MS = 1500;
const DIRTY_KEY = 'save:dirty';
/**
 * When unsaved scenes exist, an alarm this far after the first unsaved change
 * wakes the room to save them even if it crashed and nobody reconnects. Longer
 * than the save debounce's longest wait, so a live room has saved by then and
 * the alarm is a no-op. It is armed once per unsaved period, not per change:
 * re-arming on every change cost about 800 storage writes per table-hour
 * (bench metric 11).
 */
const ALARM_MS = 12_000;

interface RoomInfo {
  readonly gameSessionId: string;
  readonly partyId: string;
}

/** See the module comment. */
export class GameSessionRoom extends SyncRoom {
  private readonly tracker: ChangeTracker;
  private readonly projector: Projector;
  private readonly previews: PreviewFilter;
  private readonly saves: SaveLoop;
  private readonly shown: ShownScene;
  private readonly backstage: Backstage;
  private readonly reveals: Reveals;
  /** Room plugins that hide GM presence fields from players (`hideGmPresence`). */
  private readonly hidingPlugins: readonly RoomPlugin[];
  /** The GM presence fields players do not receive now (the shown scene's settings). */
  private gmHidden: ReadonlySet<string>;
  /** Plugin presence fields players never receive (`PluginPresence.gmOnly`). */
  private readonly gmOnlyPresence: readonly string[];
  private info: RoomInfo | undefined;
  private hasSnapshot = false;
  private hydrated = false;
  private readying: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  /** Whether a safety-net alarm is set (see ALARM_MS); an instance starts without one it knows of. */
  private alarmArmed = false;
  /** JSON of the dirty state last written ('' deleted): an edit to a part already dirty writes nothing. */
  private storedDirty: string | undefined;
  private metaShadow: Record<string, unknown> = {};
  private readonly links: LinkVersionCache;
  /** Tickets already used here: each opens one connection. */
  private readonly tickets = new TicketLedger();
  private epoch: EpochRecord = { n: 0, cut: {} };
  private epochTampered = false;
  private lastChangeAt = 0;
  private readonly compaction = new CompactionGate();
  /** Longest event-loop slice of the last document compaction, ms (reported by `status`). */
  private lastCompactionMs: number | undefined;
  /** The compaction in progress: both docs' rotations, advanced a slice per turn. */
  private rotation: { doc: EpochRotation; view: EpochRotation } | undefined;
  private rotating: Promise<void> | undefined;

  /**
   * `plugins` are the room plugins whose hooks run in this room's pipeline
   * (the generated `roomPlugins` in production; tests pass their own).
   */
  constructor(
    room: Party.Room,
    private readonly registry: Registry,
    plugins: readonly RoomPlugin[] = [],
    timing: SaveTiming = DEFAULT_SAVE_TIMING,
    /** Snapshot debounce and idle time (defaults when unset); the table benches compress them with their script. */
    private readonly snapshots: {
      readonly compactDelayMs?: number;
      readonly compactMaxDelayMs?: number;
      readonly idleMs?: number;
    } = {},
  ) {
    // Players' displays report their size (the GM frames for it): a declared, validated presence field.
    // Plugins declare their own ephemeral fields (rulers, pings); they read the room once it exists.
    const view: PresenceRoomView = {
      shownSceneId: () => null,
      partyValues: () => ({}),
      member: () => undefined,
    };
    super(room, {
      projected: true,
      compactDelayMs: snapshots.compactDelayMs,
      compactMaxDelayMs: snapshots.compactMaxDelayMs,
      presence: CORE_PRESENCE.with(DISPLAY_PRESENCE, ...pluginPresenceFields(plugins, view)),
    });
    view.shownSceneId = () => this.shown.sceneId;
    view.partyValues = (name) => registry.partyValues(name, this.shown.settings);
    // A member a GM's presence reveals is checked in the doc players are projected from (a hold's copy).
    view.member = (name, sceneId, id) => {
      const plugin = registry.plugin(name);
      const sceneMap = getSceneMap(this.backstage.source(), sceneId);
      return plugin?.attachTo === 'collection' && sceneMap
        ? readMemberIn(sceneMap, plugin, id, 'gm')
        : undefined;
    };
    this.reveals = new Reveals(plugins, view);
    const revealed = (name: string, sceneId: string, id: string) =>
      this.reveals.isRevealed(name, sceneId, id);
    const hooks = new RoomHooks(registry, plugins);
    // Pipeline order: registry repairs, then each plugin's onChange (tracker); projection with
    // projectForPlayer; previews filtered by the same verdicts; beforeSave on each save body.
    this.tracker = new ChangeTracker(this.doc, registry, (part) => hooks.afterRepair(part));
    // Players receive the shown scene only; a switch re-projects everything (writing only differences).
    this.shown = new ShownScene(room, () => {
      this.projector.projectAll(ROOM_ORIGIN);
      this.commit();
    });
    // During a backstage hold players are projected from the published copy, not the live doc.
    this.backstage = new Backstage(room.storage, registry, this.doc);
    const source = this.backstage.source;
    const occlusion = new OcclusionIndex(source, registry, plugins);
    this.projector = new Projector(
      source,
      this.viewDoc,
      registry,
      hooks,
      this.shown.isShown,
      occlusion,
      revealed,
    );
    this.previews = new PreviewFilter(
      registry,
      this.doc,
      this.viewDoc,
      hooks,
      () => this.backstage.holding,
      revealed,
      () => this.gmHidden,
    );
    this.hidingPlugins = plugins.filter((p) => p.hideGmPresence);
    this.gmOnlyPresence = plugins.filter((p) => p.presence?.gmOnly).map((p) => p.name);
    this.gmHidden = new Set(this.gmOnlyPresence);
    // A GM's hover (or its end, or the GM leaving) changes what players are shown: after the current
    // handler, so a send loop in progress is never interleaved with a new commit.
    // Only changes of clients that name members (or did) can change that: other cursors cost nothing.
    if (this.reveals.active)
      this.awareness.on(
        'change',
        ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
          if (this.reveals.concerns([...added, ...updated, ...removed], this.awareness.getStates()))
            queueMicrotask(() => this.revealChanged());
        },
      );
    this.links = new LinkVersionCache(room.storage, (partyId) => fetchLinkVersions(this.env(), partyId));
    this.saves = new SaveLoop(
      {
        env: () => this.env(),
        build: (id, d, order) => {
          const draft = buildSceneSave(this.doc, this.registry, this.gameSessionId, id, d, order);
          return draft && hooks.beforeSave(id, draft);
        },
        sceneIds: () => [...getScenesMap(this.doc).keys()],
        persist: (state) => this.persistDirty(state),
        onSaved: (id, lastUpdated) => this.onSaved(id, lastUpdated),
        onStatus: (status) => this.mutate(() => getSessionMeta(this.doc).set(SESSION_META_KEYS.save, status)),
      },
      timing,
    );
    getEpochMap(this.doc).observe((_e, tr) => {
      if (isClient(tr.origin)) this.epochTampered = true;
    });
  }

  private env(): RoomEnv {
    return readEnv(this.room.env);
  }

  private get gameSessionId(): string {
    return this.info?.gameSessionId ?? this.room.id;
  }

  /** Restores the room from storage. Idempotent. */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.info = await this.room.storage.get<RoomInfo>(INFO_KEY);
      this.hasSnapshot = await this.loadStored();
      // A stored doc may be in a later epoch than the empty one the tracker was built on.
      this.epoch = readEpoch(this.doc);
      this.tracker.rebind();
      this.upgradeStored();
      const held = await this.backstage.restore();
      if (held) upgradeDoc(held, this.registry, storedVersions(held, this.registry), ROOM_ORIGIN);
      this.metaShadow = this.metaJson();
      await this.shown.restore();
      // The stored projection may lag the stored doc by a write; rebuild the differences.
      this.projector.projectAll(ROOM_ORIGIN);
      this.commit();
      this.saves.restore(await this.room.storage.get<DirtyState>(DIRTY_KEY));
    })();
    return this.started;
  }

  /**
   * Upgrades a document stored with older plugin schema versions through the
   * declared migration steps, before validation, projection or saving look at
   * it: validation would delete a renamed key as unknown, and a save would
   * write defaults over the migrated DB. The player view follows the same way.
   */
  private upgradeStored(): void {
    const from = storedVersions(this.doc, this.registry);
    const upgraded = upgradeDoc(this.doc, this.registry, from, ROOM_ORIGIN);
    if (upgraded.length === 0) return;
    upgradeDoc(this.viewDoc, this.registry, from, ROOM_ORIGIN);
    console.log(`room ${this.label}: upgraded the stored document (${upgraded.join(', ')})`);
  }

  /** Hydrates once per room instance; concurrent callers share the same attempt, a failure is retried next time. */
  ensureReady(): Promise<void> {
    this.readying ??= this.hydrate().catch((e) => {
      this.readying = undefined;
      throw e;
    });
    return this.readying;
  }

  private async hydrate(): Promise<void> {
    await this.start();
    let session: InternalSession;
    try {
      session = await fetchSession(this.env(), this.room.id);
    } catch (e) {
      // A restored room can serve from its snapshot; scenes it lacks are loaded on a later attempt.
      if (this.hasSnapshot && this.info && this.isInitialized()) {
        console.warn(`room ${this.label}: serving from snapshot, the app server failed: ${errorText(e)}`);
        this.readying = undefined;
        return;
      }
      throw e;
    }
    const fresh = !this.isInitialized();
    const pendingDeletes = this.pendingDeletes();
    const unsaved = this.saves.dirtySceneIds();
    this.mutate(() => {
      const known = lastUpdatedMap(this.doc);
      const missing = session.scenes.filter((s) => !getSceneMap(this.doc, s.id) && !pendingDeletes.has(s.id));
      for (const scene of missing) writeDbScene(this.doc, this.registry, scene);
      // Scenes the DB changed while this room was not running (a reload it never received): the DB
      // wins unless the room holds unsaved edits of its own, which its next save will write.
      for (const scene of session.scenes)
        if (
          getSceneMap(this.doc, scene.id) &&
          !unsaved.has(scene.id) &&
          scene.lastUpdated > (known.get(scene.id) ?? 0)
        )
          writeDbScene(this.doc, this.registry, scene);
      const inDb = new Set(session.scenes.map((s) => s.id));
      for (const id of [...getScenesMap(this.doc).keys()])
        if (!inDb.has(id) && !unsaved.has(id) && known.has(id)) removeScene(this.doc, id);
      if (fresh) orderScenes(this.doc, session.scenes);
      else {
        const list = getScenesList(this.doc);
        const listed = new Set(list.toArray());
        const append = [...missing].sort((a, b) => a.sortOrder - b.sortOrder).map((s) => s.id);
        list.push(append.filter((id) => !listed.has(id)));
      }
      getSessionMeta(this.doc).set(SESSION_META_KEYS.initialized, true);
      recordVersions(this.doc, this.registry);
    });
    this.writeThumbnails(session.scenes);
    this.info = { gameSessionId: session.gameSessionId ?? this.room.id, partyId: session.partyId };
    await this.room.storage.put(INFO_KEY, this.info);
    await this.shown.refresh(session.partyId);
    this.hydrated = true;
  }

  private isInitialized(): boolean {
    return getSessionMeta(this.doc).get(SESSION_META_KEYS.initialized) === true;
  }

  private pendingDeletes(): Set<string> {
    return new Set(this.saves.pendingDeletes());
  }

  /** Accepts or refuses a new WebSocket. */
  async connect(conn: Party.Connection, ctx: Party.ConnectionContext): Promise<void> {
    const auth = await authenticate(ctx.request.url, this.room.env, 'game_session', this.room.id);
    if (!auth.ok) {
      closeWith(conn, auth.status === 401 ? CLOSE.unauthorized : CLOSE.unavailable, auth.reason);
      return;
    }
    if (!this.tickets.spend(auth.claims.jti, auth.claims.exp)) {
      closeWith(conn, CLOSE.unauthorized, TICKET_SPENT_REASON);
      return;
    }
    try {
      await this.ensureReady();
    } catch (e) {
      // The cause (which names the app server) goes to the log; the client learns only to retry.
      console.error(`room ${this.label}: loading failed: ${errorText(e)}`);
      closeWith(conn, CLOSE.unavailable, UNAVAILABLE_REASON);
      return;
    }
    if (auth.claims.partyId !== this.info?.partyId) {
      closeWith(conn, CLOSE.forbidden, 'token refused: it is for another party');
      return;
    }
    const refusal = await checkLink(this.links, auth.claims, this.info.partyId);
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
    // The last client left: save and snapshot now rather than on the timers.
    void this.saves.flush().catch((e) => console.error('flush failed', e));
    void this.compactNow().catch((e) => console.error('snapshot failed', e));
  }

  /** Room control over HTTP (internal secret): `reload`, `flush`, `links`, `shown` (the party's active scene changed) and `status`. */
  async request(req: Party.Request): Promise<Response> {
    if (!isInternal(req, this.room.env)) return json({ error: 'unauthorised' }, 401);
    if (req.method === 'GET') return json(await this.status());
    if (req.method !== 'POST') return json({ error: 'use GET or POST' }, 405);
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      return json({ error: 'body must be JSON' }, 400);
    }
    const { action, sceneIds, partyId, versions } = (body ?? {}) as Record<string, unknown>;
    if (action === 'status') return json(await this.status());
    if (action === 'links') {
      // A GM replaced a link: refuse its old version from now on and close its open sockets.
      const parsed = parseLinkVersions(versions);
      if (!parsed)
        return json({ error: 'versions must be {gm, player} positive integers', field: 'versions' }, 400);
      await this.start();
      if (this.info && partyId !== this.info.partyId)
        return json({ error: 'partyId is not this room’s party', field: 'partyId' }, 400);
      return json({ ok: true, closed: this.closeReplacedLinks(await this.links.update(parsed)) });
    }
    if (action === 'shown') {
      // The party room's nudge: its active scene changed; read it (see shownScene.ts).
      try {
        await this.ensureReady();
      } catch (e) {
        return json({ error: `room unavailable: ${errorText(e)}` }, 502);
      }
      await this.shown.refresh(this.info!.partyId);
      return json({ ok: true, shown: this.shown.sceneId });
    }
    if (action === 'backstage') return this.backstageAction(body as Record<string, unknown>);
    if (action === 'thumbnail') return this.thumbnailAction(body as Record<string, unknown>);
    if (action === 'published') {
      await this.start();
      return json(this.publishedView(body as Record<string, unknown>));
    }
    if (action === 'compact') {
      await this.ensureReady();
      await this.compactDocument();
      await this.compactNow(true);
      return json(await this.status());
    }
    if (action === 'flush') {
      await this.saves.flush();
      return json(await this.status());
    }
    if (action !== 'reload')
      return json(
        {
          error:
            'action must be "reload", "flush", "links", "shown", "backstage", "published", "thumbnail", "compact" or "status"',
          field: 'action',
        },
        400,
      );
    if (!Array.isArray(sceneIds) || !sceneIds.every((id) => typeof id === 'string'))
      return json({ error: 'sceneIds must be an array of strings', field: 'sceneIds' }, 400);
    try {
      await this.ensureReady();
      await this.reload(sceneIds as string[]);
    } catch (e) {
      return json({ error: `reload failed: ${errorText(e)}` }, 502);
    }
    return json({ ok: true, reloaded: sceneIds });
  }

  private async reload(sceneIds: readonly string[]): Promise<void> {
    const session = await fetchSession(this.env(), this.room.id);
    const byId = new Map(session.scenes.map((s) => [s.id, s]));
    this.saves.discard(sceneIds);
    this.mutate(() => {
      let changedSet = false;
      for (const id of sceneIds) {
        const scene = byId.get(id);
        if (scene) {
          changedSet ||= !getSceneMap(this.doc, id);
          writeDbScene(this.doc, this.registry, scene);
        } else if (getSceneMap(this.doc, id)) {
          removeScene(this.doc, id);
        }
      }
      if (changedSet) orderScenes(this.doc, session.scenes);
    });
    this.writeThumbnails(session.scenes.filter((s) => sceneIds.includes(s.id)));
  }

  /** GM-only scene information from the DB into the doc, as the room's own (see GM_INFO_ORIGIN). */
  private writeThumbnails(scenes: readonly Pick<InternalScene, 'id' | 'thumbnail'>[]): void {
    this.doc.transact(() => writeThumbnails(this.doc, scenes), GM_INFO_ORIGIN);
    this.commit();
  }

  /**
   * `{action: 'thumbnail', sceneId, thumbnail}`: the app server recorded a new
   * thumbnail (server/routes/thumbnails.ts); GM editors see it in the scene list.
   */
  private async thumbnailAction(body: Record<string, unknown>): Promise<Response> {
    const { sceneId, thumbnail } = body;
    if (typeof sceneId !== 'string')
      return json({ error: 'sceneId must be a string', field: 'sceneId' }, 400);
    if (typeof thumbnail !== 'string' || !THUMBNAIL_URL.test(thumbnail))
      return json({ error: 'thumbnail must be an /uploads/ URL of a PNG or WebP', field: 'thumbnail' }, 400);
    try {
      await this.ensureReady();
    } catch (e) {
      return json({ error: `room unavailable: ${errorText(e)}` }, 502);
    }
    if (!getSceneMap(this.doc, sceneId)) return json({ error: `no scene ${sceneId} in this room` }, 404);
    this.writeThumbnails([{ id: sceneId, thumbnail }]);
    return json({ ok: true });
  }

  async alarm(): Promise<void> {
    this.alarmArmed = false;
    await this.start();
    await this.saves.flush();
    if (this.saves.pending) this.armAlarm();
  }

  private armAlarm(): void {
    if (this.alarmArmed) return;
    this.alarmArmed = true;
    void this.room.storage.setAlarm(Date.now() + ALARM_MS).catch(() => {
      this.alarmArmed = false;
    });
  }

  private async status(): Promise<Record<string, unknown>> {
    return {
      gameSessionId: this.gameSessionId,
      partyId: this.info?.partyId ?? null,
      hydrated: this.hydrated,
      connections: this.conns.size,
      stateBytes: this.stateBytes(),
      epoch: this.epoch.n,
      lastCompactionMs: this.lastCompactionMs ?? null,
      viewStateBytes: Y.encodeStateAsUpdateV2(this.viewDoc).byteLength,
      pendingSave: this.saves.pending,
      shownSceneId: this.shown.sceneId,
      backstage: this.backstage.hold ?? null,
      scenes: getScenesList(this.doc).toArray(),
    };
  }

  /** Awareness goes out with the gesture previews each connection may see (see previewFilter.ts). */
  protected override send(c: RoomConnection, message: Uint8Array): void {
    super.send(c, this.previews.outgoing(message, this.presenceAudience(c)));
  }

  /** GMs and players see different presence (previewFilter.ts); per-tick deltas are built per audience. */
  protected override presenceAudience(c: RoomConnection): Audience {
    return c.writable ? 'gm' : 'player';
  }

  protected override presenceView(
    audience: string,
    state: Readonly<Record<string, unknown>>,
  ): Readonly<Record<string, unknown>> {
    return this.previews.stateFor(state, audience === 'gm' ? 'gm' : 'player');
  }

  protected beforeBroadcast(): void {
    this.doc.transact(() => {
      this.tracker.runChecks();
      clearUnknownRoots(this.doc, this.allowedRoots());
      if (this.epochTampered) restoreEpoch(this.doc, this.epoch);
      this.epochTampered = false;
      if (this.tracker.takeMetaTampered()) this.restoreMeta();
    }, ROOM_ORIGIN);
    const viewChanges = this.tracker.takeViewChanges();
    // During a hold players keep the published state: live changes only mark what is unpublished.
    if (this.backstage.note(viewChanges)) this.doc.transact(() => this.writeHoldMeta(), ROOM_ORIGIN);
    this.metaShadow = this.metaJson();
    this.lastChangeAt = Date.now();
    const saveChanges = this.tracker.takeSaveChanges();
    // Nothing from an unhydrated room reaches the DB (it would save empty scenes over real ones).
    if (this.info) this.saves.add(saveChanges);
    if (!this.backstage.holding) this.projector.project(viewChanges, ROOM_ORIGIN);
    // A revealed member deleted or no longer revealable, another scene shown: players follow.
    this.projector.reproject(this.reveals.refresh(this.awareness.getStates()), ROOM_ORIGIN);
    this.updateGmHidden();
  }

  /**
   * Reads which GM presence fields players may not receive in the shown
   * scene (`hideGmPresence`: GM cursors off for the TV). Fields newly hidden
   * are withdrawn at once: players receive a removal of each GM state that
   * carries one (the same clock, which y-protocols applies as a removal), and
   * the GM's next update arrives without them.
   */
  private updateGmHidden(): void {
    if (!this.hidingPlugins.length) return;
    const next = new Set<string>(this.gmOnlyPresence);
    const sceneId = this.shown.sceneId;
    const sceneMap = sceneId ? getSceneMap(this.backstage.source(), sceneId) : undefined;
    for (const room of sceneMap ? this.hidingPlugins : []) {
      const plugin = this.registry.plugin(room.name);
      if (plugin?.attachTo !== 'scene') continue;
      try {
        for (const field of room.hideGmPresence!(readGroup(sceneMap!, plugin, 'gm'))) next.add(field);
      } catch (e) {
        console.error(`room plugin "${room.name}": hideGmPresence threw; the room carries on without it`, e);
      }
    }
    const added = [...next].filter((f) => !this.gmHidden.has(f));
    this.gmHidden = next;
    if (added.length) this.withdrawFromPlayers(added);
  }

  private withdrawFromPlayers(fields: readonly string[]): void {
    const entries: AwarenessEntry[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      if ((state.user as { role?: unknown } | undefined)?.role !== 'gm') continue;
      if (!fields.some((f) => f in state)) continue;
      entries.push({ clientId, clock: this.awareness.meta.get(clientId)?.clock ?? 0, state: 'null' });
    }
    if (!entries.length) return;
    const message = encodeAwarenessMessage(encodeEntries(entries));
    for (const c of this.conns.values()) if (!c.writable) this.send(c, message);
    this.forgetSentPresence(
      'player',
      entries.map((e) => e.clientId),
    );
  }

  /** Presence changed: project the members whose revealed state changed (see reveals.ts). */
  private revealChanged(): void {
    const changed = this.reveals.refresh(this.awareness.getStates());
    if (!changed.length) return;
    this.projector.reproject(changed, ROOM_ORIGIN);
    this.commit();
  }

  /** Writes the hold (or its absence) where GMs read it; players never receive it (projection.ts). */
  private writeHoldMeta(): void {
    const meta = getSessionMeta(this.doc);
    const hold = this.backstage.hold;
    if (!hold) {
      if (meta.has(SESSION_META_KEYS.backstage)) meta.delete(SESSION_META_KEYS.backstage);
    } else if (!sameValue(meta.get(SESSION_META_KEYS.backstage), hold))
      meta.set(SESSION_META_KEYS.backstage, { ...hold, pending: [...hold.pending] });
  }

  /**
   * `{action: 'backstage', op: 'hold' | 'publish' | 'resume', by?, plugin?}` (see backstage.ts):
   * hold the TV, publish everything or one plugin (`plugin`: its schema name), or resume live.
   */
  private async backstageAction(body: Record<string, unknown>): Promise<Response> {
    const { op, by, plugin } = body;
    if (op !== 'hold' && op !== 'publish' && op !== 'resume')
      return json({ error: 'op must be "hold", "publish" or "resume"', field: 'op' }, 400);
    if (by !== undefined && (typeof by !== 'string' || by.length > 80))
      return json({ error: 'by must be a name of at most 80 characters', field: 'by' }, 400);
    if (plugin !== undefined && (typeof plugin !== 'string' || !this.registry.plugin(plugin)))
      return json({ error: 'plugin must name a plugin of the registry', field: 'plugin' }, 400);
    try {
      await this.ensureReady();
    } catch (e) {
      return json({ error: `room unavailable: ${errorText(e)}` }, 502);
    }
    if (op !== 'hold' && !this.backstage.holding)
      return json({ error: 'the TV is not held: there is nothing to publish', field: 'op' }, 409);
    if (op === 'hold') this.backstage.start(typeof by === 'string' && by.trim() ? by.trim() : 'A GM');
    else if (op === 'resume') this.backstage.resume();
    else if (typeof plugin === 'string') this.backstage.publishPlugin(plugin);
    else this.backstage.publishAll();
    // Players get what is now published (only differences are written), GMs the new hold state.
    if (op !== 'hold') this.projector.projectAll(ROOM_ORIGIN);
    this.mutate(() => this.writeHoldMeta());
    await this.backstage.settled();
    return json({ ok: true, backstage: this.backstage.hold ?? null });
  }

  /**
   * What players see of `sceneId` (the player HTTP load during a hold): the projection's scene as
   * props and blobs, or `scene: null` when players are shown no such scene.
   */
  private publishedView(body: Record<string, unknown>): Record<string, unknown> {
    const hold: HoldState | undefined = this.backstage.hold;
    if (!hold) return { holding: false };
    const sceneId = typeof body.sceneId === 'string' ? body.sceneId : '';
    const scene = getSceneMap(this.viewDoc, sceneId);
    if (!scene) return { holding: true, scene: null };
    const blobs = scene.get(SCENE_KEYS.blobs);
    return {
      holding: true,
      scene: {
        name:
          scene.get(SCENE_KEYS.meta) instanceof Y.Map
            ? (scene.get(SCENE_KEYS.meta) as Y.Map<unknown>).get('name')
            : undefined,
        props: readSceneProps(scene, this.registry, 'player'),
        blobs: Object.fromEntries(
          blobs instanceof Y.Map
            ? [...(blobs as Y.Map<unknown>).entries()].flatMap(([k, v]) =>
                v instanceof Uint8Array ? [[k, toBase64(v)]] : [],
              )
            : [],
        ),
      },
    };
  }

  /** The roots that may hold data: the epoch's, and both epochs' while a compaction moves between them. */
  private allowedRoots(): Set<string> {
    const names = epochRootNames(this.epoch.n);
    for (const name of this.rotation?.doc.rootNames() ?? []) names.add(name);
    return names;
  }

  /**
   * Before each snapshot: when the state has outgrown the live data (see
   * CompactionGate), rebuild the document under a new epoch first, and then
   * snapshot whether or not the log is due, so storage holds the compact
   * state. The old snapshot and log stay valid until that snapshot's head is
   * written (docStore.ts).
   */
  protected override async compactNow(force = false): Promise<void> {
    const idle = Date.now() - this.lastChangeAt >= (this.snapshots.idleMs ?? IDLE_MS);
    let rotated = false;
    if (!this.rotating && (await this.compaction.shouldCompact(this.doc, idle, nextTurn))) {
      await this.compactDocument();
      rotated = true;
    }
    await super.compactNow(force || rotated);
  }

  /**
   * Moves both docs to the next epoch (engine/sync/epoch.ts) in slices, one
   * per event-loop turn, each committed like any change (EpochRotation):
   * current values copied into fresh roots, the switch — GMs and players
   * follow without reconnecting — then the old roots emptied. One at a time;
   * a second call joins the running one.
   */
  compactDocument(): Promise<void> {
    this.rotating ??= this.rotateInSlices().finally(() => {
      this.rotating = undefined;
    });
    return this.rotating;
  }

  private async rotateInSlices(): Promise<void> {
    const doc = new EpochRotation(this.doc, EPOCH_ORIGIN);
    const view = new EpochRotation(this.viewDoc, EPOCH_ORIGIN);
    this.rotation = { doc, view };
    // workerd has no performance.now, and its clock does not advance during synchronous work: these
    // figures are lower bounds there; bench metric 4 times the same slices in Node.
    let longest = 0;
    let slices = 0;
    const started = Date.now();
    const slice = (work: () => void) => {
      const t0 = Date.now();
      work();
      this.commit();
      longest = Math.max(longest, Date.now() - t0);
      slices++;
    };
    try {
      while (!(doc.copied && view.copied)) {
        slice(() => {
          doc.copyStep(DEFAULT_SLICES.copy);
          view.copyStep(DEFAULT_SLICES.copy);
        });
        await nextTurn();
        if (doc.tampered) {
          // A client wrote into the next epoch's roots: give up; the roots are cleared as unknown ones.
          console.warn(`room ${this.label}: compaction abandoned: a client wrote into the next epoch`);
          return;
        }
      }
      slice(() => {
        this.epoch = doc.switchEpoch(stateVectorRecord(this.doc));
        view.switchEpoch(stateVectorRecord(this.viewDoc));
        this.tracker.rebind();
      });
      while (!(doc.cleared && view.cleared)) {
        await nextTurn();
        slice(() => {
          doc.clearStep(DEFAULT_SLICES.clear);
          view.clearStep(DEFAULT_SLICES.clear);
        });
      }
    } finally {
      doc.dispose();
      view.dispose();
      this.rotation = undefined;
      // Whatever a client left in a root no longer allowed goes now (see clearUnknownRoots).
      this.commit();
    }
    this.lastCompactionMs = longest;
    console.log(
      `room ${this.label}: compacted to epoch ${this.epoch.n} in ${slices} slices over ${Date.now() - started} ms (longest ${longest} ms)`,
    );
  }

  private metaJson(): Record<string, unknown> {
    return getSessionMeta(this.doc).toJSON() as Record<string, unknown>;
  }

  /** Puts `gameSessionMeta` back to what the room wrote (clients may not write it). */
  private restoreMeta(): void {
    const meta = getSessionMeta(this.doc);
    const shadow = this.metaShadow;
    for (const key of [...meta.keys()]) if (!(key in shadow)) meta.delete(key);
    for (const [key, value] of Object.entries(shadow)) {
      if (key === SESSION_META_KEYS.lastUpdated) {
        const map = lastUpdatedMap(this.doc);
        const want = (value ?? {}) as Record<string, unknown>;
        for (const k of [...map.keys()]) if (!(k in want)) map.delete(k);
        for (const [k, v] of Object.entries(want)) if (map.get(k) !== v) map.set(k, v as number);
      } else if (!sameValue(meta.get(key), value)) meta.set(key, value);
    }
  }

  private persistDirty(state: DirtyState): void {
    const empty = !Object.keys(state.scenes).length && !state.order;
    const json = empty ? '' : JSON.stringify(state);
    if (json !== this.storedDirty) {
      this.storedDirty = json;
      void (empty ? this.room.storage.delete(DIRTY_KEY) : this.room.storage.put(DIRTY_KEY, state)).catch(
        (e) => {
          this.storedDirty = undefined; // unknown now: the next change writes again
          console.error('persisting dirty scenes failed', e);
        },
      );
    }
    // A safety net for a room that crashes with nobody reconnecting: the alarm wakes it to save.
    if (!empty) this.armAlarm();
  }

  private onSaved(sceneId: string, lastUpdated: number | undefined): void {
    this.mutate(() => {
      if (lastUpdated === undefined) lastUpdatedMap(this.doc).delete(sceneId);
      else lastUpdatedMap(this.doc).set(sceneId, lastUpdated);
    });
  }
}

/** Lets other events (clients' messages) run between two slices of a compaction. */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
