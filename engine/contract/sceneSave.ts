/**
 * `PUT /internal/scenes/:sceneId`: what a room sends to save one scene's
 * dirty parts ({@link SceneSaveBody}, JSON on the wire) and what the app
 * server turns it into once validated ({@link SceneSave}). Both shapes live
 * here so the sender and the receiver cannot drift apart.
 *
 * A save is all or nothing: when any part is refused (a bad column value, an
 * undeclared blob key, an oversize or invalid blob, a channel over its key
 * limit), the server answers 400 naming the field and writes nothing, so the
 * scene in the DB stays exactly as it was. The room checks blobs with the
 * same rules (`./blobs.ts`) before it sends, so an honest room never has a
 * save refused for one bad blob.
 */

/** A blob value on the wire: base64 bytes, or `null` to delete the key. */
export type WireBlob = string | null;

/** The JSON body a room sends. Parts that did not change are left out. */
export interface SceneSaveBody {
  readonly gameSessionId: string;
  /** Scene name, when it changed. */
  readonly name?: string;
  /** Position in the session's scene list, when the order changed. */
  readonly sortOrder?: number;
  /** Scene columns (generated converter output: column field → value). */
  readonly scene?: Readonly<Record<string, unknown>>;
  /** Collection key → the complete member rows (a collection is always replaced whole). */
  readonly collections?: Readonly<Record<string, readonly unknown[]>>;
  /** Changed blobs by key (keys of declared channels only). */
  readonly blobs?: Readonly<Record<string, WireBlob>>;
  /** The room's clock when it built the save; an older save never overwrites a newer one. */
  readonly savedAt: number;
}

/** A save body before the save loop stamps it. */
export type SceneSaveDraft = Omit<SceneSaveBody, 'savedAt'>;

/**
 * A {@link SceneSaveBody} validated by the app server: the same envelope,
 * columns checked by their properties' validators, members as rows, blobs
 * decoded and checked against their channels.
 */
export type SceneSave = Omit<SceneSaveBody, 'scene' | 'collections' | 'blobs'> & {
  readonly sceneId: string;
  readonly columns: Record<string, unknown>;
  /** Collection key → the complete member rows (validated property columns plus id / createdAt). */
  readonly collections: ReadonlyMap<string, Record<string, unknown>[]>;
  /** The body's blobs decoded: bytes to write, `null` to delete. */
  readonly blobs: Readonly<Record<string, Uint8Array | null>>;
};

/** The envelope fields a body may have (anything else is refused). */
export const SCENE_SAVE_FIELDS: readonly (keyof SceneSaveBody)[] = [
  'gameSessionId',
  'name',
  'sortOrder',
  'scene',
  'collections',
  'blobs',
  'savedAt',
];
