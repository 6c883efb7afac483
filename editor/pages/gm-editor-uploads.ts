import type { ApiClient } from '../http';
import type { PropertySink } from '../inspector';
import { assetPropFor } from './gm-editor-keys';

/** What an upload did: a sentence for the status line, and where the file went when it was set. */
export interface UploadOutcome {
  readonly message: string;
  readonly placed?: { readonly url: string; readonly path: readonly string[] };
}

/**
 * Uploads a file for an asset property and sets the property to the served
 * URL through the sink (so it syncs, saves and undoes like any edit).
 * Never rejects.
 */
export async function uploadAsset(
  api: ApiClient,
  sink: PropertySink,
  path: readonly string[],
  file: File,
): Promise<UploadOutcome> {
  try {
    const { url } = await api.upload(file, file.name);
    const result = sink.queuePropertyUpdate([...path], url);
    return result.ok
      ? { message: `Uploaded ${file.name}.`, placed: { url, path } }
      : { message: `Upload refused: ${result.reason ?? ''}` };
  } catch (e) {
    return { message: `Upload failed: ${(e as Error).message}` };
  }
}

/** A file dropped on the viewport becomes the map: the scene asset property that accepts its type. */
export function uploadMap(api: ApiClient, sink: PropertySink, file: File): Promise<UploadOutcome> {
  const prop = assetPropFor(file.type);
  if (!prop)
    return Promise.resolve({
      message: `${file.name}: this kind of file (${file.type || 'unknown'}) cannot be a map.`,
    });
  return uploadAsset(api, sink, [prop.plugin.key, prop.key], file);
}
