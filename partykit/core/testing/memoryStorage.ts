/**
 * Room storage as a Map, for unit tests of the code that persists through
 * it (DocStore, Backstage, a room's pipeline). It makes the calls those
 * make, and counts them, so a test can tell what a change costs in storage
 * operations. Alarms are accepted and never fire.
 */
import type * as Party from 'partykit/server';

export interface MemoryStorage extends Party.Storage {
  readonly data: Map<string, unknown>;
  /** Storage calls made so far, by method. */
  readonly calls: { get: number; put: number; delete: number; list: number };
}

export function memoryStorage(): MemoryStorage {
  const data = new Map<string, unknown>();
  const calls = { get: 0, put: 0, delete: 0, list: 0 };
  const storage = {
    data,
    calls,
    async get(key: string | string[]) {
      calls.get++;
      if (Array.isArray(key)) return new Map(key.filter((k) => data.has(k)).map((k) => [k, data.get(k)]));
      return data.get(key);
    },
    async put(key: string | Record<string, unknown>, value?: unknown) {
      calls.put++;
      if (typeof key === 'string') data.set(key, value);
      else for (const [k, v] of Object.entries(key)) data.set(k, v);
    },
    async delete(key: string | string[]) {
      calls.delete++;
      let any = false;
      for (const k of Array.isArray(key) ? key : [key]) any = data.delete(k) || any;
      return any;
    },
    async list(options: { prefix?: string } = {}) {
      calls.list++;
      const keys = [...data.keys()].filter((k) => k.startsWith(options.prefix ?? '')).sort();
      return new Map(keys.map((k) => [k, data.get(k)]));
    },
    async setAlarm() {},
    async getAlarm() {
      return null;
    },
    async deleteAlarm() {},
  };
  return storage as unknown as MemoryStorage;
}
