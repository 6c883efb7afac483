/**
 * Which scene the game-session room shows its players: the party's active
 * scene, which lives in the party doc (partyState/room.ts), not here.
 *
 * The room learns it two ways, so neither a lost notification nor a restart
 * leaves players with the wrong scene: the party room POSTs `{action:
 * 'shown'}` to the session room whenever the active scene or game session
 * changes (a nudge — the session room then re-reads), and the session room
 * reads it at hydration. Reads go to the live party room first (the DB lags it
 * by the party room's save debounce) and fall back to the app server.
 * Overlapping reads are settled by order of start, so a slow old answer never
 * overwrites a newer one. Until anything is known the room shows nothing:
 * when in doubt players see less, never more.
 *
 * The same reads bring the party settings (what players may publish: the
 * room enforces them), and the party room nudges on their changes too;
 * until known they are all at their defaults (players may do least).
 */
import type * as Party from 'partykit/server';
import { PARTY_STATE_KEYS } from '../../engine/sync/docLayout';
import { readEnv } from '../auth';
import { fetchPartyState } from '../internalApi';

const SHOWN_KEY = 'room:shown';
const SETTINGS_KEY = 'room:partySettings';

/** What one read of the party brings. */
interface PartyRead {
  readonly sceneId: string | null;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** What the session room needs from its host: storage, the env and its sibling parties. */
export type ShownHost = Pick<Party.Room, 'storage' | 'env'> & { readonly context?: Party.Room['context'] };

/** See the module comment. */
export class ShownScene {
  private active: string | null = null;
  private partySettings: Readonly<Record<string, unknown>> = {};
  private reads = 0;
  private applied = 0;

  constructor(
    private readonly host: ShownHost,
    /** Called after the shown scene changed (the room re-projects). */
    private readonly onChange: () => void,
  ) {}

  /** True when players may receive `sceneId`. */
  readonly isShown = (sceneId: string): boolean => sceneId === this.active;

  get sceneId(): string | null {
    return this.active;
  }

  /** The party settings as last read (setting id → value; not validated here: readers use the registry). */
  get settings(): Readonly<Record<string, unknown>> {
    return this.partySettings;
  }

  /** Restores the last known value (a restarted room shows what it showed, until it re-reads). */
  async restore(): Promise<void> {
    const stored = await this.host.storage.get<string | null>(SHOWN_KEY);
    if (stored !== undefined) this.active = stored;
    this.partySettings = (await this.host.storage.get<Record<string, unknown>>(SETTINGS_KEY)) ?? {};
  }

  /** Re-reads the party's active scene; failures keep the current value (logged). */
  async refresh(partyId: string): Promise<void> {
    const ticket = ++this.reads;
    let next: PartyRead;
    try {
      next = await this.read(partyId);
    } catch (e) {
      console.warn(`shown scene of party ${partyId} not read: ${e instanceof Error ? e.message : e}`);
      return;
    }
    if (ticket < this.applied) return;
    this.applied = ticket;
    if (JSON.stringify(next.settings) !== JSON.stringify(this.partySettings)) {
      this.partySettings = next.settings;
      void this.host.storage.put(SETTINGS_KEY, next.settings).catch(() => undefined);
    }
    this.set(next.sceneId);
  }

  private set(next: string | null): void {
    if (next === this.active) return;
    this.active = next;
    void this.host.storage.put(SHOWN_KEY, next).catch(() => undefined);
    this.onChange();
  }

  private async read(partyId: string): Promise<PartyRead> {
    const live = await this.readPartyRoom(partyId).catch(() => undefined);
    if (live !== undefined) return live;
    const state = await fetchPartyState(readEnv(this.host.env), partyId);
    return { sceneId: state.activeSceneId, settings: state.settings ?? {} };
  }

  /** The party room's current value, or undefined when it cannot say (not loaded, unreachable). */
  private async readPartyRoom(partyId: string): Promise<PartyRead | undefined> {
    const stub = this.host.context?.parties?.party?.get(partyId);
    if (!stub) return undefined;
    const secret = readEnv(this.host.env).INTERNAL_SECRET;
    const res = await stub.fetch({ method: 'GET', headers: { authorization: `Bearer ${secret}` } });
    if (!res.ok) return undefined;
    const body = (await res.json()) as {
      partyState?: Record<string, unknown>;
      partySettings?: Record<string, unknown>;
      loaded?: boolean;
    };
    if (body.loaded !== true) return undefined;
    const value = body.partyState?.[PARTY_STATE_KEYS.activeSceneId];
    return { sceneId: typeof value === 'string' ? value : null, settings: body.partySettings ?? {} };
  }
}
