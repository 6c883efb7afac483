/**
 * Metric 10 — drawing 1,000 strokes.
 *
 * Bytes: each seeded pen stroke (~120 samples) goes through the real
 * PartyDataManager. Ours does what the drawing tool does: create the member
 * with its first point, preview the path in an edit gesture (awareness, not
 * measured here: it never enters the document), write the smoothed,
 * compressed path once on release. The baseline writes the path after every
 * sample (one flush per point), the way a naive tool keeps others live.
 *
 * Render: a remote client's renderer (NullEngine: CPU cost of turning props
 * into geometry, not GPU time) with 1,000 strokes on the stage, timed per
 * stroke received: ours gets two snapshots per stroke, the baseline one per point.
 * The drawing renderer keeps strokes in chunks (plugins/drawing/chunks.ts),
 * so a new stroke rebuilds one chunk's mesh. Wall time and process CPU time
 * are both reported: on a shared machine the CPU figure is the steadier one.
 */
import { performance } from 'node:perf_hooks';
import { registry } from '../engine/generated';
import { defaultDrawingProps, defaultStageProps, type DrawingProps } from '../engine/generated/stageProps';
import { createNullStageRenderer } from '../engine/render/nullRenderer';
import { PartyDataManager } from '../engine/sync';
import { editorPlugins } from '../editor/generated/plugins';
import { encodePoints, smoothPath } from '../plugins/drawing/encoding';
import type { Point } from '../engine/schema';
import { row, type MetricResult, type RunOptions } from './lib/report';
import { mean, percentile } from './lib/stats';

function penStrokes(count: number, samples: number, seed: number): Point[][] {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return Array.from({ length: count }, () => {
    let x = rnd() * 2000;
    let y = rnd() * 2000;
    return Array.from({ length: samples }, () => ({ x: (x += 3 + rnd() * 2), y: (y += rnd() * 4) }));
  });
}

const KEY = registry.plugin('drawing')!.key;

function bytesPerStroke(strokes: Point[][], perPoint: boolean): number[] {
  const manager = new PartyDataManager(
    'bench-party',
    'bench-gm',
    'bench-session',
    '127.0.0.1:1',
    async () => 'no-ticket',
    {
      connect: false,
      storage: null,
    },
  );
  try {
    const sceneId = manager.addScene('bench', defaultStageProps());
    let bytes = 0;
    manager.doc.on('update', (u: Uint8Array) => (bytes += u.byteLength));
    return strokes.map((pts) => {
      bytes = 0;
      const id = manager.addMember(KEY, { kind: 'pen', points: encodePoints(pts.slice(0, 1)) }, sceneId);
      manager.flush();
      const path = [KEY, id, 'points'];
      if (perPoint) {
        for (let i = 2; i <= pts.length; i++) {
          manager.queuePropertyUpdate(path, encodePoints(pts.slice(0, i)), sceneId);
          manager.flush();
        }
      } else {
        manager.beginEdit(path, sceneId);
        for (let i = 2; i <= pts.length; i++)
          manager.queuePropertyUpdate(path, encodePoints(smoothPath(pts.slice(0, i))), sceneId);
        manager.endEdit(path, sceneId);
        manager.flush();
      }
      return bytes;
    });
  } finally {
    manager.destroy();
  }
}

/**
 * Renderer CPU per received stroke. The per-point baseline is timed over its
 * first `perPointCap` snapshots and scaled to the whole stroke: every snapshot
 * rebuilds the same layer, so the cost per snapshot is flat.
 */
function renderMsPerStroke(
  strokes: Point[][],
  perPoint: boolean,
  measured: number,
  perPointCap = 10,
): { wall: number[]; cpu: number[] } {
  const r = createNullStageRenderer({ view: 'player', plugins: editorPlugins, registry });
  const props = defaultStageProps();
  const member = (pts: Point[]): DrawingProps => ({
    ...defaultDrawingProps,
    kind: 'pen',
    points: encodePoints(pts),
  });
  const base: Record<string, DrawingProps> = {};
  strokes.forEach((pts, i) => (base[`s${i}`] = member(smoothPath(pts))));
  let strokesNow = base;
  r.setProps({ ...props, strokes: strokesNow });
  const times: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < measured; k++) {
    const pts = strokes[k % strokes.length]!;
    const id = `new${k}`;
    const snapshots = perPoint
      ? pts.slice(0, perPointCap).map((_, i) => pts.slice(0, i + 1))
      : [pts.slice(0, 1), smoothPath(pts)];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const s of snapshots) {
      strokesNow = { ...strokesNow, [id]: member(s) };
      r.setProps({ ...props, strokes: strokesNow });
    }
    const scale = perPoint ? pts.length / snapshots.length : 1;
    times.push((performance.now() - t0) * scale);
    const used = process.cpuUsage(c0);
    cpu.push(((used.user + used.system) / 1000) * scale);
  }
  r.dispose();
  return { wall: times, cpu };
}

export async function run(options: RunOptions): Promise<MetricResult> {
  const count = options.quick ? 200 : 1000;
  const samples = 120;
  const strokes = penStrokes(count, samples, options.seed);
  const ours = bytesPerStroke(strokes, false);
  const base = bytesPerStroke(strokes, true);
  const measured = options.quick ? 5 : 15;
  const oursMs = renderMsPerStroke(strokes, false, measured);
  const baseMs = renderMsPerStroke(strokes, true, 1);
  return {
    id: '10',
    title: 'drawing strokes',
    rows: [
      row('10', `${count} strokes: document bytes per stroke (mean)`, 'B', mean(ours), mean(base), {
        on: 'ratio',
        op: '<=',
        value: 0.1,
      }),
      row('10', 'document bytes per stroke (p95)', 'B', percentile(ours, 95), percentile(base, 95)),
      row('10', `document writes per stroke`, 'writes', 2, samples),
      row(
        '10',
        `remote render wall time per stroke, ${count} on stage (p50)`,
        'ms',
        percentile(oursMs.wall, 50),
        percentile(baseMs.wall, 50),
      ),
      row(
        '10',
        `remote render CPU time per stroke, ${count} on stage (p50)`,
        'ms',
        percentile(oursMs.cpu, 50),
        percentile(baseMs.cpu, 50),
        { on: 'ours', op: '<=', value: 16 },
      ),
    ],
    details: {
      strokes: count,
      samplesPerStroke: samples,
      renderEngine: 'NullEngine (CPU geometry cost only; no GPU frame time)',
      baselineRender: 'first 10 per-point snapshots timed, scaled to the stroke length',
      renderSamples: { ours: oursMs, baseline: baseMs },
      totalDocumentBytes: {
        ours: ours.reduce((a, b) => a + b, 0),
        baseline: base.reduce((a, b) => a + b, 0),
      },
    },
  };
}
