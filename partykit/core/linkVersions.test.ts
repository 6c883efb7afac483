import { describe, expect, it } from 'vitest';
import type * as Party from 'partykit/server';
import type { LinkVersions } from '../../engine/auth';
import { LinkVersionCache, parseLinkVersions } from './linkVersions';

/** The two storage calls the cache makes, over a Map. */
function memoryStorage(): Party.Storage {
  const map = new Map<string, unknown>();
  const storage = {
    get: async (key: string) => map.get(key),
    put: async (key: string, value: unknown) => void map.set(key, value),
  };
  return storage as unknown as Party.Storage;
}

describe('LinkVersionCache', () => {
  it('never lowers a version: a stale answer cannot undo a pushed rotation', async () => {
    let answer: LinkVersions = { gm: 1, player: 1 };
    const cache = new LinkVersionCache(memoryStorage(), async () => answer, 0);
    expect(await cache.current('p')).toEqual({ gm: 1, player: 1 });
    await cache.update({ gm: 1, player: 2 });
    expect(await cache.current('p')).toEqual({ gm: 1, player: 2 });
    answer = { gm: 3, player: 1 };
    expect(await cache.current('p')).toEqual({ gm: 3, player: 2 });
  });

  it('falls back to the stored versions when the app server fails, and refuses to guess without any', async () => {
    const storage = memoryStorage();
    const failing = async (): Promise<LinkVersions> => {
      throw new Error('app server down');
    };
    await expect(new LinkVersionCache(storage, failing).current('p')).rejects.toThrow('app server down');
    await new LinkVersionCache(storage, failing).update({ gm: 2, player: 5 });
    expect(await new LinkVersionCache(storage, failing).current('p')).toEqual({ gm: 2, player: 5 });
  });

  it('reads pushed versions only when both are positive integers', () => {
    expect(parseLinkVersions({ gm: 2, player: 1 })).toEqual({ gm: 2, player: 1 });
    for (const bad of [null, {}, { gm: 0, player: 1 }, { gm: 1.5, player: 1 }, { gm: '2', player: 1 }])
      expect(parseLinkVersions(bad)).toBeUndefined();
  });
});
