/**
 * Raw validity of a scene in a Y.Doc, looked at below the doc layout's
 * lenient readers (which turn anything invalid into defaults): every key
 * the registry does not know, every value its validators refuse, every
 * member under a bad id and every blob that is not bytes is reported.
 * Used to prove that other clients never hold what a hostile GM wrote.
 */
import * as Y from 'yjs';
import { registry } from '../../../engine/generated';
import { checkValue, isEntityId, type PluginInfo } from '../../../engine/schema';
import { SCENE_KEYS, getSceneMap } from '../../../engine/sync/docLayout';

function checkProps(map: Y.Map<unknown>, plugin: PluginInfo, where: string, out: string[]): void {
  for (const [key, value] of map.entries()) {
    const prop = plugin.props.find((p) => p.yjsKey === key && !p.localOnly);
    if (!prop) out.push(`${where}.${key}: unknown key`);
    else if (!checkValue(prop.decl, value).ok) out.push(`${where}.${key}: invalid ${JSON.stringify(value)}`);
  }
}

/** Everything wrong with `sceneId` in `doc` (empty: all valid). */
export function problemsIn(doc: Y.Doc, sceneId: string): string[] {
  const scene = getSceneMap(doc, sceneId);
  if (!scene) return [`scene ${sceneId} missing`];
  const out: string[] = [];
  for (const [key, value] of scene.entries()) {
    if (key === SCENE_KEYS.meta) {
      if (!(value instanceof Y.Map)) out.push('meta is not a map');
      else if (value.has('name') && typeof value.get('name') !== 'string') out.push('meta.name is not text');
      continue;
    }
    if (key === SCENE_KEYS.blobs) {
      if (!(value instanceof Y.Map)) out.push('blobs is not a map');
      else
        for (const [k, v] of value.entries())
          if (!(v instanceof Uint8Array)) out.push(`blobs.${k}: not bytes`);
      continue;
    }
    const plugin = registry.plugins.find((p) => p.key === key);
    if (!plugin) {
      out.push(`${key}: unknown scene key`);
      continue;
    }
    if (!(value instanceof Y.Map)) {
      out.push(`${key}: not a map`);
      continue;
    }
    if (plugin.attachTo === 'scene') {
      checkProps(value, plugin, key, out);
      continue;
    }
    for (const [id, member] of value.entries()) {
      if (!isEntityId(id)) out.push(`${key}: bad member id ${JSON.stringify(id)}`);
      if (!(member instanceof Y.Map)) out.push(`${key}.${id}: not a map`);
      else checkProps(member, plugin, `${key}.${id}`, out);
    }
  }
  return out;
}
