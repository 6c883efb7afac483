/**
 * What a batch of document changes means for the scene store's snapshots:
 * which scenes to re-render, which of their parts to re-read, whether the
 * scene list changed, and which members and scenes were deleted.
 */
import type * as Y from 'yjs';
import type { Registry } from '../schema';
import { changesOf } from './docChanges';
import type { Touched } from './snapshots';

/** Where {@link collectTouches} records what it finds. */
export interface TouchSink {
  /** The scene's touched parts, created when missing. */
  touched(sceneId: string): Touched;
  /** A member was deleted (or, by undo, brought back). */
  member(sceneId: string, collectionKey: string, memberId: string, deleted: boolean): void;
  /** A whole scene was deleted. */
  sceneDeleted(sceneId: string): void;
}

/** Classifies one transaction's changes; returns the scenes to re-render and whether the list changed. */
export function collectTouches(
  tr: Y.Transaction,
  registry: Registry,
  sink: TouchSink,
): { scenes: Set<string>; listChanged: boolean } {
  let listChanged = false;
  const scenes = new Set<string>();
  const touch = (sceneId: string): Touched => {
    scenes.add(sceneId);
    return sink.touched(sceneId);
  };
  const touchMember = (sceneId: string, collection: string, id: string) => {
    const members = touch(sceneId).members;
    if (!members.has(collection)) members.set(collection, new Set());
    members.get(collection)!.add(id);
  };
  for (const change of changesOf(tr, registry)) {
    switch (change.kind) {
      case 'order':
        listChanged = true;
        break;
      case 'sessionMeta':
        break;
      case 'scene':
        listChanged = true;
        touch(change.sceneId).all = true;
        if (change.deleted) sink.sceneDeleted(change.sceneId);
        break;
      case 'meta':
        listChanged = true;
        scenes.add(change.sceneId);
        break;
      case 'blob':
        scenes.add(change.sceneId);
        break;
      case 'container':
      case 'invalid':
        if (change.sceneId !== undefined) touch(change.sceneId).all = true;
        break;
      case 'prop':
        if (change.path.length === 2) touch(change.sceneId).groups.add(change.path[0]!);
        else touchMember(change.sceneId, change.path[0]!, change.path[1]!);
        break;
      case 'member':
        // Undo can bring a deleted member back; only a member absent now counts as deleted.
        sink.member(change.sceneId, change.collection.key, change.memberId, change.deleted);
        touchMember(change.sceneId, change.collection.key, change.memberId);
        break;
    }
  }
  return { scenes, listChanged };
}
