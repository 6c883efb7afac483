/**
 * Metric 7 — cold load of a 1,000-marker scene.
 *
 * The GM editor's own first-frame timing needs a hook the editor does not
 * have yet, so this measures the two parts it is made of, for real:
 * - the API load the editor starts with (`GET /api/sessions/:id/load`, GM
 *   token, real app server over libSQL), then the render host's first frame
 *   from those StageProps in headless Chromium (baseline: one Babylon mesh
 *   per marker from the same props);
 * - the room's hydration: the first client to join a fresh `partykit dev`
 *   room waits while the room loads the session from the app server, vs a
 *   second client joining the now-live room.
 * The scene is written to the DB through the internal API first.
 */
import { registry } from '../engine/generated';
import { collectionConverters } from '../engine/generated/converters';
import type { StageProps } from '../engine/generated';
import { startPartykit } from '../tests/harness/partykit';
import {
  createParty,
  INTERNAL_SECRET,
  roomUrl,
  startApp,
  ticketsFrom,
  TOKEN_SECRET,
} from '../tests/integration/partykit/support';
import { bundlePage, launchChromium } from './lib/browser';
import { row, type MetricResult, type RunOptions } from './lib/report';
import { percentile, round, seededRandom } from './lib/stats';
import { memberIdOf, sceneWithMembers } from './lib/trace';
import { BenchClient } from './lib/wsClient';

const MARKERS = 1000;

/** The collection the markers are: the first with a position, as the render bench (render/page.ts) picks. */
function markerCollection() {
  for (const c of registry.collections) {
    const point = c.props.find((p) => p.decl.kind === 'point');
    if (point) return { c, point };
  }
  throw new Error('no collection with a point property');
}

/** A scene of MARKERS markers spread over the map; every other collection stays empty. */
function scatteredScene(seed: number): StageProps {
  const props = sceneWithMembers(registry, 0) as unknown as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  const { c, point } = markerCollection();
  const random = seededRandom(seed);
  const members: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < MARKERS; i++) {
    const m = Object.fromEntries(c.props.map((p) => [p.key, structuredClone(p.decl.default)]));
    m[point.key] = { x: Math.round(random() * 4000), y: Math.round(random() * 4000) };
    members[memberIdOf(i)] = m;
  }
  props[c.key] = members;
  return props as unknown as StageProps;
}

export async function run(options: RunOptions): Promise<MetricResult> {
  const app = await startApp();
  const cleanups: Array<() => unknown> = [() => app.close()];
  try {
    const party = await createParty(app, 'Cold load party');
    const props = scatteredScene(options.seed);
    const collections: Record<string, unknown> = {};
    for (const c of registry.collections) {
      const convert = collectionConverters[c.key as keyof typeof collectionConverters];
      collections[c.key] = convert(props, party.sceneId);
    }
    const saved = await app.internal('PUT', `/internal/scenes/${party.sceneId}`, {
      gameSessionId: party.gameSessionId,
      collections,
      savedAt: Date.now(),
    });
    if (saved.status !== 200)
      throw new Error(`scene save failed: ${saved.status} ${JSON.stringify(saved.body)}`);

    // API load, as the editor does it first.
    const loads: number[] = [];
    let loaded: { props: Record<string, unknown> } | undefined;
    let loadBytes = 0;
    for (let i = 0; i < (options.quick ? 3 : 7); i++) {
      const t0 = performance.now();
      const res = await fetch(`${app.url}/api/sessions/${party.gameSessionId}/load`, {
        headers: { authorization: `Bearer ${party.gm}` },
      });
      const text = await res.text();
      loads.push(performance.now() - t0);
      if (!res.ok) throw new Error(`load failed: ${res.status} ${text}`);
      loadBytes = text.length;
      loaded = JSON.parse(text) as { props: Record<string, unknown> };
    }
    const members = Object.keys((loaded!.props[markerCollection().c.key] ?? {}) as object).length;
    if (members !== MARKERS) throw new Error(`the load returned ${members} markers, not ${MARKERS}`);

    // First frame from those props.
    const page = await bundlePage('bench/render/page.ts');
    cleanups.push(() => page.dispose());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const frame: Record<'ours' | 'baseline', number[]> = { ours: [], baseline: [] };
    for (let i = 0; i < (options.quick ? 1 : 3); i++)
      for (const mode of ['ours', 'baseline'] as const) {
        const tab = await browser.newPage({ viewport: { width: 1024, height: 768 } });
        await tab.goto(page.url);
        await tab.waitForFunction(() => typeof window.firstFrame === 'function');
        frame[mode].push(await tab.evaluate((req) => window.firstFrame(req), { mode, props: loaded!.props }));
        await tab.close();
      }

    // Room hydration: the first client waits for the room to load the session from the app server.
    const pk = ticketsFrom(
      await startPartykit({ vars: { TOKEN_SECRET, INTERNAL_SECRET, APP_URL: app.url } }),
      app.url,
    );
    cleanups.push(() => pk.stop());
    // One-use tickets, fetched before the clock starts (the editor fetches one before it connects too).
    const url = () => roomUrl(pk, 'game_session', party.gameSessionId, party.gm);
    const firstUrl = await url();
    const t0 = performance.now();
    const first = await BenchClient.connect(firstUrl, { applyAwareness: false });
    await first.whenSynced();
    const hydrationMs = first.syncedAt - t0;
    const secondUrl = await url();
    const t1 = performance.now();
    const second = await BenchClient.connect(secondUrl, { applyAwareness: false });
    await second.whenSynced();
    const warmMs = second.syncedAt - t1;
    first.close();
    second.close();

    const api = percentile(loads.slice(1), 50);
    const ours = percentile(frame.ours, 50);
    const base = percentile(frame.baseline, 50);
    return {
      id: '7',
      title: 'Cold load (1,000 markers)',
      rows: [
        row('7', 'API load (GET /api/sessions/:id/load), warm p50', 'ms', api, NaN),
        row('7', 'StageProps → first rendered frame', 'ms', ours, base),
        row('7', 'API load + first frame', 'ms', api + ours, api + base),
        row('7', 'room hydration: first client synced (vs joining a live room)', 'ms', hydrationMs, warmMs),
      ],
      details: {
        markers: MARKERS,
        apiFirstRequestMs: round(loads[0]!, 1),
        apiResponseChars: loadBytes,
        syncBytes: first.syncBytes,
        firstFrameSamples: {
          ours: frame.ours.map((v) => round(v, 1)),
          baseline: frame.baseline.map((v) => round(v, 1)),
        },
        note: 'the editor page itself is not timed (no first-frame hook yet): API + render host first frame stand in for it',
        baseline:
          'render: one Babylon disc mesh per marker; hydration: a second client joining the already live room',
      },
    };
  } finally {
    for (const fn of cleanups.reverse()) await fn();
  }
}
