import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { servableBlobs } from '../../engine/contract';
import { listScenes, loadScenes, propertyColumns, type StoredScene } from '../../engine/db';
import type { GameSessionRow } from '../../engine/generated/tables';
import type { Registry } from '../../engine/schema';
import type { AppDeps } from '../context';
import { mimeOfUploadName } from '../uploads';
import {
  assetFields,
  SESSION_FILE_FORMAT,
  SESSION_FILE_VERSION,
  UPLOAD_URL,
  type SessionFile,
  type SessionFileAsset,
  type SessionFileScene,
} from './format';

/** Copies the registry's property columns of `table` out of a row: base columns (ids, order, times) stay behind. */
function pickColumns(registry: Registry, table: string, row: object): Record<string, unknown> {
  const values = row as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of propertyColumns(registry, table).keys()) out[field] = values[field];
  return out;
}

function sceneToFile(registry: Registry, stored: StoredScene): SessionFileScene {
  const collections: Record<string, Record<string, unknown>[]> = {};
  const byKey = stored.collections as unknown as Record<string, readonly object[]>;
  for (const plugin of registry.collections) {
    collections[plugin.key] = (byKey[plugin.key] ?? []).map((m) => pickColumns(registry, plugin.table, m));
  }
  // Only blobs a room could have saved and would serve: a channel since removed stays behind.
  const blobs = Object.fromEntries(
    Object.entries(servableBlobs(registry, stored.blobs, 'gm')).map(([k, v]) => [
      k,
      Buffer.from(v).toString('base64'),
    ]),
  );
  return { name: stored.row.name, columns: pickColumns(registry, 'scene', stored.row), collections, blobs };
}

/** Every upload URL the scenes' asset properties (scene columns and members) hold. */
export function assetUrls(registry: Registry, scenes: readonly SessionFileScene[]): Set<string> {
  const urls = new Set<string>();
  const sceneAssets = assetFields(registry, 'scene');
  const add = (values: Record<string, unknown>, fields: Set<string>) => {
    for (const f of fields) {
      const v = values[f];
      if (typeof v === 'string' && UPLOAD_URL.test(v)) urls.add(v);
    }
  };
  for (const s of scenes) {
    add(s.columns, sceneAssets);
    for (const plugin of registry.collections) {
      const fields = assetFields(registry, plugin.table);
      for (const m of s.collections[plugin.key] ?? []) add(m, fields);
    }
  }
  return urls;
}

/**
 * The session file of a game session as the database holds it now (the
 * route asks the live room to flush first). `warnings` already holds what
 * the caller could not do.
 */
export async function exportSession(
  deps: Pick<AppDeps, 'database' | 'registry' | 'uploadsDir'>,
  session: GameSessionRow,
  warnings: string[] = [],
): Promise<SessionFile> {
  const { registry, database } = deps;
  const rows = await listScenes(database.db, session.id);
  const scenes = (await loadScenes(registry, database.db, rows)).map((s) => sceneToFile(registry, s));
  const assets: Record<string, SessionFileAsset> = {};
  for (const url of assetUrls(registry, scenes)) {
    const name = UPLOAD_URL.exec(url)![1]!;
    try {
      const data = await readFile(join(deps.uploadsDir, name));
      assets[url] = {
        type: mimeOfUploadName(name) ?? 'application/octet-stream',
        data: data.toString('base64'),
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      warnings.push(`${url} is used by a scene but missing on the server; it is not in the file`);
    }
  }
  return {
    format: SESSION_FILE_FORMAT,
    version: SESSION_FILE_VERSION,
    exportedAt: Date.now(),
    gameSession: { name: session.name },
    scenes,
    assets,
    warnings,
  };
}
