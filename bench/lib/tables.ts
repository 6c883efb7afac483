/**
 * Bench tables: a party with two scenes, its GMs' and players' sockets on the
 * real rooms, and the scripted hour of play (lib/tableHour.ts) they perform,
 * for the metrics that play whole tables (11: cost per 1,000 tables; 12: a
 * three-hour session). Registry-driven: no property is named here.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PropInfo } from '../../engine/schema';
import { registry } from '../../engine/generated';
import { migrateDatabase, openDatabase, type Database } from '../../engine/db';
import {
  PARTY_STATE_KEYS,
  getBlobs,
  getPartyState,
  getPath,
  getSceneMap,
  readSceneProps,
  setPath,
  writeSceneProps,
} from '../../engine/sync/docLayout';
import { FOG_TILE, FogMask } from '../../plugins/fogOfWar/mask';
import { startAppServer, type RunningAppServer } from '../../server/app';
import { startPartykit, freePort, type PartykitDev } from '../../tests/harness/partykit';
import { INTERNAL_SECRET, TOKEN_SECRET } from '../../tests/integration/partykit/support';
import { validValue } from '../../tests/support/arbitraries';
import { startAppCallCounter, type AppCallCounter } from './appCallCounter';
import { groupOfPort } from './servers';
import { pick, round, seededRandom, sleep } from './stats';
import { HOUR_MS, PRESENCE_MS, oursDocWrites, type Gesture, type TableHour } from './tableHour';
import { sceneProps, sceneWithMembers } from './trace';
import { BenchClient, until } from './wsClient';

export const PLAYERS = 5;

/** A bench setting from the environment, else its normal or `--quick` default. */
export function setting(name: string, normal: string, quick: string, isQuick: boolean): string {
  return process.env[name] ?? (isQuick ? quick : normal);
}

const INITIAL_MEMBERS = 10;

/** Registry-driven choices, as in metric 2: no property is named here. */
export function choices(seed: number) {
  const scene = sceneProps(registry);
  const discrete = scene.filter((p) => ['boolean', 'enum', 'color'].includes(p.decl.kind));
  const sliders = scene.filter(
    (p) => p.decl.kind === 'number' && p.decl.min !== undefined && p.decl.max !== undefined,
  );
  const collection = registry.collections.find((c) =>
    c.props.some((p) => !p.localOnly && p.decl.kind === 'point'),
  );
  const point = collection?.props.find((p) => !p.localOnly && p.decl.kind === 'point');
  if (!discrete.length || !sliders.length || !collection || !point)
    throw new Error('registry lacks discrete, slider or draggable properties');
  const pool = (prop: PropInfo, i: number) =>
    fc
      .sample(validValue(prop.decl), { seed: seed + i, numRuns: 16 })
      .map((v) => registry.validate([prop.plugin.key, prop.key], v))
      .flatMap((r) => (r.ok ? [r.value] : []));
  return {
    discrete: discrete.map((p, i) => ({ path: [p.plugin.key, p.key], values: pool(p, i) })),
    sliders: sliders.map((p) => ({
      path: [p.plugin.key, p.key],
      ...(p.decl as { min: number; max: number }),
    })),
    collection: collection.key,
    memberProps: collection.props.filter((p) => !p.localOnly),
    point: point.key,
  };
}
export type Choices = ReturnType<typeof choices>;

export interface TableIds {
  readonly partyId: string;
  readonly gameSessionId: string;
  readonly sceneIds: readonly [string, string];
  readonly gm: string;
  readonly player: string;
}

/** One table's clients and the state its script needs. */
export class Table {
  readonly gms: BenchClient[] = [];
  readonly players: BenchClient[] = [];
  /** Party-room connections (everyone's editor or TV keeps one open). */
  readonly partyClients: BenchClient[] = [];
  private next = 0;
  private readonly members: string[] = [];
  private added = 0;
  private readonly mask = new FogMask();
  private shown = 0;
  private readonly active: { g: Gesture; path: string[]; value: () => unknown; writes: number }[] = [];
  readonly random: () => number;
  /** Probe edits sent (value → send time) and their delivery latencies, ms. */
  readonly probes = new Map<number, number>();
  readonly latencies: number[] = [];
  docWrites = 0;

  constructor(
    readonly index: number,
    readonly ids: TableIds,
    public hour: TableHour,
    private readonly pick_: Choices,
  ) {
    this.random = seededRandom(index * 7919 + 1);
    // Member ids are the DB's keys: unique over every table.
    for (let i = 0; i < INITIAL_MEMBERS; i++) this.members.push(`t${index}-m${i}`);
  }

  /** Starts another scripted hour on the same sockets (metric 12's long session); same GM count. */
  nextHour(hour: TableHour): void {
    if (hour.gms !== this.hour.gms)
      throw new Error('the next hour must have as many GMs as the table has sockets');
    this.hour = hour;
    this.next = 0;
    this.active.length = 0;
  }

  get all(): BenchClient[] {
    return [...this.gms, ...this.players, ...this.partyClients];
  }

  private scene(gm: number) {
    return getSceneMap(this.gms[gm]!.doc, this.ids.sceneIds[0])!;
  }

  private write(gm: number, path: readonly string[], value: unknown): void {
    const client = this.gms[gm]!;
    client.doc.transact(() => setPath(this.scene(gm), path, value, registry));
    this.docWrites++;
  }

  /** The scene's first layout (members to drag), written once by the first GM. */
  seed(): void {
    const gm = this.gms[0]!;
    const c = this.pick_;
    gm.doc.transact(() => {
      writeSceneProps(this.scene(0), sceneWithMembers(registry, 0), registry);
      for (const id of this.members)
        for (const p of c.memberProps)
          setPath(this.scene(0), [c.collection, id, p.key], p.decl.default, registry);
    });
  }

  /** Skips the gestures before script time `now` (the ramp starts each table mid-hour). */
  skipTo(now: number): void {
    while (this.next < this.hour.gestures.length && this.hour.gestures[this.next]!.at < now) this.next++;
  }

  /** Starts every gesture due by script time `now`, and advances running ones. */
  advance(now: number): void {
    const c = this.pick_;
    for (; this.next < this.hour.gestures.length && this.hour.gestures[this.next]!.at <= now; this.next++) {
      const g = this.hour.gestures[this.next]!;
      const gm = Math.min(g.gm, this.gms.length - 1);
      if (g.kind === 'edit') {
        const d = pick(this.random, c.discrete);
        if (d.values.length) this.write(gm, d.path, pick(this.random, d.values));
      } else if (g.kind === 'add') {
        const id = `t${this.index}-a${this.added++}`;
        this.gms[gm]!.doc.transact(() => {
          for (const p of c.memberProps)
            setPath(this.scene(gm), [c.collection, id, p.key], p.decl.default, registry);
        });
        this.docWrites++;
        this.members.push(id);
      } else if (g.kind === 'switch') {
        this.shown = 1 - this.shown;
        const party = this.partyClients[0]!;
        party.doc.transact(() =>
          getPartyState(party.doc).set(PARTY_STATE_KEYS.activeSceneId, this.ids.sceneIds[this.shown]),
        );
        this.docWrites++;
      } else if (g.kind === 'scrub') {
        const s = pick(this.random, c.sliders);
        const phase = this.random() * 6;
        this.active.push({
          g: { ...g, gm },
          path: s.path,
          value: () =>
            round(s.min + ((s.max - s.min) * (1 + Math.sin(phase + performance.now() / 300))) / 2, 3),
          writes: 0,
        });
      } else if (g.kind === 'drag') {
        const id = pick(this.random, this.members);
        const x0 = Math.round(this.random() * 1000);
        const y0 = Math.round(this.random() * 1000);
        this.active.push({
          g: { ...g, gm },
          path: [c.collection, id, c.point],
          value: () => ({ x: x0 + Math.round((performance.now() / 10) % 200), y: y0 }),
          writes: 0,
        });
      } else {
        this.active.push({ g: { ...g, gm }, path: [], value: () => undefined, writes: 0 });
      }
    }
    for (const a of [...this.active]) {
      const done = now >= a.g.at + a.g.ms;
      if (a.g.kind === 'stroke') {
        // The brush writes the tiles it touched once per write window, as the fog tool's channel does.
        const due = Math.min(oursDocWrites(a.g), Math.floor(((now - a.g.at) / a.g.ms) * oursDocWrites(a.g)));
        for (; a.writes < due; a.writes++) this.fogDab(a.g.gm);
      } else if (done) this.write(a.g.gm, a.path, a.value());
      if (done) this.active.splice(this.active.indexOf(a), 1);
    }
  }

  /** One brush dab: a small disc of fog cells revealed, the touched tiles written in one transaction. */
  private fogDab(gm: number): void {
    const cx = Math.floor(this.random() * FOG_TILE * 6);
    const cy = Math.floor(this.random() * FOG_TILE * 6);
    const changed = new Set<string>();
    for (let y = cy - 6; y <= cy + 6; y++)
      for (let x = cx - 6; x <= cx + 6; x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 > 36 || x < 0 || y < 0) continue;
        const tx = Math.floor(x / FOG_TILE);
        const ty = Math.floor(y / FOG_TILE);
        this.mask.tile(tx, ty)[(y - ty * FOG_TILE) * FOG_TILE + (x - tx * FOG_TILE)] = 0;
        changed.add(`${tx}_${ty}`);
      }
    const blobs = getBlobs(this.scene(gm), true)!;
    this.gms[gm]!.doc.transact(() => {
      for (const key of changed) {
        const [tx, ty] = key.split('_').map(Number);
        const bytes = this.mask.settle(tx!, ty!);
        if (bytes) blobs.set(`fog/${key}`, bytes);
      }
    });
    this.docWrites++;
  }

  /** Sends each participant's presence if its pointer moves at script time `now` (cursor, GM previews). */
  presence(now: number): void {
    const people = [...this.gms, ...this.players];
    people.forEach((client, i) => {
      const script = i < this.gms.length ? i : this.hour.gms + (i - this.gms.length);
      const moving = this.hour.cursors[script]?.some((s) => now >= s.at && now < s.at + s.ms) ?? false;
      const previews = this.active
        .filter((a) => a.g.gm === i && a.g.kind !== 'stroke')
        .map((a) => ({ s: this.ids.sceneIds[0], k: a.path, v: a.value() }));
      if (!moving && previews.length === 0) return;
      const t = now / 1000;
      client.publishAwareness({
        user: { name: `${i < this.gms.length ? 'GM' : 'Player'} ${i + 1}`, color: '#4c6ef5' },
        cursor: { x: round(500 + 400 * Math.sin(t + i), 1), y: round(300 + 200 * Math.cos(t), 1) },
        ...(previews.length ? { p: previews } : {}),
      });
    });
  }

  /** The latency probe: the first GM writes a slider value; the second GM times its arrival. */
  probe(seq: number): void {
    const s = this.pick_.sliders[0]!;
    const value = round(s.min + ((s.max - s.min) * (seq % 97)) / 97, 4);
    this.probes.set(value, performance.now());
    this.write(0, s.path, value);
  }

  watchProbes(): void {
    const s = this.pick_.sliders[0]!;
    const observer = this.gms[1];
    if (!observer) return;
    observer.doc.on('update', () => {
      const scene = getSceneMap(observer.doc, this.ids.sceneIds[0]);
      const v = scene ? getPath(scene, s.path, registry) : undefined;
      const sent = typeof v === 'number' ? this.probes.get(v) : undefined;
      if (sent === undefined) return;
      this.probes.delete(v as number);
      this.latencies.push(performance.now() - sent);
    });
  }

  close(): void {
    for (const c of this.all) c.close();
  }
}

/** The app server (its own libSQL file), the counting relay, and the metered rooms. */
export interface Stack {
  readonly database: Database;
  readonly app: RunningAppServer;
  readonly appUrl: string;
  readonly relay: AppCallCounter;
  readonly pk: PartykitDev;
  readonly pgrp: number;
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startStack(scale: number): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'tablestage-bench-tables-'));
  const database = await openDatabase({ url: `file:${join(dir, 'bench.db')}` });
  await migrateDatabase(database);
  const port = await freePort();
  const app = await startAppServer({
    database,
    registry,
    tokenSecret: TOKEN_SECRET,
    internalSecret: INTERNAL_SECRET,
    dataDir: dir,
    partykitUrl: null,
    log: () => undefined,
    port,
    // Hundreds of parties from one address: the bench is not the abuse the limit is for.
    rateLimits: { partyCreation: { burst: 100_000, refillMs: 1 } },
  });
  const appUrl = `http://127.0.0.1:${port}`;
  const relay = await startAppCallCounter(appUrl);
  const pk = await startPartykit({
    vars: {
      TOKEN_SECRET,
      INTERNAL_SECRET,
      APP_URL: relay.url,
      BENCH_METER: '1',
      BENCH_TIME_SCALE: String(scale),
    },
  });
  return {
    database,
    app,
    appUrl,
    relay,
    pk,
    pgrp: groupOfPort(pk.port),
    dir,
    async stop() {
      await pk.stop();
      await relay.close();
      await app.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function api(stack: Stack, method: string, path: string, token: string | undefined, body: unknown) {
  const res = await fetch(stack.appUrl + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- fields read one by one below
}

export async function createTable(stack: Stack, i: number): Promise<TableIds> {
  const created = await api(stack, 'POST', '/api/parties', undefined, { name: `Table ${i}` });
  const gm = created.tokens.gm as string;
  const second = await api(stack, 'POST', `/api/sessions/${created.gameSession.id}/scenes`, gm, {
    name: 'Second scene',
  });
  return {
    partyId: created.party.id,
    gameSessionId: created.gameSession.id,
    sceneIds: [created.scenes[0].id, second.scene.id],
    gm,
    player: created.tokens.player,
  };
}

export async function connect(
  stack: Stack,
  party: 'game_session' | 'party',
  room: string,
  token: string,
  gm: boolean,
) {
  const { ticket } = await api(stack, 'POST', '/api/tickets', token, { party, room });
  const url = `${stack.pk.wsUrl}/parties/${party}/${room}?ticket=${encodeURIComponent(ticket as string)}`;
  // GMs keep the document (they write into it); players and party sockets only receive.
  return BenchClient.connect(url, { applyAwareness: false, applyUpdates: gm && party === 'game_session' });
}

export async function openTable(stack: Stack, t: Table): Promise<void> {
  const { ids } = t;
  for (let g = 0; g < t.hour.gms; g++)
    t.gms.push(await connect(stack, 'game_session', ids.gameSessionId, ids.gm, true));
  for (let p = 0; p < t.hour.players; p++)
    t.players.push(await connect(stack, 'game_session', ids.gameSessionId, ids.player, false));
  for (let g = 0; g < t.hour.gms; g++)
    t.partyClients.push(await connect(stack, 'party', ids.partyId, ids.gm, false));
  for (let p = 0; p < t.hour.players; p++)
    t.partyClients.push(await connect(stack, 'party', ids.partyId, ids.player, false));
  await Promise.all(t.all.map((c) => c.whenSynced(60_000)));
  await until(
    'the scenes to reach the GMs',
    () => t.gms.every((g) => getSceneMap(g.doc, ids.sceneIds[0])),
    30_000,
  );
}

/** Opens tables `from`…`to - 1`, a few at a time. */
export async function openTables(stack: Stack, tables: Table[], from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 4)
    await Promise.all(tables.slice(i, Math.min(to, i + 4)).map((t) => openTable(stack, t)));
}

export type Usage = Record<string, number>;

export async function usageOf(stack: Stack, party: 'game_session' | 'party', room: string): Promise<Usage> {
  const res = await fetch(`${stack.pk.httpUrl}/parties/${party}/${room}?usage`, {
    headers: { authorization: `Bearer ${INTERNAL_SECRET}` },
  });
  if (!res.ok) throw new Error(`usage of ${party}/${room}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Usage;
}

export const add = (a: Usage, b: Usage): Usage =>
  Object.fromEntries(
    [...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, (a[k] ?? 0) + (b[k] ?? 0)]),
  );

/** The whole scene object as the original design wrote it: the GM view of scene 0 as JSON. */
export function sceneJsonBytes(t: Table): number {
  const scene = getSceneMap(t.gms[0]!.doc, t.ids.sceneIds[0])!;
  return Buffer.byteLength(JSON.stringify(readSceneProps(scene, registry, 'gm')));
}

/**
 * Plays every table's scripted hour at once, compressed by `scale`: gestures
 * at K× speed, presence at its real 30 Hz. `each` runs every loop turn with
 * the elapsed wall time. Returns the wall time taken, s.
 */
export async function performHour(
  tables: readonly Table[],
  scale: number,
  each: (elapsedMs: number) => void = () => undefined,
): Promise<number> {
  const t0 = performance.now();
  let lastPresence = 0;
  for (;;) {
    const elapsed = performance.now() - t0;
    const now = Math.min(HOUR_MS, elapsed * scale);
    for (const t of tables) t.advance(now);
    if (elapsed - lastPresence >= PRESENCE_MS) {
      lastPresence = elapsed;
      for (const t of tables) t.presence(now);
    }
    each(elapsed);
    if (now >= HOUR_MS) break;
    await sleep(4);
  }
  return (performance.now() - t0) / 1000;
}
