import { describe, expect, it } from 'vitest';
import { createRegistry, definePlugin, p } from '../schema';
import { channelOverLimit, checkBlobValue, playerMayReceiveBlob, servableBlobs } from './blobs';

const registry = createRegistry([
  {
    file: 'test/sketch.schema.ts',
    plugin: definePlugin({
      name: 'sketch',
      attachTo: 'scene',
      label: 'Sketch',
      throttle: 'control',
      props: { on: p.boolean(false) },
      channels: {
        strokes: { prefix: 'ink/', key: /^\d+$/, maxBytes: 4, maxKeys: 2 },
        notes: { prefix: 'gmnote/', key: /^\d+$/, maxBytes: 4, maxKeys: 5, audience: 'gm' },
      },
    }),
  },
]);
const b = (n: number) => new Uint8Array(n);

describe('blob rules shared by the room and the app server', () => {
  it('names the key and the channel in every refusal', () => {
    expect(checkBlobValue(registry, 'ink/1', b(4))).toMatchObject({ ok: true });
    expect(checkBlobValue(registry, 'other/1', b(1))).toEqual({
      ok: false,
      reason: '"other/1" belongs to no declared binary channel (declared prefixes: ink/, gmnote/)',
    });
    expect(checkBlobValue(registry, 'ink/1', b(5))).toEqual({
      ok: false,
      reason: 'sketch.strokes: "ink/1" is 5 bytes, more than the 4 allowed',
    });
    expect(checkBlobValue(registry, 'ink/1', 'text')).toEqual({
      ok: false,
      reason: 'sketch.strokes: "ink/1" is not bytes',
    });
  });

  it('counts keys per channel', () => {
    expect(channelOverLimit(registry, ['ink/1', 'ink/2', 'gmnote/1'])).toBeUndefined();
    expect(channelOverLimit(registry, ['ink/1', 'gmnote/1', 'ink/2', 'ink/3'])).toEqual({
      key: 'ink/3',
      reason: 'sketch.strokes: "ink/3" would be key 3 of this channel in the scene; at most 2 are allowed',
    });
  });

  it('serves players no gm channel, and nobody undeclared, invalid or surplus blobs', () => {
    const stored = {
      'ink/1': b(1),
      'ink/2': b(1),
      'ink/3': b(1),
      'gmnote/1': b(1),
      'old/1': b(1),
      'ink/x': b(1),
    };
    const refused: string[] = [];
    expect(Object.keys(servableBlobs(registry, stored, 'gm', (r) => refused.push(r.key)))).toEqual([
      'ink/1',
      'ink/2',
      'gmnote/1',
    ]);
    expect(refused).toEqual(['ink/3', 'old/1', 'ink/x']);
    expect(Object.keys(servableBlobs(registry, stored, 'player'))).toEqual(['ink/1', 'ink/2']);
    expect(playerMayReceiveBlob(registry, 'gmnote/1')).toBe(false);
    expect(playerMayReceiveBlob(registry, 'ink/1')).toBe(true);
  });
});
