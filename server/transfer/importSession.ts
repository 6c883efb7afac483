import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  collectionTable,
  insertScene,
  newId,
  summaryOf,
  writeBlobs,
  type SceneSummary,
} from '../../engine/db';
import { gameSession, type GameSessionRow } from '../../engine/generated/tables';
import type { Registry } from '../../engine/schema';
import type { AppDeps } from '../context';
import { HttpError } from '../errors';
import { partyTag, partyUploadBytes } from '../partyUploads';
import { storeUpload } from '../uploads';
import { assetFields } from './format';
import type { ImportPlan } from './parseImport';

export interface ImportResult {
  readonly gameSession: GameSessionRow;
  readonly scenes: SceneSummary[];
  readonly ignored: string[];
}

/** Points every asset column of `values` that holds an old upload URL at the re-uploaded file. */
function rewriteAssets(
  values: Record<string, unknown>,
  fields: ReadonlySet<string>,
  urls: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const out = { ...values };
  for (const f of fields) {
    const v = out[f];
    if (typeof v === 'string' && urls.has(v)) out[f] = urls.get(v);
  }
  return out;
}

/**
 * Writes a validated plan as a new game session of `partyId`: the files
 * first (counted against the party's quota), then every row in one
 * transaction. A failed transaction removes the files it stored, so a
 * refused import leaves nothing behind.
 */
export async function importSession(
  deps: Pick<AppDeps, 'database' | 'registry' | 'uploadsDir' | 'partyUploadQuota'>,
  partyId: string,
  plan: ImportPlan,
): Promise<ImportResult> {
  const registry: Registry = deps.registry;
  let bytes = 0;
  for (const a of plan.assets.values()) bytes += a.data.byteLength;
  const used = await partyUploadBytes(deps.uploadsDir, partyId);
  if (used + bytes > deps.partyUploadQuota)
    throw new HttpError(
      413,
      `the session's ${(bytes / (1024 * 1024)).toFixed(1)} MB of files would exceed the party's ${(deps.partyUploadQuota / (1024 * 1024)).toFixed(0)} MB upload quota`,
      'assets',
    );
  const urls = new Map<string, string>();
  try {
    for (const [old, asset] of plan.assets)
      urls.set(
        old,
        `/uploads/${await storeUpload(deps.uploadsDir, asset.data, asset.format, partyTag(partyId))}`,
      );
    return await deps.database.write(async (tx) => {
      const now = Date.now();
      const sessionId = newId();
      const [session] = await tx
        .insert(gameSession)
        .values({ id: sessionId, partyId, name: plan.name, createdAt: now })
        .returning();
      const sceneAssets = assetFields(registry, 'scene');
      const scenes: SceneSummary[] = [];
      for (const [i, s] of plan.scenes.entries()) {
        const id = newId();
        const row = await insertScene(
          registry,
          tx,
          { id, gameSessionId: sessionId, name: s.name, sortOrder: i, lastUpdated: now },
          rewriteAssets(s.columns, sceneAssets, urls),
        );
        for (const [key, members] of s.collections) {
          const t = collectionTable(key);
          const fields = assetFields(registry, registry.collection(key)!.table);
          // createdAt keeps the members' order, which is the order collections are read in.
          for (const [j, m] of members.entries())
            await tx.insert(t).values({
              ...rewriteAssets(m, fields, urls),
              id: newId(),
              sceneId: id,
              createdAt: now + j,
            } as typeof t.$inferInsert); // safe: the columns were validated against this table's registry columns
        }
        await writeBlobs(tx, id, s.blobs, now);
        scenes.push(summaryOf(row));
      }
      return { gameSession: session!, scenes, ignored: plan.ignored };
    });
  } catch (e) {
    await Promise.all(
      [...urls.values()].map((u) => rm(join(deps.uploadsDir, u.slice('/uploads/'.length)), { force: true })),
    );
    throw e;
  }
}
