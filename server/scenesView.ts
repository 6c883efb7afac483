import type { Role } from '../engine/auth';
import type { StoredScene } from '../engine/db';
import { buildSceneProps } from '../engine/generated/buildSceneProps';
import type { StageProps } from '../engine/generated/stageProps';

/**
 * A stored scene as a client with `role` may see it: props built for that
 * view. Blobs carry no audience of their own (fog tiles are what hides the map
 * from players), so both roles receive them, base64-encoded.
 */
export function sceneForRole(
  stored: StoredScene,
  role: Role,
): { props: StageProps; blobs: Record<string, string> } {
  return {
    props: buildSceneProps(stored.row, stored.collections, role),
    blobs: encodeBlobs(stored.blobs),
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
