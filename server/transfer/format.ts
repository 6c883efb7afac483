/**
 * The session file: one JSON document holding a game session's scenes (every
 * property column the registry declares, by drizzle field name), their
 * collection members, their binary channel blobs and the uploaded files the
 * scenes' asset properties point at, base64-encoded. Ids are left out: an
 * import always makes new ones, so the file can be imported any number of
 * times into any party.
 */
import type { PropertyColumn } from '../../engine/db';
import { propertyColumns } from '../../engine/db';
import type { Registry } from '../../engine/schema';

export const SESSION_FILE_FORMAT = 'tablestage-session';
export const SESSION_FILE_VERSION = 1;

/** One scene as the file holds it; members are in their creation order. */
export interface SessionFileScene {
  readonly name: string;
  readonly columns: Record<string, unknown>;
  readonly collections: Record<string, Record<string, unknown>[]>;
  /** Channel blob key → base64. */
  readonly blobs: Record<string, string>;
}

/** An uploaded file, under the URL the scenes use for it. */
export interface SessionFileAsset {
  readonly type: string;
  readonly data: string;
}

export interface SessionFile {
  readonly format: typeof SESSION_FILE_FORMAT;
  readonly version: number;
  readonly exportedAt: number;
  readonly gameSession: { readonly name: string };
  readonly scenes: SessionFileScene[];
  /** Upload URL (`/uploads/<name>`) → file. */
  readonly assets: Record<string, SessionFileAsset>;
  /** What the export could not include (a file missing on disk, a room that did not flush). */
  readonly warnings: string[];
}

/** Upload URLs are `/uploads/<generated name>`; anything else (http URLs, empty) is not carried. */
export const UPLOAD_URL = /^\/uploads\/([A-Za-z0-9_-]{8,64}\.(?:png|jpg|gif|webp|mp4|webm))$/;

/** The property columns of `table` whose property is an asset: the only values that hold upload URLs. */
export function assetFields(registry: Registry, table: string): Set<string> {
  const out = new Set<string>();
  for (const [field, pc] of propertyColumns(registry, table) as ReadonlyMap<string, PropertyColumn>)
    if (pc.prop.decl.kind === 'asset') out.add(field);
  return out;
}
