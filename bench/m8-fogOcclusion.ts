/**
 * Metric 8 — room CPU per fog stroke with 1,000 markers under fog (issue 16).
 *
 * The room's pipeline without PartyKit (repairs, then the player projection
 * with the fog and marker room halves): a fogged scene holds 1,000 markers
 * spread over 40 × 40 fog tiles, all hidden from players. Each stroke reveals
 * a small disc (writes the one to four tiles it crosses) in one client
 * transaction; we measure the CPU of that commit.
 * - ours: the occlusion index re-asks only members whose footprint meets a
 *   changed tile;
 * - baseline: a full-scene rescan — every member is asked again after each
 *   stroke (the index answers "everything" for every change).
 * Both must leave players the same members.
 */
import * as Y from 'yjs';
import { registry } from '../engine/generated';
import { getOrCreateSceneMap, getSceneMap } from '../engine/sync/docLayout';
import { ROOM_ORIGIN } from '../partykit/core/syncRoom';
import { OcclusionIndex, type MemberRef } from '../partykit/session/occlusion';
import { Projector } from '../partykit/session/projection';
import { RoomHooks } from '../partykit/session/roomHooks';
import { ChangeTracker } from '../partykit/session/tracker';
import { FOG_CELL, FOG_TILE, FogMask } from '../plugins/fogOfWar/mask';
import fogRoom from '../plugins/fogOfWar/room';
import markerRoom from '../plugins/marker/room';
import { row, type MetricResult, type RunOptions } from './lib/report';
import { mean, percentile, round, seededRandom } from './lib/stats';

const MARKERS = 1000;
const TILES = 40;
const plugins = [fogRoom, markerRoom];

/** The baseline: every occluding change re-asks every member of the scene. */
class RescanIndex extends OcclusionIndex {
  override affected(sceneId: string, pluginName: string): MemberRef[] {
    return super.affected(sceneId, pluginName);
  }
}

function room(rescan: boolean, seed: number) {
  const random = seededRandom(seed);
  const full = new Y.Doc();
  const view = new Y.Doc();
  const tracker = new ChangeTracker(full, registry);
  const index = rescan
    ? new RescanIndex(full, registry, plugins)
    : new OcclusionIndex(full, registry, plugins);
  const projector = new Projector(full, view, registry, new RoomHooks(registry, plugins), () => true, index);
  const commit = () => {
    full.transact(() => tracker.runChecks(), ROOM_ORIGIN);
    projector.project(tracker.takeViewChanges(), ROOM_ORIGIN);
  };
  full.transact(() => getOrCreateSceneMap(full, 's1', registry, { name: 'Bench' }), ROOM_ORIGIN);
  commit();
  const client = { id: 'bench client' };
  const scene = getSceneMap(full, 's1')!;
  const fogKey = registry.scenePlugins.find((p) => p.name === fogRoom.name)!.key;
  const markersKey = registry.collection(
    registry.collections.find((c) => c.name === markerRoom.name)!.key,
  )!.key;
  full.transact(() => {
    (scene.get(fogKey) as Y.Map<unknown>).set('enabled', true);
    const markers = scene.get(markersKey) as Y.Map<unknown>;
    const span = TILES * FOG_TILE * FOG_CELL;
    for (let i = 0; i < MARKERS; i++) {
      const m = new Y.Map<unknown>();
      markers.set(`m${i}`, m);
      m.set('position', { x: Math.round(random() * span), y: Math.round(random() * span) });
      m.set('label', `marker ${i}`);
    }
  }, client);
  commit();
  const mask = new FogMask();
  const blobs = scene.get('blobs') as Y.Map<unknown>;
  /** One brush dab: reveals a disc of `r` cells around a random point, writes the tiles it changed. */
  const stroke = () => {
    const r = 8;
    const cx = Math.floor(random() * TILES * FOG_TILE);
    const cy = Math.floor(random() * TILES * FOG_TILE);
    const touched = new Set<string>();
    for (let y = cy - r; y <= cy + r; y++)
      for (let x = cx - r; x <= cx + r; x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
        const tx = Math.floor(x / FOG_TILE);
        const ty = Math.floor(y / FOG_TILE);
        mask.tile(tx, ty)[(y - ty * FOG_TILE) * FOG_TILE + (x - tx * FOG_TILE)] = 0;
        touched.add(`${tx}_${ty}`);
      }
    full.transact(() => {
      for (const id of touched) {
        const [tx, ty] = id.split('_').map(Number) as [number, number];
        const bytes = mask.settle(tx, ty);
        if (bytes) blobs.set(`fog/${tx}_${ty}`, bytes);
      }
    }, client);
    const t0 = process.cpuUsage();
    commit();
    const used = process.cpuUsage(t0);
    return (used.user + used.system) / 1000;
  };
  const visible = () => [...(getSceneMap(view, 's1')!.get(markersKey) as Y.Map<unknown>).keys()].sort();
  return { stroke, visible };
}

export async function run(options: RunOptions): Promise<MetricResult> {
  const strokes = options.quick ? 40 : 200;
  const ours = room(false, options.seed);
  const base = room(true, options.seed);
  const o: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < strokes; i++) {
    o.push(ours.stroke());
    b.push(base.stroke());
  }
  const same = JSON.stringify(ours.visible()) === JSON.stringify(base.visible());
  if (!same) throw new Error('incremental and rescan projections disagree on the visible members');
  return {
    id: '8',
    title: 'Fog stroke CPU (1,000 markers under fog)',
    rows: [
      row('8', 'room CPU per fog stroke, mean (vs full-scene rescan)', 'ms', mean(o), mean(b), {
        on: 'ratio',
        op: '<=',
        value: 0.2,
      }),
      row(
        '8',
        'room CPU per fog stroke, p95 (vs full-scene rescan)',
        'ms',
        percentile(o, 95),
        percentile(b, 95),
      ),
    ],
    details: {
      markers: MARKERS,
      strokes,
      revealedMembers: ours.visible().length,
      p50: round(percentile(o, 50), 3),
    },
  };
}
