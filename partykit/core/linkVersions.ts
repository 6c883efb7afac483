/**
 * The link versions of a room's party (see engine/auth/tokens.ts): a token
 * whose version is older than its role's was replaced and is refused. The
 * room learns them from the app server's internal API and keeps them a few
 * seconds, so a burst of connections costs one call; the app server pushes
 * new versions when a GM replaces a link, so the cache is only the fallback
 * for a push that did not arrive. Versions only ever grow: a late answer
 * cannot undo a newer push. The last known versions are stored, so a room
 * whose app server is down still refuses replaced links; with none known
 * it refuses to guess (the caller answers "unavailable", the client retries).
 */
import type * as Party from 'partykit/server';
import { isCurrentLink, type LinkVersions, type TokenClaims } from '../../engine/auth';
import { CLOSE, LINK_REPLACED_REASON, UNAVAILABLE_REASON } from './close';

const STORAGE_KEY = 'links:versions';
/** How long fetched versions are trusted without asking again. */
export const LINK_VERSIONS_TTL_MS = 5000;

export class LinkVersionCache {
  #versions: LinkVersions | undefined;
  #fetchedAt = -Infinity;
  #inflight: Promise<LinkVersions> | undefined;

  constructor(
    private readonly storage: Party.Storage,
    private readonly fetch: (partyId: string) => Promise<LinkVersions>,
    private readonly ttlMs = LINK_VERSIONS_TTL_MS,
  ) {}

  /** The versions `partyId` accepts now. Throws when the app server fails and none were ever known. */
  async current(partyId: string): Promise<LinkVersions> {
    if (this.#versions && Date.now() - this.#fetchedAt < this.ttlMs) return this.#versions;
    this.#inflight ??= this.#refresh(partyId).finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  /** Merges versions the app server pushed (a link was replaced); returns the merged versions. */
  async update(versions: LinkVersions): Promise<LinkVersions> {
    const merged = this.#merge(versions);
    await this.storage.put(STORAGE_KEY, merged);
    return merged;
  }

  async #refresh(partyId: string): Promise<LinkVersions> {
    try {
      const fetched = await this.fetch(partyId);
      this.#fetchedAt = Date.now();
      const merged = this.#merge(fetched);
      void this.storage.put(STORAGE_KEY, merged).catch(() => undefined);
      return merged;
    } catch (e) {
      this.#versions ??= await this.storage.get<LinkVersions>(STORAGE_KEY);
      if (this.#versions) return this.#versions;
      throw e;
    }
  }

  #merge(v: LinkVersions): LinkVersions {
    const old = this.#versions;
    this.#versions = old ? { gm: Math.max(old.gm, v.gm), player: Math.max(old.player, v.player) } : v;
    return this.#versions;
  }
}

/** Reads `{gm, player}` positive integer versions from a control request body; undefined when malformed. */
export function parseLinkVersions(value: unknown): LinkVersions | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { gm, player } = value as Record<string, unknown>;
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
  return ok(gm) && ok(player) ? { gm, player } : undefined;
}

/** Why a connection's link is not admitted: replaced, or the versions could not be learnt. */
export type LinkRefusal = { readonly code: number; readonly reason: string };

/**
 * Checks a verified token's link against the party's versions; undefined
 * when it is current. Codes as in syncRoom.ts `CLOSE`.
 */
export async function checkLink(
  cache: LinkVersionCache,
  claims: TokenClaims,
  partyId: string,
): Promise<LinkRefusal | undefined> {
  let versions: LinkVersions;
  try {
    versions = await cache.current(partyId);
  } catch (e) {
    console.error(
      `could not check a link of party ${partyId}: ${e instanceof Error ? e.message : String(e)}`,
    );
    return { code: CLOSE.unavailable, reason: UNAVAILABLE_REASON };
  }
  return isCurrentLink(claims, versions)
    ? undefined
    : { code: CLOSE.linkReplaced, reason: LINK_REPLACED_REASON };
}
