import { describe, expect, it } from 'vitest';
import { FrameReader, type FrameLimits } from './frames';

const limits: FrameLimits = {
  maxMessageBytes: 1000,
  messageBurst: 10,
  messagesPerSecond: 5,
  byteBurst: 5000,
  bytesPerSecond: 1000,
};
const marker = (o: object) => `y-pk-batch#${JSON.stringify(o)}`;

describe('FrameReader', () => {
  it('passes whole binary messages through', () => {
    const r = new FrameReader(limits, 0);
    expect(r.accept(Uint8Array.from([1, 2, 3]), 0)).toEqual({
      kind: 'message',
      data: Uint8Array.from([1, 2, 3]),
    });
  });

  it('reassembles a y-partykit batch exactly', () => {
    const r = new FrameReader(limits, 0);
    expect(r.accept(marker({ id: 'a', type: 'start', size: 5, count: 2 }), 0).kind).toBe('pending');
    expect(r.accept(Uint8Array.from([1, 2, 3]), 0).kind).toBe('pending');
    expect(r.accept(Uint8Array.from([4, 5]), 0).kind).toBe('pending');
    expect(r.accept(marker({ id: 'a', type: 'end', size: 5, count: 2 }), 0)).toEqual({
      kind: 'message',
      data: Uint8Array.from([1, 2, 3, 4, 5]),
    });
  });

  it.each([
    [
      'a start marker above the size limit',
      [marker({ id: 'a', type: 'start', size: 5000, count: 5 })],
      'too-large',
    ],
    [
      'more bytes than announced',
      [marker({ id: 'a', type: 'start', size: 2, count: 1 }), Uint8Array.from([1, 2, 3])],
      'too-large',
    ],
    [
      'more chunks than announced',
      [marker({ id: 'a', type: 'start', size: 10, count: 1 }), Uint8Array.from([1]), Uint8Array.from([2])],
      'too-large',
    ],
    ['an end without a start', [marker({ id: 'a', type: 'end', size: 1, count: 1 })], 'malformed'],
    [
      'an end with another id',
      [
        marker({ id: 'a', type: 'start', size: 1, count: 1 }),
        Uint8Array.from([1]),
        marker({ id: 'b', type: 'end', size: 1, count: 1 }),
      ],
      'malformed',
    ],
    [
      'a nested start',
      [
        marker({ id: 'a', type: 'start', size: 1, count: 1 }),
        marker({ id: 'b', type: 'start', size: 1, count: 1 }),
      ],
      'malformed',
    ],
    ['a marker with a negative size', [marker({ id: 'a', type: 'start', size: -1, count: 1 })], 'malformed'],
    ['plain text', ['hello'], 'malformed'],
    ['a single message above the limit', [new Uint8Array(1001)], 'too-large'],
  ] as const)('refuses %s', (_what, frames, why) => {
    const r = new FrameReader(limits, 0);
    const results = frames.map((f) => r.accept(f, 0));
    expect(results.at(-1)).toMatchObject({ kind: 'reject', why });
  });

  it('refuses floods of messages and of bytes, and refills over time', () => {
    const r = new FrameReader(limits, 0);
    for (let i = 0; i < 10; i++) expect(r.accept(Uint8Array.from([0]), 0).kind).toBe('message');
    expect(r.accept(Uint8Array.from([0]), 0)).toMatchObject({ kind: 'reject', why: 'flood' });
    const later = new FrameReader(limits, 0);
    for (let i = 0; i < 10; i++) later.accept(Uint8Array.from([0]), 0);
    expect(later.accept(Uint8Array.from([0]), 1000).kind).toBe('message');
    const bytes = new FrameReader(limits, 0);
    for (let i = 0; i < 5; i++) expect(bytes.accept(new Uint8Array(1000), 0).kind).toBe('message');
    expect(bytes.accept(new Uint8Array(1000), 0)).toMatchObject({ kind: 'reject', why: 'flood' });
  });
});
