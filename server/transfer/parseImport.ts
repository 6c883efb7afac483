/**
 * Checks a session file completely before anything is written: every
 * property column through its property's registry validator, blobs against
 * their channel, assets by their own bytes like uploads. A bad value is a 400
 * naming its place in the file. Data this server's registry does not know (a
 * newer or removed plugin's columns, collections or channels) is left out
 * and listed in `ignored`, so a file from a newer version still imports.
 */
import { channelOverLimit, checkBlobValue } from '../../engine/contract';
import { checkColumnValue, propertyColumns } from '../../engine/db';
import type { Registry } from '../../engine/schema';
import { checkName } from '../body';
import { badRequest, HttpError } from '../errors';
import { sniffFormat, type MediaFormat } from '../uploads';
import { assetFields, SESSION_FILE_FORMAT, SESSION_FILE_VERSION, UPLOAD_URL } from './format';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_SCENES = 1000;

export interface ImportScene {
  readonly name: string;
  readonly columns: Record<string, unknown>;
  readonly collections: Map<string, Record<string, unknown>[]>;
  readonly blobs: Record<string, Uint8Array>;
}

export interface ImportAsset {
  readonly data: Uint8Array;
  readonly format: MediaFormat;
}

export interface ImportPlan {
  readonly name: string;
  readonly scenes: ImportScene[];
  /** Old upload URL → file. */
  readonly assets: Map<string, ImportAsset>;
  /** Parts of the file this server does not know, by their place in the file. */
  readonly ignored: string[];
}

export interface ImportLimits {
  readonly maxUploadBytes: number;
  readonly acceptedMimeTypes: ReadonlySet<string>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function objectAt(v: unknown, at: string): Record<string, unknown> {
  if (!isObject(v)) throw badRequest(`${at} must be an object`, at);
  return v;
}

function base64At(v: unknown, at: string): Uint8Array {
  if (typeof v !== 'string' || !BASE64.test(v)) throw badRequest(`${at} must be base64 text`, at);
  return new Uint8Array(Buffer.from(v, 'base64'));
}

/** Validates the known property columns of one row of `table`; the unknown ones go to `ignored`. */
function columnsAt(
  registry: Registry,
  table: string,
  values: unknown,
  at: string,
  ignored: string[],
  memberId?: string,
): Record<string, unknown> {
  const columns = propertyColumns(registry, table);
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(objectAt(values, at))) {
    const pc = columns.get(field);
    if (!pc) {
      ignored.push(`${at}.${field}`);
      continue;
    }
    const checked = checkColumnValue(registry, pc, value, memberId);
    if (!checked.ok) throw badRequest(`${at}.${field}: ${checked.reason}`, `${at}.${field}`);
    out[field] = checked.value;
  }
  return out;
}

function sceneAt(registry: Registry, raw: unknown, at: string, ignored: string[]): ImportScene {
  const s = objectAt(raw, at);
  const name = checkName(s.name, `${at}.name`);
  const columns = columnsAt(registry, 'scene', s.columns ?? {}, `${at}.columns`, ignored);
  const collections = new Map<string, Record<string, unknown>[]>();
  for (const [key, members] of Object.entries(objectAt(s.collections ?? {}, `${at}.collections`))) {
    const where = `${at}.collections.${key}`;
    const plugin = registry.collection(key);
    if (!plugin) {
      ignored.push(where);
      continue;
    }
    if (!Array.isArray(members)) throw badRequest(`${where} must be an array`, where);
    // Validated under a placeholder member id: the import gives every member a new one.
    collections.set(
      key,
      members.map((m: unknown, i) => columnsAt(registry, plugin.table, m, `${where}[${i}]`, ignored, 'x')),
    );
  }
  const blobs: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(objectAt(s.blobs ?? {}, `${at}.blobs`))) {
    const where = `${at}.blobs.${key}`;
    // A key no declared channel's prefix owns belongs to a plugin this server lacks.
    if (registry.channelOf(key) === undefined) {
      ignored.push(where);
      continue;
    }
    const bytes = base64At(value, where);
    const checked = checkBlobValue(registry, key, bytes);
    if (!checked.ok) throw badRequest(`blob refused: ${checked.reason}`, where);
    blobs[key] = bytes;
  }
  const over = channelOverLimit(registry, Object.keys(blobs));
  if (over) throw badRequest(`blob refused: ${over.reason}`, `${at}.blobs.${over.key}`);
  return { name, columns, collections, blobs };
}

/** Every upload URL an asset column of the plan holds, with where it is. */
function usedUploads(registry: Registry, scenes: readonly ImportScene[]): Map<string, string> {
  const used = new Map<string, string>();
  const note = (values: Record<string, unknown>, fields: Set<string>, at: string) => {
    for (const f of fields) {
      const v = values[f];
      if (typeof v === 'string' && v.startsWith('/uploads/') && !used.has(v)) used.set(v, `${at}.${f}`);
    }
  };
  scenes.forEach((s, i) => {
    note(s.columns, assetFields(registry, 'scene'), `scenes[${i}].columns`);
    for (const [key, members] of s.collections) {
      const fields = assetFields(registry, registry.collection(key)!.table);
      members.forEach((m, j) => note(m, fields, `scenes[${i}].collections.${key}[${j}]`));
    }
  });
  return used;
}

/** Validates a parsed session file into what the import writes; throws a 400 (or 413/415) on the first bad part. */
export function parseSessionFile(registry: Registry, body: unknown, limits: ImportLimits): ImportPlan {
  const file = objectAt(body, 'file');
  if (file.format !== SESSION_FILE_FORMAT)
    throw badRequest(`format must be "${SESSION_FILE_FORMAT}": this is not a session file`, 'format');
  if (typeof file.version !== 'number' || !Number.isInteger(file.version) || file.version < 1)
    throw badRequest('version must be a positive integer', 'version');
  if (file.version > SESSION_FILE_VERSION)
    throw badRequest(
      `the file is version ${file.version}; this server reads up to version ${SESSION_FILE_VERSION}`,
      'version',
    );
  const name = checkName(objectAt(file.gameSession, 'gameSession').name, 'gameSession.name');
  if (!Array.isArray(file.scenes) || file.scenes.length === 0 || file.scenes.length > MAX_SCENES)
    throw badRequest(`scenes must be an array of 1 to ${MAX_SCENES} scenes`, 'scenes');
  const ignored: string[] = [];
  const scenes = file.scenes.map((s: unknown, i) => sceneAt(registry, s, `scenes[${i}]`, ignored));

  const assets = new Map<string, ImportAsset>();
  const limitMb = (limits.maxUploadBytes / (1024 * 1024)).toFixed(1);
  for (const [url, raw] of Object.entries(objectAt(file.assets ?? {}, 'assets'))) {
    const at = `assets.${url}`;
    if (!UPLOAD_URL.test(url)) throw badRequest(`${at}: not an upload URL`, at);
    const data = base64At(objectAt(raw, at).data, `${at}.data`);
    if (data.byteLength === 0) throw badRequest(`${at}: the file is empty`, at);
    if (data.byteLength > limits.maxUploadBytes)
      throw new HttpError(413, `${at}: the file is larger than the ${limitMb} MB limit`, at);
    // Like an upload, the bytes decide the type: a script named .png is refused.
    const format = sniffFormat(data);
    if (!format || !limits.acceptedMimeTypes.has(format.mime))
      throw new HttpError(415, `${at}: unsupported file type`, at);
    assets.set(url, { data, format });
  }
  // A scene pointing at an upload the file does not carry would point at another party's file, or nothing.
  const used = usedUploads(registry, scenes);
  for (const [url, where] of used)
    if (!assets.has(url)) throw badRequest(`${where}: ${url} is not among the file's assets`, where);
  // A file no scene uses would only take quota.
  for (const url of [...assets.keys()])
    if (!used.has(url)) {
      assets.delete(url);
      ignored.push(`assets.${url}`);
    }
  return { name, scenes, assets, ignored };
}
