/**
 * Occlusion in the player projection (issue 16): a member whose footprint
 * (its collection plugin's `footprint`) lies entirely in areas a scene
 * plugin's `occlusion` hides is left out for players. The core knows
 * neither fog nor markers — only areas.
 *
 * Incremental by construction: each projected member's footprint is kept in
 * a coarse spatial index per scene, so when an occluding plugin's data
 * changes (one fog tile), only members whose footprint meets the areas it
 * reports are projected again, and a moved member asks about the cells under
 * it only. `'all'` (the fog switched on, opacity changed) re-asks every
 * indexed member of that scene.
 */
import * as Y from 'yjs';
import type { Area, Occlusion, OcclusionScene, RoomPlugin } from '../../engine/plugin';
import type { PluginInfo, Registry } from '../../engine/schema';
import { SCENE_KEYS, getSceneMap, readGroup, type YMap } from '../../engine/sync/docLayout';

/** Spatial index bucket side, in scene units: a few buckets per member, a few per changed area. */
const BUCKET = 256;
/** Areas wider than this many buckets a side are re-asked by scanning the scene's members instead. */
const MAX_BUCKETS_PER_SIDE = 64;

/** A member as the index names it: collection key and member id. */
export type MemberRef = readonly [collectionKey: string, id: string];

interface SceneIndex {
  readonly buckets: Map<string, Set<string>>;
  readonly areas: Map<string, Area>;
}

function bucketKeys(a: Area): string[] | undefined {
  const bx0 = Math.floor(a.x0 / BUCKET);
  const by0 = Math.floor(a.y0 / BUCKET);
  const bx1 = Math.floor(a.x1 / BUCKET);
  const by1 = Math.floor(a.y1 / BUCKET);
  if (bx1 - bx0 > MAX_BUCKETS_PER_SIDE || by1 - by0 > MAX_BUCKETS_PER_SIDE) return undefined;
  const keys: string[] = [];
  for (let by = by0; by <= by1; by++) for (let bx = bx0; bx <= bx1; bx++) keys.push(`${bx}_${by}`);
  return keys;
}

const meets = (a: Area, b: Area) => a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;
const REF_SEP = '\u0000';

/** See the module comment. */
export class OcclusionIndex {
  private readonly occluders: Array<{ readonly info: PluginInfo; readonly occlusion: Occlusion }>;
  private readonly footprints = new Map<string, NonNullable<RoomPlugin['footprint']>>();
  /** Scene plugins some footprint reads: a change of their group moves footprints. */
  private readonly footprintReads = new Set<string>();
  private readonly scenes = new Map<string, SceneIndex>();

  private readonly source: () => Y.Doc;

  constructor(
    /** The document players are projected from (see Projector). */
    source: Y.Doc | (() => Y.Doc),
    private readonly registry: Registry,
    plugins: readonly RoomPlugin[],
    private readonly log: (message: string, error: unknown) => void = (m, e) => console.error(m, e),
  ) {
    this.source = typeof source === 'function' ? source : () => source;
    this.occluders = plugins.flatMap((p) => {
      const info = registry.scenePlugins.find((s) => s.name === p.name);
      return p.occlusion && info ? [{ info, occlusion: p.occlusion }] : [];
    });
    for (const p of plugins) if (p.footprint) this.footprints.set(p.name, p.footprint);
    for (const p of plugins)
      for (const name of p.footprint ? (p.footprintReads ?? []) : []) this.footprintReads.add(name);
  }

  /** A scene plugin's group as a footprint reads it (GM values; empty when unknown). */
  private sceneGroup(sceneId: string, pluginName: string): Readonly<Record<string, unknown>> {
    const info = this.registry.scenePlugins.find((s) => s.name === pluginName);
    const scene = getSceneMap(this.source(), sceneId);
    return info && scene ? readGroup(scene, info, 'gm') : {};
  }

  /** True when some plugin occludes and some collection has footprints (else the index stays empty). */
  get active(): boolean {
    return this.occluders.length > 0 && this.footprints.size > 0;
  }

  private view(sceneId: string, info: PluginInfo): OcclusionScene {
    const scene = getSceneMap(this.source(), sceneId);
    const blobs = scene?.get(SCENE_KEYS.blobs);
    return {
      sceneId,
      values: scene ? readGroup(scene, info, 'gm') : {},
      blob: (key) => {
        const v = blobs instanceof Y.Map ? (blobs as YMap).get(key) : undefined;
        return v instanceof Uint8Array ? v : undefined;
      },
    };
  }

  /**
   * True when players must not receive this member: its footprint is entirely hidden. Records the
   * footprint so later changes of occluding data find the member.
   */
  hidden(
    sceneId: string,
    collection: PluginInfo,
    id: string,
    values: Readonly<Record<string, unknown>>,
  ): boolean {
    if (!this.active) return false;
    const footprint = this.footprints.get(collection.name);
    if (!footprint) return false;
    let area: Area | undefined;
    try {
      area = footprint(values, (plugin) => this.sceneGroup(sceneId, plugin));
    } catch (e) {
      this.log(`room plugin ${collection.name}: footprint threw; the member is hidden from players`, e);
      return true;
    }
    this.place(sceneId, `${collection.key}${REF_SEP}${id}`, area);
    if (!area) return false;
    for (const { info, occlusion } of this.occluders) {
      try {
        if (occlusion.hides(this.view(sceneId, info), area)) return true;
      } catch (e) {
        // A bug must not leak data: a throwing occlusion hides.
        this.log(`room plugin ${info.name}: occlusion threw; the member is hidden from players`, e);
        return true;
      }
    }
    return false;
  }

  /** The member left the projection for good (removed, or its scene is gone). */
  forget(sceneId: string, collectionKey: string, id: string): void {
    this.place(sceneId, `${collectionKey}${REF_SEP}${id}`, undefined);
  }

  forgetScene(sceneId: string): void {
    this.scenes.delete(sceneId);
  }

  /**
   * The members to project again after the occluding data of `pluginName` changed (`key`: a blob of
   * its channels; none: its scene group). Empty when that plugin occludes nothing.
   */
  affected(sceneId: string, pluginName: string, key?: string): MemberRef[] {
    const occluder = this.occluders.find((o) => o.info.name === pluginName);
    const index = this.scenes.get(sceneId);
    // A group footprints read changed (the grid's cell size): every footprint may have moved.
    if (index && key === undefined && this.footprintReads.has(pluginName))
      return [...index.areas.keys()].map((ref) => ref.split(REF_SEP) as unknown as MemberRef);
    if (!occluder || !index) return [];
    let areas: readonly Area[] | 'all';
    try {
      areas = occluder.occlusion.changed(
        this.view(sceneId, occluder.info),
        key === undefined ? { kind: 'group', sceneId } : { kind: 'blob', sceneId, key },
      );
    } catch (e) {
      this.log(`room plugin ${pluginName}: occlusion.changed threw; every member is checked again`, e);
      areas = 'all';
    }
    const refs = new Set<string>();
    for (const area of areas === 'all' ? [] : areas) {
      const keys = bucketKeys(area);
      if (!keys) {
        areas = 'all';
        break;
      }
      for (const k of [...keys, '*'])
        for (const ref of index.buckets.get(k) ?? []) if (meets(index.areas.get(ref)!, area)) refs.add(ref);
    }
    const chosen = areas === 'all' ? index.areas.keys() : refs;
    return [...chosen].map((ref) => ref.split(REF_SEP) as unknown as MemberRef);
  }

  private place(sceneId: string, ref: string, area: Area | undefined): void {
    let index = this.scenes.get(sceneId);
    const before = index?.areas.get(ref);
    if (
      before &&
      area &&
      before.x0 === area.x0 &&
      before.y0 === area.y0 &&
      before.x1 === area.x1 &&
      before.y1 === area.y1
    )
      return;
    if (before && index) {
      for (const k of bucketKeys(before) ?? ['*']) index.buckets.get(k)?.delete(ref);
      index.areas.delete(ref);
    }
    if (!area) return;
    if (!index) this.scenes.set(sceneId, (index = { buckets: new Map(), areas: new Map() }));
    index.areas.set(ref, area);
    // A footprint too large for buckets sits in '*', which every changed area meets.
    for (const k of bucketKeys(area) ?? ['*']) {
      let set = index.buckets.get(k);
      if (!set) index.buckets.set(k, (set = new Set()));
      set.add(ref);
    }
  }
}
