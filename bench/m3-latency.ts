/**
 * Metric 3 — change-to-visible latency on a second client, through a real
 * local `partykit dev` running Tablestage's rooms.
 *
 * Ours: two PartyDataManagers (GM A edits, GM B watches). A queues a new
 * value of a registry-chosen ranged number property; B's subscriber sees
 * it in getSceneData. The property's throttle window is subtracted: what is
 * reported is the time beyond the window (broadcaster timer lateness,
 * transaction, server validation, storage log write, broadcast, apply,
 * snapshot). Baseline: two bare YPartyKitProviders on the same room writing
 * the same values straight into the doc at once. Edits are spaced by a
 * seeded random pause so they never coalesce.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import YPartyKitProvider from 'y-partykit/provider';
import { THROTTLE_MS, type PropInfo } from '../engine/schema';
import { registry } from '../engine/generated';
import { PartyDataManager, getSceneMap, ticketsFromApp } from '../engine/sync';
import { ticketedWebSocket } from '../engine/sync/tickets';
import { acceptPresenceDeltas } from '../engine/sync/presenceDelta';
import { row, type MetricResult, type RunOptions } from './lib/report';
import { percentile, round, seededRandom, sleep } from './lib/stats';
import { startOurs, type RoomServer } from './lib/servers';
import { sceneProps } from './lib/trace';
import { until } from './lib/wsClient';

/** The provider's type wants the DOM WebSocket; ws implements the same interface. */
const WS = WebSocket as unknown as typeof globalThis.WebSocket;

function valueSequence(prop: PropInfo, seed: number, count: number): number[] {
  const random = seededRandom(seed);
  const { min, max } = prop.decl as { min: number; max: number };
  const out: number[] = [];
  while (out.length < count) {
    const v = Math.round((min + (max - min) * random()) * 1000) / 1000;
    if (v !== out[out.length - 1]) out.push(v);
  }
  return out;
}

async function oursSamples(server: RoomServer, prop: PropInfo, values: number[], pauses: number[]) {
  const party = server.party!;
  const make = (user: string) =>
    new PartyDataManager(
      party.partyId,
      user,
      party.gameSessionId,
      `127.0.0.1:${server.port}`,
      ticketsFromApp(server.app!.url, party.gm),
      {
        WebSocketPolyfill: WS,
        storage: null,
        name: user,
      },
    );
  const a = make('bench-a');
  const b = make('bench-b');
  try {
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    const path = [prop.plugin.key, prop.key];
    const read = () =>
      (b.getSceneData(server.sceneId) as unknown as Record<string, Record<string, unknown>>)[path[0]!]?.[
        path[1]!
      ];
    const samples: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      let seen = NaN;
      const off = b.subscribe((e) => {
        if (Number.isNaN(seen) && e.type === 'scene' && read() === value) seen = performance.now();
      });
      const t0 = performance.now();
      const r = a.queuePropertyUpdate(path, value, server.sceneId);
      if (!r.ok) throw new Error(r.reason);
      await until('B to see the value', () => !Number.isNaN(seen), 10_000);
      off();
      samples.push(seen - t0);
      await sleep(pauses[i]!);
    }
    return samples;
  } finally {
    a.destroy();
    b.destroy();
  }
}

async function bareSamples(server: RoomServer, prop: PropInfo, values: number[], pauses: number[]) {
  const party = server.party!;
  const make = () => {
    const doc = new Y.Doc();
    const provider = new YPartyKitProvider(`127.0.0.1:${server.port}`, party.gameSessionId, doc, {
      party: 'game_session',
      // The room admits one-use tickets only (as every client of ours gets them).
      WebSocketPolyfill: ticketedWebSocket(WS, ticketsFromApp(server.app!.url, party.gm), {
        party: 'game_session',
        room: party.gameSessionId,
      }),
      disableBc: true,
    });
    acceptPresenceDeltas(provider);
    return { doc, provider };
  };
  const a = make();
  const b = make();
  try {
    await until('bare providers to sync', () => a.provider.synced && b.provider.synced, 30_000);
    const groupOf = (doc: Y.Doc) => getSceneMap(doc, server.sceneId)!.get(prop.plugin.key) as Y.Map<unknown>;
    const samples: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      let seen = NaN;
      const onUpdate = () => {
        if (Number.isNaN(seen) && groupOf(b.doc).get(prop.yjsKey) === value) seen = performance.now();
      };
      b.doc.on('update', onUpdate);
      const t0 = performance.now();
      groupOf(a.doc).set(prop.yjsKey, value);
      await until('B to see the value', () => !Number.isNaN(seen), 10_000);
      b.doc.off('update', onUpdate);
      samples.push(seen - t0);
      await sleep(pauses[i]!);
    }
    return samples;
  } finally {
    a.provider.destroy();
    b.provider.destroy();
  }
}

export async function run(options: RunOptions): Promise<MetricResult> {
  const count = options.quick ? 25 : 150;
  const candidates = sceneProps(registry).filter(
    (p) =>
      p.audience === 'all' &&
      p.decl.kind === 'number' &&
      p.decl.min !== undefined &&
      p.decl.max !== undefined,
  );
  const prop = candidates.find((p) => p.throttle === 'control') ?? candidates[0];
  if (!prop) throw new Error('no ranged number scene property in the registry');
  const window = THROTTLE_MS[prop.throttle];
  const values = valueSequence(prop, options.seed, count);
  const random = seededRandom(options.seed + 1);
  const pauses = values.map(() => 20 + Math.round(random() * 40));
  const server = await startOurs();
  try {
    const ours = (await oursSamples(server, prop, values, pauses)).map((t) => t - window);
    const bare = await bareSamples(server, prop, values, pauses);
    const p = (xs: number[], q: number) => percentile(xs, q);
    return {
      id: '3',
      title: 'Change-to-visible latency',
      rows: [
        row('3', `latency beyond the ${window} ms window, p50`, 'ms', p(ours, 50), p(bare, 50)),
        row('3', `latency beyond the ${window} ms window, p95`, 'ms', p(ours, 95), p(bare, 95)),
        row('3', `latency beyond the ${window} ms window, p99`, 'ms', p(ours, 99), p(bare, 99), {
          on: 'ours',
          op: '<=',
          value: 15,
        }),
      ],
      details: {
        samples: count,
        property: `${prop.plugin.key}.${prop.key} (throttle class ${prop.throttle}, ${window} ms)`,
        baseline: 'two bare YPartyKitProviders on the same room and server, writing at once (no window)',
        oursTotalP50: round(p(ours, 50) + window, 2),
        server: 'partykit dev (workerd) on 127.0.0.1, Tablestage rooms, storage log write before broadcast',
      },
    };
  } finally {
    await server.stop();
  }
}
