import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocStore, LOG_ENTRIES_DUE } from './docStore';
import { memoryStorage, type MemoryStorage } from './testing/memoryStorage';

/** A doc whose updates are logged to a store, as the room logs every applied update. */
function loggedDoc(storage: MemoryStorage) {
  const doc = new Y.Doc();
  const store = new DocStore(storage, 'doc:');
  const writes: Promise<void>[] = [];
  doc.on('update', (update: Uint8Array) => writes.push(store.append(update)));
  const map = doc.getMap<unknown>('m');
  let n = 0;
  return {
    doc,
    store,
    /** One small edit (one log entry). */
    edit: (bytes = 10) => map.set(`k${n++ % 50}`, 'x'.repeat(bytes)),
    written: () => Promise.all(writes),
  };
}

async function reloaded(storage: MemoryStorage): Promise<Y.Doc> {
  const doc = new Y.Doc();
  await new DocStore(storage, 'doc:').load(doc, 'load');
  return doc;
}

const keysOf = (storage: MemoryStorage, part: string) =>
  [...storage.data.keys()].filter((k) => k.includes(part));

describe('DocStore', () => {
  it('keeps logging while the log is small: no snapshot, and a reload replays the log exactly', async () => {
    const storage = memoryStorage();
    const { doc, store, edit, written } = loggedDoc(storage);
    for (let i = 0; i < 20; i++) edit();
    await written();
    expect(store.snapshotDue).toBe(false);
    await store.compactIfDue(doc);
    expect(keysOf(storage, 'snap:')).toEqual([]);
    expect(store.pendingLogEntries).toBe(20);
    expect((await reloaded(storage)).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
  });

  it('snapshots once the log outweighs the snapshot, drops that log and old chunks, and lists nothing', async () => {
    const storage = memoryStorage();
    const { doc, store, edit, written } = loggedDoc(storage);
    while (!store.snapshotDue) edit(500);
    await written();
    const lists = storage.calls.list;
    await store.compactIfDue(doc);
    expect(keysOf(storage, 'snap:').length).toBeGreaterThan(0);
    expect(keysOf(storage, 'log:')).toEqual([]);
    expect(store.pendingLogEntries).toBe(0);
    // The next snapshot is due only when the log outweighs this one again.
    edit(500);
    await written();
    expect(store.snapshotDue).toBe(false);
    while (!store.snapshotDue) edit(500);
    await written();
    const firstChunks = keysOf(storage, 'snap:');
    await store.compactIfDue(doc);
    expect(keysOf(storage, 'snap:')).not.toEqual(firstChunks);
    expect(keysOf(storage, 'snap:').some((k) => firstChunks.includes(k))).toBe(false);
    expect(storage.calls.list).toBe(lists);
    expect((await reloaded(storage)).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
  });

  it('is due after many small entries even when they weigh little', async () => {
    const storage = memoryStorage();
    const { store, edit, written } = loggedDoc(storage);
    for (let i = 0; i < LOG_ENTRIES_DUE - 1; i++) edit(1);
    await written();
    expect(store.snapshotDue).toBe(false);
    edit(1);
    await written();
    expect(store.snapshotDue).toBe(true);
  });

  it('keeps updates appended while a snapshot is written, and a reloaded store deletes what it loaded', async () => {
    const storage = memoryStorage();
    const first = loggedDoc(storage);
    for (let i = 0; i < 30; i++) first.edit(200);
    await first.written();
    const compaction = first.store.compact(first.doc);
    first.edit(200); // appended during the compaction's awaits
    await compaction;
    await first.written();
    expect(first.store.pendingLogEntries).toBe(1);
    const doc = await reloaded(storage);
    expect(doc.getMap('m').toJSON()).toEqual(first.doc.getMap('m').toJSON());

    // A store that loaded a snapshot and a log drops both when it snapshots.
    const second = new DocStore(storage, 'doc:');
    const again = new Y.Doc();
    await second.load(again, 'load');
    expect(second.pendingLogEntries).toBe(1);
    const before = keysOf(storage, 'snap:');
    await second.compact(again);
    expect(keysOf(storage, 'log:')).toEqual([]);
    expect(keysOf(storage, 'snap:').some((k) => before.includes(k))).toBe(false);
    expect((await reloaded(storage)).getMap('m').toJSON()).toEqual(first.doc.getMap('m').toJSON());
  });
});
