/**
 * Registry-driven edits of a scene in a Y.Doc, the way an editor makes them
 * (through the doc layout's setPath / deleteMember), and readers that turn a
 * doc into comparable data. No property is named: the paths come from the
 * registry, so the suite follows the schemas as they change.
 */
import * as Y from 'yjs';
import { registry } from '../../../engine/generated';
import type { PluginInfo, PropInfo } from '../../../engine/schema';
import {
  deleteMember,
  getBlobs,
  getSceneMap,
  getSceneName,
  readSceneProps,
  setPath,
  setSceneName,
} from '../../../engine/sync/docLayout';
import type { StageProps, View } from '../../../engine/generated';
import { toBase64 } from '../../../partykit/session/saveLoop';
import { encodeTile, FOG_TILE } from '../../../plugins/fogOfWar/mask';
import { validValueOf, type Rng } from './seed';
import { roomPlugins } from '../../../partykit/generated/roomPlugins';
import { playerShownValue } from '../../support/playerShown';

/** Scene plugin properties that live in the doc (not local-only). */
export const scenePaths: ReadonlyArray<{ plugin: PluginInfo; prop: PropInfo }> =
  registry.scenePlugins.flatMap((plugin) =>
    plugin.props.filter((p) => !p.localOnly).map((prop) => ({ plugin, prop })),
  );

/**
 * The scene properties random edits change: not those of plugins that occlude (fog). With fog on at
 * player opacity 1 the room rightly leaves members out of the player view, which the suites'
 * "player sees what the GM's player view holds" checks do not model (occlusion has its own tests).
 */
const occluding = new Set(roomPlugins.filter((r) => r.occlusion).map((r) => r.name));
const editedScenePaths = scenePaths.filter(({ plugin }) => !occluding.has(plugin.name));

/** Collections and their synced member properties. */
export const collections: readonly PluginInfo[] = registry.collections;

/** Fog-mask style tile key (the doc layout's `blobs` map: `fog/<tx>_<ty>`). */
export const tileKey = (x: number, y: number) => `fog/${x}_${y}`;

/**
 * A valid fog tile with random content: runs of random length up to
 * `maxRun` cells (1 gives the densest tile, about 4 KB). The channel checks
 * tile content, so random bytes would be repaired away.
 */
export function randomTile(rng: Rng, maxRun = 64): Uint8Array {
  const cells = new Uint8Array(FOG_TILE * FOG_TILE);
  let value = rng.int(0, 1);
  for (let at = 0; at < cells.length; value ^= 1) {
    const run = rng.int(1, maxRun);
    cells.fill(value, at, at + run);
    at += run;
  }
  return encodeTile(cells);
}

/** A member id the registry accepts, unique per (prefix, n). */
export const memberId = (prefix: string, n: number) => `${prefix}${n.toString(36)}`;

function scene(doc: Y.Doc, sceneId: string): Y.Map<unknown> {
  const map = getSceneMap(doc, sceneId);
  if (!map) throw new Error(`scene ${sceneId} is not in the doc`);
  return map;
}

/** Members of a collection currently in the doc. */
export function memberIds(doc: Y.Doc, sceneId: string, collection: PluginInfo): string[] {
  const map = scene(doc, sceneId).get(collection.key);
  return map instanceof Y.Map ? [...map.keys()] : [];
}

/** Writes a whole new member with registry-valid values, in one transaction. */
export function addMember(doc: Y.Doc, sceneId: string, collection: PluginInfo, id: string, rng: Rng): void {
  const map = scene(doc, sceneId);
  doc.transact(() => {
    for (const prop of collection.props)
      if (!prop.localOnly)
        setPath(
          map,
          [collection.key, id, prop.key],
          playerShownValue(collection, prop, validValueOf(prop.decl, rng)),
          registry,
        );
  });
}

/** Kinds of edit {@link randomEdit} makes. */
export type EditKind = 'prop' | 'add' | 'member' | 'delete' | 'blob' | 'unblob' | 'name';

/**
 * One random registry-valid edit of `sceneId` in `doc`: a scene property, a
 * new member, a member property, a deleted member, a fog tile written or
 * removed, or the scene's name. `idPrefix` keeps member ids of different
 * clients apart (concurrent creation of one id is a different test).
 */
export function randomEdit(
  doc: Y.Doc,
  sceneId: string,
  rng: Rng,
  idPrefix: string,
  counter: { n: number },
  kinds: readonly EditKind[] = [
    'prop',
    'prop',
    'add',
    'member',
    'member',
    'delete',
    'blob',
    'unblob',
    'name',
  ],
): EditKind {
  const map = scene(doc, sceneId);
  const kind = rng.pick(kinds);
  const collection = collections.length ? rng.pick(collections) : undefined;
  const existing = collection ? memberIds(doc, sceneId, collection) : [];
  switch (kind) {
    case 'prop': {
      const { plugin, prop } = rng.pick(editedScenePaths);
      setPath(map, [plugin.key, prop.key], validValueOf(prop.decl, rng), registry);
      return kind;
    }
    case 'member':
    case 'delete':
      if (collection && existing.length) {
        const id = rng.pick(existing);
        if (kind === 'delete') deleteMember(map, collection.key, id);
        else {
          const prop = rng.pick(collection.props.filter((p) => !p.localOnly));
          const value = playerShownValue(collection, prop, validValueOf(prop.decl, rng));
          setPath(map, [collection.key, id, prop.key], value, registry);
        }
        return kind;
      }
      if (!collection) return kind;
      addMember(doc, sceneId, collection, memberId(idPrefix, counter.n++), rng);
      return 'add';
    case 'add':
      if (collection) addMember(doc, sceneId, collection, memberId(idPrefix, counter.n++), rng);
      return kind;
    case 'blob':
      getBlobs(map, true)!.set(tileKey(rng.int(0, 3), rng.int(0, 3)), randomTile(rng));
      return kind;
    case 'unblob': {
      const blobs = getBlobs(map, false);
      const keys = blobs ? [...blobs.keys()] : [];
      if (keys.length) blobs!.delete(rng.pick(keys));
      return kind;
    }
    case 'name':
      setSceneName(map, `Scene ${rng.int(0, 1e6)}`);
      return kind;
  }
}

/** A scene as comparable data: props (for a view), name and blobs (base64). */
export interface SceneData {
  readonly props: StageProps;
  readonly name: string;
  readonly blobs: Record<string, string>;
}

export function sceneData(doc: Y.Doc, sceneId: string, view: View = 'gm'): SceneData {
  const map = scene(doc, sceneId);
  const blobs: Record<string, string> = {};
  const blobMap = getBlobs(map, false);
  for (const key of [...(blobMap?.keys() ?? [])].sort()) {
    const v = blobMap!.get(key);
    if (v instanceof Uint8Array) blobs[key] = toBase64(v);
  }
  return { props: readSceneProps(map, registry, view), name: getSceneName(map), blobs };
}

/** True when the doc holds no updates waiting for missing predecessors. */
export function noPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs === null && doc.store.pendingDs === null;
}

/** Stable JSON (sorted keys) for equality checks and short diffs. */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
