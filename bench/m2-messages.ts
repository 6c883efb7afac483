/**
 * Metric 2 — messages per user-minute.
 *
 * One scripted minute of GM work, replayed in virtual time (bench/lib/
 * virtualTime.ts) through
 * - ours: a PartyDataManager (not connected; the provider would send one
 *   document message per local transaction and one awareness message per
 *   local awareness update, which is what is counted). Slider scrubs and
 *   marker drags are gestures (beginEdit → 60 Hz edits → endEdit): their
 *   intermediate values travel as awareness previews merged with the cursor
 *   (at most one awareness message per 34 ms), and only the final value is
 *   written to the document; and
 * - naive: a client on the same doc layout that writes every input at once
 *   (one transaction per input) and sets its awareness cursor on every move.
 * The script: cursor moves at 60 Hz all minute; a slider scrubbed at 60 Hz
 * (2–12 s and 40–46 s) inside beginEdit/endEdit; a marker added (14 s) and
 * dragged at 60 Hz (15–30 s); discrete edits at 5, 13, 33, 50 and 55 s.
 * After the minute, every property the script touched must hold the last
 * value the user gave it, on both clients.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { PropInfo } from '../engine/schema';
import { registry } from '../engine/generated';
import {
  PartyDataManager,
  getOrCreateSceneMap,
  readSceneProps,
  setPath,
  writeSceneProps,
} from '../engine/sync';
import { validValue } from '../tests/support/arbitraries';
import { row, type MetricResult, type RunOptions } from './lib/report';
import { pick, round, seededRandom } from './lib/stats';
import { sceneProps, sceneWithMembers, valueAt } from './lib/trace';
import { VirtualTime } from './lib/virtualTime';

const FRAME = 1000 / 60;
const MINUTE = 60_000;

/**
 * Pricing inputs for the cost estimate. They are assumptions copied from
 * Cloudflare's Durable Objects pricing page (Workers Paid plan) as of this
 * writing; check the page before relying on the figures.
 */
export const PRICING = {
  source: 'developers.cloudflare.com/durable-objects/platform/pricing (Workers Paid plan), as assumed',
  workersPaidMonthlyUsd: 5,
  includedRequestsPerMonth: 1_000_000,
  usdPerExtraMillionRequests: 0.15,
  incomingWebSocketMessagesPerBilledRequest: 20,
  includedGbSecondsPerMonth: 400_000,
  usdPerExtraMillionGbSeconds: 12.5,
  gbPerObject: 0.125,
  note: 'outgoing WebSocket messages are not billed; the room does not hibernate (hibernate: false), so it is billed for duration while anyone is connected',
} as const;

/** The usage the monthly estimate assumes. */
export const USAGE = {
  concurrentUsers: 20,
  activeHoursPerDay: 4,
  daysPerMonth: 30,
  note: 'all 20 users in one room, each doing the scripted GM minute for every active minute (a worst case)',
} as const;

/** What one input of the script does, for both clients. */
interface Client {
  cursor(p: { x: number; y: number }): void;
  begin(path: string[]): void;
  edit(path: string[], value: unknown): void;
  end(path: string[]): void;
  addMember(collection: string, id: string): void;
  /** Values the doc holds at the end, read back through the doc layout. */
  read(path: readonly string[]): unknown;
  counts(): { doc: number; awareness: number };
}

function oursClient(sceneProps0: ReturnType<typeof sceneWithMembers>): Client & { destroy(): void } {
  const m = new PartyDataManager(
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
  const sceneId = m.addScene('bench', sceneProps0);
  m.setCurrentScene(sceneId);
  let doc = 0;
  let awareness = 0;
  m.doc.on('update', (_u: Uint8Array, origin: unknown) => {
    if (origin === m.origin) doc++;
  });
  // The provider sends one awareness message per local 'update' event (cursor and previews together).
  m.awareness.on('update', (_c: unknown, origin: unknown) => {
    if (origin === 'local') awareness++;
  });
  const ids = new Map<string, string>();
  const real = (path: string[]) => (path.length === 3 ? [path[0]!, ids.get(path[1]!)!, path[2]!] : path);
  return {
    cursor: (p) => m.updateCursor(p),
    begin: (path) => m.beginEdit(real(path)),
    edit: (path, value) => {
      const r = m.queuePropertyUpdate(real(path), value);
      if (!r.ok) throw new Error(`ours refused ${path.join('.')}: ${r.reason}`);
    },
    end: (path) => m.endEdit(real(path)),
    addMember: (collection, id) => void ids.set(id, m.addMember(collection)),
    read: (path) =>
      valueAt(
        readSceneProps(m.doc.getMap('scenes').get(sceneId) as Y.Map<unknown>, registry, 'gm'),
        real([...path]),
      ),
    counts: () => ({ doc, awareness }),
    destroy: () => m.destroy(),
  };
}

function naiveClient(sceneProps0: ReturnType<typeof sceneWithMembers>): Client & { destroy(): void } {
  const ydoc = new Y.Doc();
  const scene = getOrCreateSceneMap(ydoc, 'bench-scene', registry, { name: 'bench' });
  writeSceneProps(scene, sceneProps0, registry);
  const aw = new Awareness(ydoc);
  let doc = 0;
  let awareness = 0;
  ydoc.on('update', () => doc++);
  aw.on('update', (_c: unknown, origin: unknown) => {
    if (origin === 'local') awareness++;
  });
  return {
    cursor: (p) => aw.setLocalStateField('cursor', p),
    begin: () => {},
    edit: (path, value) => {
      const checked = registry.validate(path, value);
      if (!checked.ok) throw new Error(checked.reason);
      ydoc.transact(() => setPath(scene, path, checked.value, registry));
    },
    end: () => {},
    addMember: (collection, id) =>
      ydoc.transact(() => {
        for (const p of registry.collection(collection)!.props)
          setPath(scene, [collection, id, p.key], p.decl.default, registry);
      }),
    read: (path) => valueAt(readSceneProps(scene, registry, 'gm'), path),
    counts: () => ({ doc, awareness }),
    destroy: () => {
      aw.destroy();
      ydoc.destroy();
    },
  };
}

/** Registry-driven choices: a ranged number scene property (the slider), a point member property (the drag). */
function choose(seed: number) {
  const random = seededRandom(seed);
  const sliders = sceneProps(registry).filter(
    (p) => p.decl.kind === 'number' && p.decl.min !== undefined && p.decl.max !== undefined,
  );
  const drags = registry.collections.flatMap((c) =>
    c.props.filter((p) => !p.localOnly && p.decl.kind === 'point'),
  );
  const discrete = sceneProps(registry).filter((p) => ['boolean', 'enum', 'color'].includes(p.decl.kind));
  if (!sliders.length || !drags.length || !discrete.length)
    throw new Error('registry lacks slider/drag/discrete props');
  const slider = pick(random, sliders);
  const drag = pick(random, drags);
  const discreteEdits = [5, 13, 33, 50, 55].map((s, i) => {
    const prop: PropInfo = pick(random, discrete);
    const [value] = fc.sample(validValue(prop.decl), { seed: seed + i, numRuns: 1 });
    return { at: s * 1000, path: [prop.plugin.key, prop.key], value };
  });
  return { slider, drag, discreteEdits };
}

/** Plays the scripted minute on `client`; returns the last value given per path. */
function playMinute(
  client: Client,
  time: VirtualTime,
  seed: number,
): Map<string, { path: string[]; value: unknown }> {
  const { slider, drag, discreteEdits } = choose(seed);
  const start = time.now;
  const last = new Map<string, { path: string[]; value: unknown }>();
  const sliderPath = [slider.plugin.key, slider.key];
  const dragPath = [drag.plugin.key, 'dragged', drag.key];
  const { min, max } = slider.decl as { min: number; max: number };
  const at = (s: number) => s * 1000;
  const edit = (path: string[], value: unknown) => {
    client.edit(path, value);
    last.set(path.join('.'), { path, value });
  };
  let sliding = false;
  let dragging = false;
  let discreteIndex = 0;
  for (let frame = 0; frame * FRAME < MINUTE; frame++) {
    const t = frame * FRAME;
    time.advanceTo(start + t);
    const s = t / 1000;
    client.cursor({ x: round(500 + 400 * Math.sin(s * 1.3), 1), y: round(300 + 200 * Math.cos(s * 0.7), 1) });
    const inSlide = (t >= at(2) && t < at(12)) || (t >= at(40) && t < at(46));
    if (inSlide && !sliding) client.begin(sliderPath);
    if (!inSlide && sliding) client.end(sliderPath);
    sliding = inSlide;
    if (inSlide) edit(sliderPath, round(min + ((max - min) * (1 + Math.sin(s * 2))) / 2, 4));
    if (t >= at(14) && !last.has('added')) {
      client.addMember(drag.plugin.key, 'dragged');
      last.set('added', { path: [], value: true });
    }
    const inDrag = t >= at(15) && t < at(30);
    if (inDrag && !dragging) client.begin(dragPath);
    if (!inDrag && dragging) client.end(dragPath);
    dragging = inDrag;
    if (inDrag)
      edit(dragPath, { x: Math.round(100 + (t - at(15)) / 20), y: Math.round(200 + 50 * Math.sin(s)) });
    while (discreteIndex < discreteEdits.length && discreteEdits[discreteIndex]!.at <= t) {
      const d = discreteEdits[discreteIndex++]!;
      edit(d.path, d.value);
    }
  }
  time.advanceTo(start + MINUTE);
  last.delete('added');
  return last;
}

function monthly(messagesPerUserMinute: number) {
  const userMinutes = USAGE.concurrentUsers * USAGE.activeHoursPerDay * 60 * USAGE.daysPerMonth;
  const incoming = messagesPerUserMinute * userMinutes;
  const billed = incoming / PRICING.incomingWebSocketMessagesPerBilledRequest;
  const requestUsd =
    (Math.max(0, billed - PRICING.includedRequestsPerMonth) / 1e6) * PRICING.usdPerExtraMillionRequests;
  const gbSeconds = USAGE.activeHoursPerDay * 3600 * USAGE.daysPerMonth * PRICING.gbPerObject;
  const durationUsd =
    (Math.max(0, gbSeconds - PRICING.includedGbSecondsPerMonth) / 1e6) * PRICING.usdPerExtraMillionGbSeconds;
  return {
    incomingMessages: Math.round(incoming),
    billedRequests: Math.round(billed),
    gbSeconds,
    usd: round(PRICING.workersPaidMonthlyUsd + requestUsd + durationUsd, 2),
  };
}

export async function run(options: RunOptions): Promise<MetricResult> {
  const initial = sceneWithMembers(registry, 0);
  const time = new VirtualTime();
  time.install();
  let ours: ReturnType<typeof oursClient> | undefined;
  let naive: ReturnType<typeof naiveClient> | undefined;
  try {
    ours = oursClient(initial);
    naive = naiveClient(initial);
    const o0 = ours.counts();
    const n0 = naive.counts();
    const lastOurs = playMinute(ours, time, options.seed);
    const lastNaive = playMinute(naive, time, options.seed);
    time.advanceTo(time.now + 1000); // let any trailing throttle fire
    const o = ours.counts();
    const n = naive.counts();
    const oDoc = o.doc - o0.doc;
    const nDoc = n.doc - n0.doc;
    const oAw = o.awareness - o0.awareness;
    const nAw = n.awareness - n0.awareness;
    const lost: string[] = [];
    for (const [key, { path, value }] of lastOurs)
      if (JSON.stringify(ours.read(path)) !== JSON.stringify(value)) lost.push(`ours ${key}`);
    for (const [key, { path, value }] of lastNaive)
      if (JSON.stringify(naive.read(path)) !== JSON.stringify(value)) lost.push(`naive ${key}`);
    const ourCost = monthly(oDoc + oAw);
    const naiveCost = monthly(nDoc + nAw);
    return {
      id: '2',
      title: 'Messages per user-minute',
      rows: [
        row('2', 'document messages per user-minute', 'msg', oDoc, nDoc, {
          on: 'ratio',
          op: '<=',
          value: 0.1,
        }),
        row('2', 'awareness (cursor + preview) messages per user-minute', 'msg', oAw, nAw, {
          on: 'ratio',
          op: '<=',
          value: 0.5,
        }),
        row('2', 'final values lost', 'count', lost.length, NaN, { on: 'ours', op: '<=', value: 0 }),
        row(
          '2',
          `est. monthly cost, ${USAGE.concurrentUsers} users (see details)`,
          'USD',
          ourCost.usd,
          naiveCost.usd,
        ),
      ],
      details: {
        script:
          'cursor 60 Hz all minute; slider 60 Hz 2–12 s and 40–46 s; marker added at 14 s, dragged 60 Hz 15–30 s; 5 discrete edits',
        docReduction: round(1 - oDoc / nDoc, 3),
        awarenessReduction: round(1 - oAw / nAw, 3),
        lost,
        pricingAssumptions: PRICING,
        usageAssumptions: USAGE,
        monthly: { ours: ourCost, naive: naiveCost },
        note: 'ours sends slider scrubs and marker drags as awareness previews merged with the cursor (one awareness message per 34 ms at most) and writes only each gesture’s final value to the document; the naive client writes every input to the document and sends every cursor move',
      },
    };
  } finally {
    ours?.destroy();
    naive?.destroy();
    time.uninstall();
  }
}
