import type * as Y from 'yjs';
import { FOG_PREFIX, type FogChanges } from './mask';

/**
 * Writes a tool's changes into a scene's `blobs` Y.Map in one transaction
 * (only the touched tiles travel). Bytes are copied so later edits of the
 * mask cannot alter what was sent.
 */
export function writeFogChanges(blobs: Y.Map<Uint8Array>, changes: FogChanges): void {
  const apply = (): void => {
    for (const [key, bytes] of changes) {
      if (!key.startsWith(FOG_PREFIX)) throw new Error(`not a fog blob key: ${key}`);
      if (bytes === null) blobs.delete(key);
      else blobs.set(key, bytes.slice());
    }
  };
  if (blobs.doc) blobs.doc.transact(apply);
  else apply();
}

/** The fog entries of a scene's `blobs` Y.Map, as `[key, bytes]` pairs for `FogMask.fromBlobs`. */
export function fogEntries(blobs: Y.Map<Uint8Array>): [string, Uint8Array][] {
  return [...blobs.entries()].filter(([k]) => k.startsWith(FOG_PREFIX));
}
