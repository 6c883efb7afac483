import type { ApiClient } from '../http';
import type { PropertySink } from '../inspector';
import { assetPropFor } from './gm-editor-keys';

/**
 * Uploads a file for an asset property and sets the property to the served
 * URL through the sink (so it syncs, saves and undoes like any edit).
 * Resolves with a sentence for the status line; never rejects.
 */
export async function uploadAsset(
  api: ApiClient,
  sink: PropertySink,
  path: readonly string[],
  file: File,
): Promise<string> {
  try {
    const { url } = await api.upload(file, file.name);
    const result = sink.queuePropertyUpdate([...path], url);
    return result.ok ? `Uploaded ${file.name}.` : `Upload refused: ${result.reason ?? ''}`;
  } catch (e) {
    return `Upload failed: ${(e as Error).message}`;
  }
}

/** A file dropped on the viewport becomes the map: the scene asset property that accepts its type. */
export function uploadMap(api: ApiClient, sink: PropertySink, file: File): Promise<string> {
  const prop = assetPropFor(file.type);
  if (!prop)
    return Promise.resolve(`${file.name}: this kind of file (${file.type || 'unknown'}) cannot be a map.`);
  return uploadAsset(api, sink, [prop.plugin.key, prop.key], file);
}
