import type { Database } from '../engine/db';
import type { RoomPlugin } from '../engine/plugin';
import type { Registry } from '../engine/schema';
import type { RateLimits } from './rateLimit';

/** What every route module needs: the database, the registry, secrets and limits. */
export interface AppDeps {
  readonly database: Database;
  readonly registry: Registry;
  /** The room plugins (the generated list unless a test passes its own): the player view applies their projection. */
  readonly roomPlugins: readonly RoomPlugin[];
  readonly tokenSecret: string;
  readonly internalSecret: string;
  /** Folder uploads are written to and served from. */
  readonly uploadsDir: string;
  /** Host[:port] browsers connect PartyKit to; returned by the load endpoint. */
  readonly partykitHost: string;
  /** Base URL of PartyKit's HTTP side for room control, or undefined to not notify rooms. */
  readonly partykitUrl: string | undefined;
  readonly maxUploadBytes: number;
  /** Most bytes of uploads one party may keep (partyUploads.ts). */
  readonly partyUploadQuota: number;
  /** How long an upload no scene uses is kept before a sweep deletes it (partyUploads.ts). */
  readonly unusedUploadGraceMs: number;
  readonly rateLimits: RateLimits;
  readonly log: (message: string) => void;
}
