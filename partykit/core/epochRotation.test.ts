import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getScenesMap } from '../../engine/sync/docLayout';
import { CompactionGate } from './epochRotation';

const nextTurn = () => Promise.resolve();

/** A doc whose live data is about 1 KB, and a way to grow its history without growing the live data. */
function growingDoc() {
  const doc = new Y.Doc({ gc: true });
  const scenes = getScenesMap(doc) as unknown as Y.Map<unknown>;
  scenes.set('text', 'x'.repeat(1000));
  let n = 0;
  const live = Y.encodeStateAsUpdate(doc).byteLength;
  return {
    doc,
    /** Overwrites one small value until the state passes `times` × the live data. */
    growTo(times: number) {
      // Two keys in turn: Y.js merges a run of deleted items of one key into one struct.
      while (Y.encodeStateAsUpdate(doc).byteLength <= times * live) scenes.set(`k${n % 2}`, n++);
    },
  };
}

describe('CompactionGate', () => {
  const policy = { ratio: 1.5, minBytes: 0, busyRatio: 8 };

  it('compacts an idle room once its state passes the idle ratio of the live data, not only past twice it', async () => {
    const { doc, growTo } = growingDoc();
    const gate = new CompactionGate(policy);
    expect(await gate.shouldCompact(doc, true, nextTurn)).toBe(false);
    growTo(1.6);
    expect(await gate.shouldCompact(doc, false, nextTurn)).toBe(false);
    expect(await gate.shouldCompact(doc, true, nextTurn)).toBe(true);
  });

  it('lets a busy room grow to the busy ratio before compacting', async () => {
    const { doc, growTo } = growingDoc();
    const gate = new CompactionGate(policy);
    growTo(4);
    expect(await gate.shouldCompact(doc, false, nextTurn)).toBe(false);
    growTo(9);
    expect(await gate.shouldCompact(doc, false, nextTurn)).toBe(true);
  });

  it('leaves small documents alone', async () => {
    const { doc, growTo } = growingDoc();
    growTo(3);
    expect(
      await new CompactionGate({ ...policy, minBytes: 1 << 20 }).shouldCompact(doc, true, nextTurn),
    ).toBe(false);
  });
});
