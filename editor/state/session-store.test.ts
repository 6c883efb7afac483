import { afterEach, describe, expect, it, vi } from 'vitest';
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { PartyDataManager } from '../../engine/sync';
import type { FogMask } from '../../plugins/fogOfWar/mask';
import { rectangle } from '../../plugins/fogOfWar/tools';
import { ERROR_SHOWN_MS, SessionStore } from './session-store';

const managers: PartyDataManager[] = [];
afterEach(() => {
  for (const m of managers.splice(0)) m.destroy();
});

/** A store over a manager that never connects: the document is local, as before the first sync. */
function offlineStore() {
  const manager = new PartyDataManager(
    'party-1',
    'user-1',
    'session-1',
    'localhost:1',
    async () => 'no-ticket',
    {
      connect: false,
      storage: null,
    },
  );
  managers.push(manager);
  const sceneId = manager.addScene('Scene');
  const store = new SessionStore(manager, {
    sceneId,
    props: defaultStageProps(),
    blobs: {},
    scenes: [{ id: sceneId, name: 'Scene' }],
    party: { activeGameSessionId: null, activeSceneId: null, paused: false },
  });
  return { manager, store, sceneId };
}

describe('SessionStore', () => {
  it('shows the server-loaded props until the documents are live', () => {
    const { store } = offlineStore();
    expect(store.live.get()).toBe(false);
    expect(store.props.get()).toEqual(defaultStageProps());
  });

  it("refuses a bad value with the registry's reason and records it for the status line", () => {
    const { store } = offlineStore();
    const prop = registry.props.find(
      (p) => !p.localOnly && p.decl.kind === 'number' && p.decl.max !== undefined,
    )!;
    const path = [prop.plugin.key, prop.key];
    const max = (prop.decl as { max: number }).max;
    const result = store.queuePropertyUpdate(path, max + 1);
    expect(result.ok).toBe(false);
    expect(result.reason).toContain(prop.key);
    expect(store.lastError.get()).toBe(
      `${prop.plugin.label}: ${prop.label.toLowerCase()} must be at most ${max}`,
    );
  });

  it('lets a refusal on the status line expire', () => {
    vi.useFakeTimers();
    try {
      const { store } = offlineStore();
      const prop = registry.props.find(
        (p) => !p.localOnly && p.decl.kind === 'number' && p.decl.max !== undefined,
      )!;
      store.queuePropertyUpdate([prop.plugin.key, prop.key], (prop.decl as { max: number }).max + 1);
      expect(store.lastError.get()).not.toBe('');
      vi.advanceTimersByTime(ERROR_SHOWN_MS);
      expect(store.lastError.get()).toBe('');
    } finally {
      vi.useRealTimers();
    }
  });

  it("writes a channel's changed values into the scene's blobs as one undoable step, and decodes them back", () => {
    const { manager, store } = offlineStore();
    const channel = registry.channels[0]!;
    const mask = store.channelState(channel.id) as FogMask;
    const changes = rectangle(mask, { x: 0, y: 0, width: 100, height: 100 }, 'reveal');
    expect(changes.size).toBeGreaterThan(0);
    expect(store.writeBlobs(changes).ok).toBe(true);
    const keys = () =>
      store
        .blobEntries(channel.decl.prefix)
        .map(([k]) => k)
        .sort();
    expect(keys()).toEqual([...changes.keys()].sort());
    expect(manager.undo()).toBe(true);
    expect(keys()).toEqual([]);
    // The decoded state follows the document: the undone reveal is fog again.
    expect((store.channelState(channel.id) as FogMask).at(50, 50)).toBe(1);
    expect(manager.redo()).toBe(true);
    expect(keys().length).toBe(changes.size);
    expect((store.channelState(channel.id) as FogMask).at(50, 50)).toBe(0);
  });
});
