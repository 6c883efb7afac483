/**
 * Metric 1 — wire bytes per property change.
 *
 * The same seeded, registry-driven edit trace goes through
 * - ours: PartyDataManager.queuePropertyUpdate → broadcaster flush → one
 *   Y.js transaction writing one key per property (docLayout), and
 * - the original design: the scene's whole `stageProps` object set as one
 *   value of the scene Y.Map per change.
 * Each change is flushed on its own, and the Y.js update (V1, what
 * y-partykit sends) emitted by that flush is measured.
 */
import * as Y from 'yjs';
import { registry } from '../engine/generated';
import { PartyDataManager } from '../engine/sync';
import { row, type MetricResult, type RunOptions } from './lib/report';
import { mean, percentile } from './lib/stats';
import { editTrace, sceneWithMembers, setValueAt } from './lib/trace';

/** Members per collection in the edited scene (a small battle map). */
const MEMBERS = 10;

/** Our path: bytes of every update the manager's doc emits, one flush per edit. */
function oursBytes(trace: ReturnType<typeof editTrace>): number[] {
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
    const sceneId = manager.addScene('bench', sceneWithMembers(registry, MEMBERS));
    const sizes: number[] = [];
    let flushBytes = 0;
    manager.doc.on('update', (update: Uint8Array) => (flushBytes += update.byteLength));
    for (const edit of trace) {
      flushBytes = 0;
      const result = manager.queuePropertyUpdate(edit.path, edit.value, sceneId);
      if (!result.ok) throw new Error(`trace edit refused: ${result.reason}`);
      manager.flush();
      sizes.push(flushBytes);
    }
    return sizes;
  } finally {
    manager.destroy();
  }
}

/** The original design: `scenes[sceneId].stageProps = wholeObject` per change. */
function baselineBytes(trace: ReturnType<typeof editTrace>): number[] {
  const doc = new Y.Doc();
  const scene = new Y.Map<unknown>();
  doc.getMap('scenes').set('bench-scene', scene);
  const props = structuredClone(sceneWithMembers(registry, MEMBERS));
  scene.set('stageProps', structuredClone(props));
  const sizes: number[] = [];
  let flushBytes = 0;
  doc.on('update', (update: Uint8Array) => (flushBytes += update.byteLength));
  for (const edit of trace) {
    flushBytes = 0;
    setValueAt(props, edit.path, edit.value);
    scene.set('stageProps', structuredClone(props));
    sizes.push(flushBytes);
  }
  doc.destroy();
  return sizes;
}

export async function run(options: RunOptions): Promise<MetricResult> {
  const count = options.quick ? 300 : 3000;
  const trace = editTrace(registry, options.seed, count, MEMBERS);
  const ours = oursBytes(trace);
  const base = baselineBytes(trace);
  if (ours.some((b) => b === 0)) throw new Error('an edit produced no update: the trace is not all changes');
  const byKind: Record<string, { edits: number; oursMean: number; baselineMean: number }> = {};
  trace.forEach((edit, i) => {
    const k = edit.prop.decl.kind;
    const e = (byKind[k] ??= { edits: 0, oursMean: 0, baselineMean: 0 });
    e.edits++;
    e.oursMean += (ours[i]! - e.oursMean) / e.edits;
    e.baselineMean += (base[i]! - e.baselineMean) / e.edits;
  });
  return {
    id: '1',
    title: 'Wire bytes per property change',
    rows: [
      row('1', 'bytes per changed value (mean)', 'B', mean(ours), mean(base), [
        { on: 'ours', op: '<=', value: 40 },
        { on: 'ratio', op: '<=', value: 0.15 },
      ]),
      row('1', 'bytes per changed value (p95)', 'B', percentile(ours, 95), percentile(base, 95)),
    ],
    details: {
      edits: count,
      membersPerCollection: MEMBERS,
      encoding:
        'Y.js update V1 as emitted by doc.on("update"), one flush per edit, before y-websocket framing (+3–4 B)',
      oursMedian: percentile(ours, 50),
      baselineMedian: percentile(base, 50),
      byValueKind: byKind,
    },
  };
}
