import {
  blobKeyChannel,
  checkBlobValue,
  channelOverLimit,
  SCENE_SAVE_FIELDS,
  type SceneSave,
} from '../engine/contract';
import { checkPropertyColumns, type ColumnError } from '../engine/db';
import { isEntityId, type Registry } from '../engine/schema';
import { checkId, onlyFields, optionalName } from './body';
import { badRequest, HttpError } from './errors';

export type { SceneSave };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A save stamped further in the future than this is a broken clock, and would lock out every later save. */
const MAX_CLOCK_AHEAD_MS = 60 * 60 * 1000;
const MAX_SORT_ORDER = 1_000_000;
const MEMBER_BASE_FIELDS = ['id', 'sceneId', 'createdAt'] as const;

const fail = (e: ColumnError): never => {
  throw badRequest(e.reason, e.field);
};

/**
 * Validates the body of `PUT /internal/scenes/:sceneId` with the registry:
 * every property column through its property's validator, collection members
 * by id, blobs as base64 of a declared channel within its limits and passing
 * its content check. Throws a 400 naming the first bad field (the whole save
 * is refused: see `engine/contract/sceneSave.ts`). The channels' key limits
 * need the stored keys: {@link checkBlobLimits} runs inside the write.
 */
export function parseSceneSave(
  registry: Registry,
  sceneId: string,
  body: Record<string, unknown>,
): SceneSave {
  if (!isEntityId(sceneId)) throw badRequest('the scene id in the path is not an id', 'sceneId');
  onlyFields(body, SCENE_SAVE_FIELDS);
  const gameSessionId = checkId(body.gameSessionId, 'gameSessionId');
  const savedAt = body.savedAt;
  if (typeof savedAt !== 'number' || !Number.isInteger(savedAt) || savedAt < 0)
    throw badRequest('savedAt must be a time in milliseconds since the epoch', 'savedAt');
  if (savedAt > Date.now() + MAX_CLOCK_AHEAD_MS)
    throw badRequest('savedAt is more than an hour in the future', 'savedAt');
  const name = optionalName(body.name);
  const sortOrder = body.sortOrder;
  if (
    sortOrder !== undefined &&
    (typeof sortOrder !== 'number' ||
      !Number.isInteger(sortOrder) ||
      sortOrder < 0 ||
      sortOrder > MAX_SORT_ORDER)
  )
    throw badRequest(`sortOrder must be an integer from 0 to ${MAX_SORT_ORDER}`, 'sortOrder');

  let columns: Record<string, unknown> = {};
  if (body.scene !== undefined) {
    const checked = checkPropertyColumns(registry, 'scene', body.scene, 'scene');
    columns = checked.ok ? checked.value : fail(checked);
  }

  const collections = new Map<string, Record<string, unknown>[]>();
  if (body.collections !== undefined) {
    if (typeof body.collections !== 'object' || body.collections === null || Array.isArray(body.collections))
      throw badRequest('collections must be an object of collection key → member rows', 'collections');
    for (const [key, members] of Object.entries(body.collections)) {
      const plugin = registry.collection(key);
      if (!plugin) throw badRequest(`unknown collection "${key}"`, `collections.${key}`);
      if (!Array.isArray(members))
        throw badRequest(`collections.${key} must be an array`, `collections.${key}`);
      const seen = new Set<string>();
      collections.set(
        key,
        members.map((member: unknown, i) => {
          const at = `collections.${key}[${i}]`;
          if (typeof member !== 'object' || member === null || Array.isArray(member))
            throw badRequest(`${at} must be an object`, at);
          const m = member as Record<string, unknown>;
          const id = checkId(m.id, `${at}.id`);
          if (seen.has(id)) throw badRequest(`${at}.id: "${id}" appears twice`, `${at}.id`);
          seen.add(id);
          if (m.sceneId !== undefined && m.sceneId !== sceneId)
            throw badRequest(`${at}.sceneId must be this scene's id`, `${at}.sceneId`);
          if (
            m.createdAt !== undefined &&
            (typeof m.createdAt !== 'number' || !Number.isInteger(m.createdAt))
          )
            throw badRequest(`${at}.createdAt must be a time in milliseconds`, `${at}.createdAt`);
          const checked = checkPropertyColumns(registry, plugin.table, m, at, {
            memberId: id,
            baseFields: MEMBER_BASE_FIELDS,
          });
          const props = checked.ok ? checked.value : fail(checked);
          return { ...props, id, ...(m.createdAt !== undefined ? { createdAt: m.createdAt } : {}) };
        }),
      );
    }
  }

  const blobs: Record<string, Uint8Array | null> = {};
  if (body.blobs !== undefined) {
    if (typeof body.blobs !== 'object' || body.blobs === null || Array.isArray(body.blobs))
      throw badRequest('blobs must be an object of key → base64 (or null to delete)', 'blobs');
    for (const [key, value] of Object.entries(body.blobs)) {
      const at = `blobs.${key}`;
      if (value !== null && (typeof value !== 'string' || !BASE64.test(value)))
        throw badRequest(`${at} must be base64 text or null`, at);
      const bytes = value === null ? null : new Uint8Array(Buffer.from(value, 'base64'));
      const checked = bytes === null ? blobKeyChannel(registry, key) : checkBlobValue(registry, key, bytes);
      if (!checked.ok) throw badRequest(`blob refused: ${checked.reason}`, at);
      blobs[key] = bytes;
    }
  }

  return {
    sceneId,
    gameSessionId,
    ...(name !== undefined ? { name } : {}),
    ...(sortOrder !== undefined ? { sortOrder: sortOrder as number } : {}),
    columns,
    collections,
    blobs,
    savedAt,
  };
}

/** 409: the save would overwrite newer data, or the scene belongs elsewhere. */
export const conflict = (message: string, field?: string) => new HttpError(409, message, field);

/**
 * 400 when the save would leave a channel with more keys than it allows:
 * `stored` are the scene's blob keys in the DB before the save.
 */
export function checkBlobLimits(registry: Registry, save: SceneSave, stored: Iterable<string>): void {
  const after = new Set(stored);
  for (const [key, bytes] of Object.entries(save.blobs))
    if (bytes === null) after.delete(key);
    else after.add(key);
  const over = channelOverLimit(registry, after);
  if (over) throw badRequest(`blob refused: ${over.reason}`, `blobs.${over.key}`);
}
