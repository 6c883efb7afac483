import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { registry } from '../../engine/generated';
import { getBlobs, getOrCreateSceneMap } from '../../engine/sync/docLayout';
import { buildSceneSave } from './saveBody';

const channel = registry.channels.find((c) => c.decl.key.test('default'))!;

describe('the save body of a scene', () => {
  it('sends valid blobs and deletions of declared keys, and leaves out what the app server would refuse (even a deletion)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const doc = new Y.Doc();
    const scene = getOrCreateSceneMap(doc, 'scene1', registry, { name: 'One' });
    const good = `${channel.decl.prefix}default`;
    // A room snapshot written before the channel's rules can still hold such values.
    getBlobs(scene, true)!.set(good, Uint8Array.from([1]));
    getBlobs(scene, true)!.set('undeclared/1', Uint8Array.from([1]));
    getBlobs(scene, true)!.set(`${channel.decl.prefix}bad_key`, Uint8Array.from([1]));
    const body = buildSceneSave(
      doc,
      registry,
      'session1',
      'scene1',
      {
        blobs: [
          good,
          'undeclared/1',
          `${channel.decl.prefix}bad_key`,
          `${channel.decl.prefix}0_0`,
          'gone/1',
          `${channel.decl.prefix}gone_key`,
        ],
      },
      false,
    );
    expect(body?.blobs).toEqual({ [good]: 'AQ==', [`${channel.decl.prefix}0_0`]: null });
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
