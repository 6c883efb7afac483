/**
 * Which uploads belong to which party, without a table: a party's files are
 * named `<tag>_<random>.<ext>`, the tag a hash of the party id (fixed length,
 * so it never runs into the random part, and the URL does not name the party).
 * That gives a per-party quota (the sizes of its files, pending ones included)
 * and lets deleting a party delete its files. Files named before this scheme
 * (no tag) belong to no party and are left alone.
 */
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Default per-party upload quota: 500 MB. */
export const DEFAULT_PARTY_UPLOAD_QUOTA = 500 * 1024 * 1024;

/** 16 hex digits of SHA-256(partyId). */
export function partyTag(partyId: string): string {
  return createHash('sha256').update(partyId).digest('hex').slice(0, 16);
}

async function partyFiles(dir: string, partyId: string): Promise<string[]> {
  const prefix = `${partyTag(partyId)}_`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => n.startsWith(prefix));
}

/** Bytes the party's uploads take on disk. */
export async function partyUploadBytes(dir: string, partyId: string): Promise<number> {
  let total = 0;
  for (const name of await partyFiles(dir, partyId))
    total += await stat(join(dir, name)).then(
      (s) => s.size,
      () => 0, // deleted meanwhile
    );
  return total;
}

/** Deletes every upload of the party; returns how many files went. */
export async function deletePartyUploads(dir: string, partyId: string): Promise<number> {
  const names = await partyFiles(dir, partyId);
  await Promise.all(names.map((n) => rm(join(dir, n), { force: true })));
  return names.length;
}
