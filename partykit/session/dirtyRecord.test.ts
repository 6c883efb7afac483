import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type * as Party from 'partykit/server';
import { registry } from '../../engine/generated';
import { getOrCreateSceneMap, getSceneMap, setPath } from '../../engine/sync/docLayout';
import { roomPlugins } from '../generated/roomPlugins';
import { memoryStorage } from '../core/testing/memoryStorage';
import { encodeSyncUpdate } from '../core/messages';
import { GameSessionRoom } from './room';

const ranged = registry.scenePlugins
  .flatMap((p) => p.props)
  .find(
    (p) => !p.localOnly && p.decl.kind === 'number' && p.decl.min !== undefined && p.decl.max !== undefined,
  )!;
const { min, max } = ranged.decl as { min: number; max: number };

/** A started room with one GM socket, and the values it wrote under the save loop's dirty key, in order. */
async function setup() {
  const storage = memoryStorage();
  // A room the app server created (only such a room saves to the DB).
  storage.data.set('room:info', { gameSessionId: 'session1', partyId: 'p1' });
  const dirtyWrites: unknown[] = [];
  const put = storage.put.bind(storage);
  storage.put = ((key: string | Record<string, unknown>, value?: unknown) => {
    if (key === 'save:dirty') dirtyWrites.push(structuredClone(value));
    return put(key as string, value);
  }) as typeof storage.put;
  const room = { id: 'session1', env: {}, storage, getConnections: () => [] } as unknown as Party.Room;
  const session = new GameSessionRoom(room, registry, roomPlugins);
  await session.start();
  const conn = { id: 'gm1', send() {}, close() {} } as unknown as Party.Connection;
  (session as unknown as { addConnection(c: Party.Connection, claims: object): void }).addConnection(conn, {
    role: 'gm',
    userId: 'u1',
    partyId: 'p1',
  });
  // The GM's own doc: its edits reach the room as sync updates, as over the socket.
  const gm = new Y.Doc();
  gm.on('update', (update: Uint8Array) => session.message(conn, encodeSyncUpdate(update)));
  const edit = (sceneId: string, value: number) =>
    gm.transact(() => {
      const scene = getSceneMap(gm, sceneId) ?? getOrCreateSceneMap(gm, sceneId, registry, { name: sceneId });
      setPath(scene, [ranged.plugin.key, ranged.key], value, registry);
    });
  return { session, storage, dirtyWrites, edit };
}

describe('the save loop’s dirty record in room storage', () => {
  it('is written when a part becomes dirty, not again for more edits of the same part', async () => {
    const { dirtyWrites, edit, storage } = await setup();
    edit('scene1', min); // creates the scene: all of it is dirty
    edit('scene1', max); // and now its plugin group
    const written = dirtyWrites.length;
    expect(written).toBeGreaterThan(0);
    expect(storage.data.get('save:dirty')).toMatchObject({ scenes: { scene1: {} } });
    for (let i = 1; i <= 20; i++) edit('scene1', min + ((max - min) * i) / 40);
    expect(dirtyWrites.length).toBe(written);
  });

  it('is written again when another scene becomes dirty, and always holds every dirty scene', async () => {
    const { dirtyWrites, edit, storage } = await setup();
    edit('scene1', min);
    const before = dirtyWrites.length;
    edit('scene2', max);
    expect(dirtyWrites.length).toBe(before + 1);
    const stored = storage.data.get('save:dirty') as { scenes: Record<string, unknown> };
    expect(Object.keys(stored.scenes).sort()).toEqual(['scene1', 'scene2']);
  });
});
