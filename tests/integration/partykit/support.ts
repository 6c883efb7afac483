/**
 * Shared pieces of the PartyKit room tests: the real app server (over a real
 * libSQL file, restartable on the same port), the real `partykit dev`, and
 * two kinds of clients — YPartyKitProvider (what the editor uses) and a raw
 * y-websocket client that records every byte it receives and can send
 * anything. Both reach a room the way the editor does: a one-use ticket
 * fetched from the app server with the token in a header, and only the
 * ticket in the WebSocket URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { getSceneMap } from '../../../engine/sync/docLayout';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import YPartyKitProvider from 'y-partykit/provider';
import { migrateDatabase, openDatabase, type Database } from '../../../engine/db';
import { ticketedWebSocket, ticketsFromApp } from '../../../engine/sync/tickets';
import {
  MESSAGE_PRESENCE_DELTA,
  applyPresenceDelta,
  encodeQueryAwareness,
} from '../../../engine/sync/presenceDelta';
import { useRoomPresence } from '../../../engine/sync/roomPresence';
import { registry } from '../../../engine/generated';
import { startAppServer, type RunningAppServer } from '../../../server/app';
import { freePort, startPartykit, type PartykitDev } from '../../harness/partykit';

export const TOKEN_SECRET = 'partykit-test-token-secret-0123456789';
export const INTERNAL_SECRET = 'partykit-test-internal-secret-0123456789';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value; throws `what` (with the last error) after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** The real app server on a fixed port, which tests can stop and start again (the DB stays). */
export interface AppHandle {
  readonly url: string;
  readonly port: number;
  readonly database: Database;
  /** The app server's data folder (database file, uploads). */
  readonly dir: string;
  readonly uploadsDir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Restarts the app server telling it where the rooms are (room control: reload, replaced links). */
  useRooms(partykitUrl: string): Promise<void>;
  internal(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- as above
  close(): Promise<void>;
}

export async function startApp(): Promise<AppHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'tablestage-pk-app-'));
  const database = await openDatabase({ url: `file:${join(dir, 'test.db')}` });
  await migrateDatabase(database);
  const port = await freePort();
  let running: RunningAppServer | undefined;
  let partykitUrl: string | null = null;
  const start = async () => {
    running = await startAppServer({
      database,
      registry,
      tokenSecret: TOKEN_SECRET,
      internalSecret: INTERNAL_SECRET,
      dataDir: dir,
      partykitUrl,
      log: () => undefined,
      port,
    });
  };
  await start();
  const url = `http://127.0.0.1:${port}`;
  const request = async (method: string, path: string, body: unknown, headers: Record<string, string>) => {
    const res = await fetch(url + path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text
    }
    return { status: res.status, body: parsed as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- see AppHandle
  };
  return {
    url,
    port,
    database,
    dir,
    uploadsDir: join(dir, 'uploads'),
    start,
    async stop() {
      await running?.close();
      running = undefined;
    },
    async useRooms(url) {
      partykitUrl = url;
      await running?.close();
      await start();
    },
    internal: (method, path, body) =>
      request(method, path, body, { authorization: `Bearer ${INTERNAL_SECRET}` }),
    api: (method, path, body) => request(method, path, body, {}),
    async close() {
      await running?.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The app server each running rooms server takes its tickets from (what clients ask for tickets). */
const appOfRooms = new WeakMap<PartykitDev, string>();

/** Tells the test clients of `pk` which app server signs its tickets. */
export function ticketsFrom(pk: PartykitDev, appUrl: string): PartykitDev {
  appOfRooms.set(pk, appUrl);
  return pk;
}

/** The app server that signs tickets for `pk`'s rooms. */
export function appUrlOf(pk: PartykitDev): string {
  const url = appOfRooms.get(pk);
  if (!url)
    throw new Error('no app server known for these rooms: start them with startRooms or call ticketsFrom');
  return url;
}

/** Starts the rooms wired to `app`. */
export async function startRooms(app: AppHandle, persistDir?: string): Promise<PartykitDev> {
  const pk = await startPartykit({
    vars: { TOKEN_SECRET, INTERNAL_SECRET, APP_URL: app.url },
    ...(persistDir ? { persistDir } : {}),
  });
  return ticketsFrom(pk, app.url);
}

/** A party with one game session and one scene, created through the public API. */
export interface TestParty {
  readonly partyId: string;
  readonly gameSessionId: string;
  readonly sceneId: string;
  readonly gm: string;
  readonly player: string;
}

export async function createParty(app: AppHandle, name = 'Room test party'): Promise<TestParty> {
  const res = await app.api('POST', '/api/parties', { name });
  if (res.status !== 201) throw new Error(`party creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    partyId: res.body.party.id,
    gameSessionId: res.body.gameSession.id,
    sceneId: res.body.scenes[0].id,
    gm: res.body.tokens.gm,
    player: res.body.tokens.player,
  };
}

/** The scene as the DB holds it (gm view). */
export async function dbScene(app: AppHandle, gameSessionId: string, sceneId: string) {
  const res = await app.internal('GET', `/internal/sessions/${gameSessionId}`);
  if (res.status !== 200) throw new Error(`session load failed: ${res.status}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- StageProps from JSON, asserted field by field
  type Scene = { id: string; props: any; lastUpdated: number; name: string; blobs: Record<string, string> };
  return (res.body.scenes as Scene[]).find((s) => s.id === sceneId);
}

/** The app server refused a ticket (the connection never reaches the rooms). */
export class TicketDenied extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`ticket refused: ${status} ${body}`);
  }
}

/** Fetches a ticket for `token` from the rooms' app server, as the editor does. */
export async function ticketFor(
  pk: PartykitDev,
  party: 'game_session' | 'party',
  room: string,
  token: string,
): Promise<string> {
  const res = await fetch(`${appUrlOf(pk)}/api/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ party, room }),
  });
  const text = await res.text();
  if (!res.ok) throw new TicketDenied(res.status, text);
  return (JSON.parse(text) as { ticket: string }).ticket;
}

/**
 * The URL of a room for a client holding `token`: a fresh ticket for it (the
 * URL holds no token). Without a token, the bare room URL. Rejects with
 * {@link TicketDenied} when the app server refuses the token.
 */
export async function roomUrl(
  pk: PartykitDev,
  party: 'game_session' | 'party',
  room: string,
  token?: string,
): Promise<string> {
  const base = `${pk.wsUrl}/parties/${party}/${room}`;
  if (token === undefined) return base;
  return `${base}?ticket=${encodeURIComponent(await ticketFor(pk, party, room, token))}`;
}

/** A connection attempt refused before the WebSocket opened: by the rooms, or by the app server (`ticket`). */
export interface Refused {
  readonly refused: number;
  readonly body: string;
  /** True when the app server refused the ticket, so the rooms never saw the attempt. */
  readonly ticket?: true;
}

/**
 * A y-websocket client on a bare `ws` socket: syncs a Y.Doc like the
 * provider does, records every byte received, and can send raw frames.
 */
export class RawClient {
  readonly awareness: Awareness;
  /** Every frame received, in order (text frames as UTF-8 bytes). */
  readonly received: Buffer[] = [];
  closed: { code: number; reason: string } | undefined;
  synced = false;
  /** Sync step 2 replies received (see {@link RawClient.roundTrip}). */
  private step2s = 0;

  private constructor(
    readonly ws: WebSocket,
    readonly doc: Y.Doc,
  ) {
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.received.push(Buffer.from(data));
      if (isBinary) this.onMessage(new Uint8Array(data));
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    this.doc.on('update', this.onUpdate);
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, update);
    this.send(encoding.toUint8Array(e));
  };

  /** Opens a client; resolves with the HTTP refusal instead when the ticket or the upgrade is refused. */
  static async open(url: string | Promise<string>, doc: Y.Doc = new Y.Doc()): Promise<RawClient | Refused> {
    let target: string;
    try {
      target = await url;
    } catch (e) {
      if (e instanceof TicketDenied) return { refused: e.status, body: e.body, ticket: true };
      throw e;
    }
    return RawClient.#open(target, doc);
  }

  static #open(url: string, doc: Y.Doc): Promise<RawClient | Refused> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'nodebuffer';
      const client = new RawClient(ws, doc);
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ refused: res.statusCode ?? 0, body }));
      });
      ws.on('open', () => {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, 0);
        syncProtocol.writeSyncStep1(e, client.doc);
        client.send(encoding.toUint8Array(e));
        resolve(client);
      });
      ws.on('error', (err) => {
        if (!String(err.message).includes('Unexpected server response')) reject(err);
      });
    });
  }

  /** Opens and expects success. */
  static async connect(url: string | Promise<string>, doc?: Y.Doc): Promise<RawClient> {
    const c = await RawClient.open(url, doc);
    if (!(c instanceof RawClient)) throw new Error(`connection refused: ${c.refused} ${c.body}`);
    return c;
  }

  private onMessage(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      const sub = syncProtocol.readSyncMessage(decoder, e, this.doc, this);
      if (sub === syncProtocol.messageYjsSyncStep2) {
        this.synced = true;
        this.step2s++;
      }
      if (encoding.length(e) > 1) this.send(encoding.toUint8Array(e));
    } else if (type === 1) {
      applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    } else if (type === MESSAGE_PRESENCE_DELTA) {
      if (!applyPresenceDelta(this.awareness, decoder, this)) this.send(encodeQueryAwareness());
    }
  }

  send(data: Uint8Array | string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  /** Sends this client's awareness state for `clientId` (any id: that is the point of the spoofing tests). */
  sendAwareness(clientId: number, state: unknown, clock = 1): void {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify(state));
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    this.send(encoding.toUint8Array(e));
  }

  /** Announces the local awareness state the normal way. */
  publishAwareness(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    this.send(encoding.toUint8Array(e));
  }

  /** All bytes received so far, concatenated. */
  allBytes(): Buffer {
    return Buffer.concat(this.received);
  }

  /**
   * Sends sync step 1 and waits for the room's step 2: whatever the room sent this socket before
   * handling it has arrived by then (one socket is ordered), so absence can be asserted after it.
   */
  async roundTrip(): Promise<void> {
    const before = this.step2s;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    syncProtocol.writeSyncStep1(e, this.doc);
    this.send(encoding.toUint8Array(e));
    await waitFor('a sync round trip', () => this.step2s > before || this.closed);
  }

  async whenSynced(): Promise<void> {
    await waitFor('sync step 2', () => this.synced || this.closed);
    if (this.closed) throw new Error(`closed before syncing: ${this.closed.code} ${this.closed.reason}`);
  }

  async whenClosed(): Promise<{ code: number; reason: string }> {
    return (await waitFor('the server to close the connection', () => this.closed))!;
  }

  /** Closes the socket; the doc stays usable for a reconnect with {@link RawClient.connect}. */
  close(): void {
    this.ws.close();
    this.doc.off('update', this.onUpdate);
  }
}

/** A GM or player client the way the editor connects: YPartyKitProvider, reconnecting by itself. */
export function providerClient(
  pk: PartykitDev,
  party: 'game_session' | 'party',
  room: string,
  token: string,
) {
  const doc = new Y.Doc();
  const provider = new YPartyKitProvider(pk.host, room, doc, {
    party,
    // A fresh ticket for every (re)connection, as the editor's Connections do; the provider's type wants
    // the DOM WebSocket, and ws implements the same interface.
    WebSocketPolyfill: ticketedWebSocket(
      WebSocket as unknown as typeof globalThis.WebSocket,
      ticketsFromApp(appUrlOf(pk), token),
      { party, room },
    ),
  });
  useRoomPresence(provider);
  return { doc, provider, whenSynced: () => waitFor('provider sync', () => provider.synced) };
}

/** The scene Y.Map of a client's doc. */
export function sceneOf(doc: Y.Doc, sceneId: string): Y.Map<unknown> | undefined {
  // Through docLayout, so it follows the document epoch after a compaction.
  return getSceneMap(doc, sceneId);
}

/** Registry-driven picks so tests name no property directly. */
export const picks = {
  /** A scene plugin's number property with a min and max (e.g. an opacity). */
  rangedNumber() {
    for (const plugin of registry.scenePlugins)
      for (const prop of plugin.props)
        if (
          !prop.localOnly &&
          prop.decl.kind === 'number' &&
          prop.decl.min !== undefined &&
          prop.decl.max !== undefined &&
          // Both bounds differ from the default, so writing either one is a change that must be saved.
          prop.decl.min < prop.decl.default &&
          prop.decl.default < prop.decl.max
        )
          return { plugin, prop, min: prop.decl.min, max: prop.decl.max };
    throw new Error('no ranged number property in the registry');
  },
  /** Two different synced props of one scene plugin. */
  twoProps() {
    for (const plugin of registry.scenePlugins) {
      const synced = plugin.props.filter(
        (p) =>
          !p.localOnly && p.decl.kind === 'number' && p.decl.min !== undefined && p.decl.max !== undefined,
      );
      if (synced.length >= 2) return { plugin, a: synced[0]!, b: synced[1]! };
    }
    throw new Error('no plugin with two ranged numbers');
  },
  /** A scene plugin's gm-audience string property (GM notes). */
  gmText() {
    for (const plugin of registry.scenePlugins)
      for (const prop of plugin.props)
        if (prop.audience === 'gm' && prop.decl.kind === 'string') return { plugin, prop };
    throw new Error('no gm-audience scene property');
  },
  /** A collection with a gm-only rule and a gm-audience string member property. */
  gmCollection() {
    for (const collection of registry.collections) {
      const [ruleKey, values] = [...collection.gmOnlyWhen][0] ?? [];
      const gmText = collection.props.find((p) => p.audience === 'gm' && p.decl.kind === 'string');
      const text = collection.props.find((p) => p.audience === 'all' && p.decl.kind === 'string');
      if (ruleKey && values?.length && gmText && text) {
        const ruleProp = collection.props.find((p) => p.key === ruleKey)!;
        return {
          collection,
          ruleProp,
          hiddenValue: values[0]!,
          visibleValue: ruleProp.decl.default,
          gmText,
          text,
        };
      }
    }
    throw new Error('no collection with a gm-only rule');
  },
};
