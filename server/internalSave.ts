import { checkPropertyColumns, type ColumnError } from '../engine/db';
import { isEntityId, type Registry } from '../engine/schema';
import { checkId, onlyFields, optionalName } from './body';
import { badRequest, HttpError } from './errors';

/** A room's save of one scene, validated and normalised, ready to write in one transaction. */
export interface SceneSave {
  readonly sceneId: string;
  readonly gameSessionId: string;
  readonly name?: string;
  readonly sortOrder?: number;
  readonly columns: Record<string, unknown>;
  /** Collection key → the complete member rows (validated property columns plus id / createdAt). */
  readonly collections: ReadonlyMap<string, Record<string, unknown>[]>;
  readonly blobs: Record<string, Uint8Array | null>;
  readonly savedAt: number;
}

/** Blob keys are short paths such as `fog/3_-2`. */
const BLOB_KEY = /^[A-Za-z0-9_-][A-Za-z0-9_./-]{0,199}$/;
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
 * by id, blobs as base64. Throws a 400 naming the first bad field.
 */
export function parseSceneSave(
  registry: Registry,
  sceneId: string,
  body: Record<string, unknown>,
): SceneSave {
  if (!isEntityId(sceneId)) throw badRequest('the scene id in the path is not an id', 'sceneId');
  onlyFields(body, ['gameSessionId', 'name', 'sortOrder', 'scene', 'collections', 'blobs', 'savedAt']);
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
      if (!BLOB_KEY.test(key) || key.includes('..')) throw badRequest(`"${key}" is not a valid blob key`, at);
      if (value === null) blobs[key] = null;
      else if (typeof value === 'string' && BASE64.test(value))
        blobs[key] = new Uint8Array(Buffer.from(value, 'base64'));
      else throw badRequest(`${at} must be base64 text or null`, at);
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
