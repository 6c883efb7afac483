import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { defaultStageProps, registry } from '../../engine/generated';
import { getBlobs, getSceneMap } from '../../engine/sync/docLayout';
import { writeDbScene } from './hydrate';

// A valid value of every declared channel is not derivable in general; the built-in channel with a fill key
// (one byte) gives one without naming it here.
const channel = registry.channels.find((c) => c.decl.key.test('default'))!;

describe('hydrating a scene from the DB', () => {
  it('loads only blobs of declared channels that pass their checks, logging the rest', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const doc = new Y.Doc();
    const good = `${channel.decl.prefix}default`;
    writeDbScene(doc, registry, {
      id: 'scene1',
      name: 'One',
      sortOrder: 0,
      lastUpdated: 1,
      props: defaultStageProps(),
      blobs: {
        [good]: Buffer.from([0]).toString('base64'),
        'undeclared/1': Buffer.from([0]).toString('base64'),
        [`${channel.decl.prefix}default2`]: Buffer.from([0]).toString('base64'),
      },
    });
    expect([...getBlobs(getSceneMap(doc, 'scene1')!)!.keys()]).toEqual([good]);
    expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
      /undeclared\/1" belongs to no declared/,
    );
    warn.mockRestore();
  });
});
