/**
 * A bench-only usage meter of one room: the figures Cloudflare bills a
 * Durable Object for — incoming WebSocket messages, storage reads, writes and
 * deletes in 4 KB units, stored bytes — counted as the room runs, so bench
 * metric 11 can price a real session instead of guessing its traffic.
 *
 * Off unless the room's `BENCH_METER` variable is `1` (scripts/rooms/serve.ts
 * passes it and `BENCH_TIME_SCALE` through); then the party adapters wrap `room.storage` in
 * {@link meteredStorage} and answer `GET …?usage` (internal secret, like any
 * room control) with {@link UsageMeter.report}. Nothing else changes.
 */
import type * as Party from 'partykit/server';

/** Cloudflare bills storage in request units of this many bytes (rounded up, at least one per key). */
export const BILLING_UNIT_BYTES = 4096;

/** True when the room runs with the bench's usage meter. */
export function meterEnabled(env: Record<string, unknown>): boolean {
  return env.BENCH_METER === '1';
}

/** Bytes a stored value takes, near enough for pricing (binary as is, anything else as JSON). */
export function valueBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (value === undefined) return 0;
  return new TextEncoder().encode(JSON.stringify(value) ?? '').byteLength;
}

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / BILLING_UNIT_BYTES));

/** What one room received and stored; see the module comment. */
export class UsageMeter {
  /** The room's own storage, for {@link UsageMeter.report}'s uncounted listing. */
  raw: Party.Storage | undefined;

  readonly counts = {
    /** Incoming WebSocket messages by y-protocol type (0 sync, 1 awareness), and their bytes. */
    docMessages: 0,
    awarenessMessages: 0,
    otherMessages: 0,
    bytesIn: 0,
    connections: 0,
    /** HTTP requests to the room (room control, the party room's nudges), the meter's own excluded. */
    httpRequests: 0,
    /** Storage calls and what they touched. */
    readKeys: 0,
    readUnits: 0,
    readBytes: 0,
    lists: 0,
    writeKeys: 0,
    writeUnits: 0,
    writeBytes: 0,
    deleteKeys: 0,
    alarmWrites: 0,
  };

  /** Counts one incoming frame by its y-protocol message type (the first varuint byte). */
  message(frame: string | ArrayBuffer | ArrayBufferView): void {
    const bytes =
      typeof frame === 'string'
        ? new TextEncoder().encode(frame)
        : frame instanceof ArrayBuffer
          ? new Uint8Array(frame)
          : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
    this.counts.bytesIn += bytes.byteLength;
    if (typeof frame !== 'string' && bytes[0] === 0) this.counts.docMessages++;
    else if (typeof frame !== 'string' && bytes[0] === 1) this.counts.awarenessMessages++;
    else this.counts.otherMessages++;
  }

  read(key: string, value: unknown): void {
    const bytes = key.length + valueBytes(value);
    this.counts.readKeys++;
    this.counts.readUnits += units(bytes);
    this.counts.readBytes += bytes;
  }

  list(entries: ReadonlyMap<string, unknown>): void {
    let bytes = 0;
    for (const [k, v] of entries) bytes += k.length + valueBytes(v);
    this.counts.lists++;
    this.counts.readKeys += entries.size;
    this.counts.readUnits += units(bytes);
    this.counts.readBytes += bytes;
  }

  write(key: string, value: unknown): void {
    const bytes = key.length + valueBytes(value);
    this.counts.writeKeys++;
    this.counts.writeUnits += units(bytes);
    this.counts.writeBytes += bytes;
  }

  /** The counts plus what `storage` holds now (keys and bytes), read without being counted. */
  async report(storage: Party.Storage): Promise<Record<string, number>> {
    let storedBytes = 0;
    let storedKeys = 0;
    for (const [k, v] of await storage.list()) {
      storedKeys++;
      storedBytes += k.length + valueBytes(v);
    }
    return { ...this.counts, storedKeys, storedBytes };
  }
}

type AnyFn = (...args: never[]) => unknown;

/**
 * `storage` with every get, list, put, delete and alarm counted in `meter`;
 * everything else passes through. The calls keep their semantics (including
 * the output gate), since the real storage does the work.
 */
export function meteredStorage(storage: Party.Storage, meter: UsageMeter): Party.Storage {
  const get = async (keyOrKeys: string | string[], options?: unknown) => {
    const got = (await (storage.get as AnyFn).call(storage, keyOrKeys as never, options as never)) as unknown;
    if (Array.isArray(keyOrKeys)) {
      const map = got as Map<string, unknown>;
      for (const k of keyOrKeys) meter.read(k, map.get(k));
    } else meter.read(keyOrKeys, got);
    return got;
  };
  const list = async (options?: unknown) => {
    const got = (await (storage.list as AnyFn).call(storage, options as never)) as Map<string, unknown>;
    meter.list(got);
    return got;
  };
  const put = (
    keyOrEntries: string | Record<string, unknown>,
    valueOrOptions?: unknown,
    options?: unknown,
  ) => {
    if (typeof keyOrEntries === 'string') meter.write(keyOrEntries, valueOrOptions);
    else for (const [k, v] of Object.entries(keyOrEntries)) meter.write(k, v);
    return (storage.put as AnyFn).call(
      storage,
      keyOrEntries as never,
      valueOrOptions as never,
      options as never,
    );
  };
  const del = (keyOrKeys: string | string[], options?: unknown) => {
    meter.counts.deleteKeys += Array.isArray(keyOrKeys) ? keyOrKeys.length : 1;
    return (storage.delete as AnyFn).call(storage, keyOrKeys as never, options as never);
  };
  const alarm =
    (name: 'setAlarm' | 'deleteAlarm') =>
    (...args: unknown[]) => {
      meter.counts.alarmWrites++;
      return (storage[name] as AnyFn).apply(storage, args as never[]);
    };
  const wrapped: Record<string, unknown> = {
    get,
    list,
    put,
    delete: del,
    setAlarm: alarm('setAlarm'),
    deleteAlarm: alarm('deleteAlarm'),
  };
  return new Proxy(storage, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in wrapped) return wrapped[prop];
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as AnyFn).bind(target) : value;
    },
  });
}

/**
 * The bench's time compression (`BENCH_TIME_SCALE`, default 1): metrics 11 and 12 play an hour in
 * 1/scale of it, and the room's save and snapshot debounces and its idle time shrink alike, so it saves,
 * snapshots and compacts as often per scripted hour as it would in real time. Only honoured together
 * with the meter.
 */
export function benchTimeScale(env: Record<string, unknown>): number {
  const scale = Number(env.BENCH_TIME_SCALE ?? 1);
  return meterEnabled(env) && Number.isFinite(scale) && scale >= 1 ? scale : 1;
}

/** Puts the meter on `room` (its storage wrapped) and returns it; undefined when the room runs unmetered. */
export function meterRoom(room: Party.Room): UsageMeter | undefined {
  if (!meterEnabled(room.env)) return undefined;
  const meter = new UsageMeter();
  meter.raw = room.storage;
  Object.defineProperty(room, 'storage', { value: meteredStorage(room.storage, meter) });
  return meter;
}

/** The meter's answer to `GET …?usage`, or undefined when `req` asks something else. */
export async function usageResponse(
  meter: UsageMeter | undefined,
  req: Party.Request,
): Promise<Response | undefined> {
  if (!meter?.raw) return undefined;
  if (req.method !== 'GET' || !new URL(req.url).searchParams.has('usage')) {
    meter.counts.httpRequests++;
    return undefined;
  }
  return new Response(JSON.stringify(await meter.report(meter.raw)), {
    headers: { 'content-type': 'application/json' },
  });
}
