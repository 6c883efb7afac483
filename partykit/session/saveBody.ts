/**
 * Turns a scene's dirty parts into the body of `PUT /internal/scenes/:id`,
 * with the generated converters: scene columns when a plugin group changed,
 * the complete member list of each changed collection, changed blobs
 * (base64, or null when deleted), name and sort order when they changed.
 */
import type * as Y from 'yjs';
import { collectionConverters, convertStagePropsToSceneData, type StageProps } from '../../engine/generated';
import type { Registry } from '../../engine/schema';
import {
  getBlobs,
  getSceneMap,
  getSceneName,
  getScenesList,
  readSceneProps,
} from '../../engine/sync/docLayout';
import { blobKeyChannel, checkBlobValue, type SceneSaveDraft } from '../../engine/contract';
import { toBase64, type DirtyScene } from './saveLoop';

type Converter = (props: StageProps, sceneId: string) => unknown[];

/** The save body for `sceneId`, or undefined when the scene is no longer in the doc. */
export function buildSceneSave(
  doc: Y.Doc,
  registry: Registry,
  gameSessionId: string,
  sceneId: string,
  d: DirtyScene,
  withOrder: boolean,
): SceneSaveDraft | undefined {
  const scene = getSceneMap(doc, sceneId);
  if (!scene) return undefined;
  const props = readSceneProps(scene, registry, 'gm');
  const body: {
    gameSessionId: string;
    name?: string;
    sortOrder?: number;
    scene?: Record<string, unknown>;
    collections?: Record<string, unknown[]>;
    blobs?: Record<string, string | null>;
  } = { gameSessionId };
  if (d.all || d.meta) body.name = getSceneName(scene);
  if (d.all || withOrder) {
    const list = getScenesList(doc);
    const at = list.toArray().indexOf(sceneId);
    body.sortOrder = at >= 0 ? at : list.length;
  }
  if (d.all || d.scene) body.scene = { ...convertStagePropsToSceneData(props) };
  const collections = d.all ? registry.collections.map((c) => c.key) : (d.collections ?? []);
  if (collections.length) {
    body.collections = {};
    const converters = collectionConverters as unknown as Record<string, Converter>;
    for (const key of collections)
      if (converters[key]) body.collections[key] = converters[key](props, sceneId);
  }
  const blobMap = getBlobs(scene);
  const blobKeys = d.all ? [...(blobMap?.keys() ?? [])] : (d.blobs ?? []);
  if (blobKeys.length) {
    body.blobs = {};
    for (const key of blobKeys) {
      const value = blobMap?.get(key);
      if (value === undefined) {
        // Deleting is always allowed for a declared channel's key; other keys were never stored.
        if (blobKeyChannel(registry, key).ok) body.blobs[key] = null;
        continue;
      }
      // The app server refuses a whole save for one bad blob: leave it out (the room repairs it away anyway).
      const checked = checkBlobValue(registry, key, value);
      if (checked.ok) body.blobs[key] = toBase64(value as Uint8Array);
      else console.warn(`scene ${sceneId}: blob left out of the save: ${checked.reason}`);
    }
  }
  return body;
}
