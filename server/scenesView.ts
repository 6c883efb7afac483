import type { Role } from '../engine/auth';
import { servableBlobs } from '../engine/contract';
import type { StoredScene } from '../engine/db';
import { buildSceneProps } from '../engine/generated/buildSceneProps';
import type { StageProps } from '../engine/generated/stageProps';
import type { Registry } from '../engine/schema';

/**
 * A stored scene as a client with `role` may see it: props built for that
 * view, and the blobs of declared channels (base64) that view may receive —
 * players get no `audience: 'gm'` channel.
 */
export function sceneForRole(
  registry: Registry,
  stored: StoredScene,
  role: Role,
): { props: StageProps; blobs: Record<string, string> } {
  return {
    props: buildSceneProps(stored.row, stored.collections, role),
    blobs: encodeBlobs(servableBlobs(registry, stored.blobs, role)),
  };
}

export function encodeBlobs(blobs: Readonly<Record<string, Uint8Array>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(blobs).map(([k, v]) => [
      k,
      Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
    ]),
  );
}
