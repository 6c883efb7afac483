import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTable, resultsDocument, row, writeResults } from './report';
import { percentile, seededRandom } from './stats';

describe('bench report', () => {
  it('computes the ratio and checks every target of a row', () => {
    const ok = row('1', 'bytes', 'B', 30, 300, [
      { on: 'ours', op: '<=', value: 40 },
      { on: 'ratio', op: '<=', value: 0.15 },
    ]);
    expect(ok.ratio).toBe(0.1);
    expect(ok.pass).toBe(true);
    expect(row('1', 'bytes', 'B', 50, 300, { on: 'ours', op: '<=', value: 40 }).pass).toBe(false);
    expect(row('2', 'fewer', 'msg', 10, 100, { on: 'ratio', op: '>=', value: 0.5 }).pass).toBe(false);
    const noBaseline = row('7', 'load', 'ms', 12, NaN);
    expect(Number.isNaN(noBaseline.ratio)).toBe(true);
    expect(noBaseline.pass).toBeUndefined();
  });

  it('prints a Markdown table with one line per row and marks failures', () => {
    const table = formatTable([
      row('1', 'bytes per change', 'B', 38, 1800, { on: 'ours', op: '<=', value: 40 }),
      row('3', 'p99', 'ms', 20, 12, { on: 'ours', op: '<=', value: 15 }),
      row('7', 'hydration', 'ms', 500, NaN),
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      /^\| # +\| figure +\| unit +\| ours +\| baseline +\| ratio +\| target +\| pass +\|$/,
    );
    expect(lines[2]).toContain('1,800');
    expect(lines[2]).toContain('ours <= 40');
    expect(lines[2]).toMatch(/\| yes +\|$/);
    expect(lines[3]).toMatch(/\| NO +\|$/);
    expect(lines[4]).toContain('—');
  });

  it('writes results JSON with the environment and every metric', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tablestage-bench-test-'));
    try {
      const path = join(dir, 'nested', 'latest.json');
      const doc = resultsDocument(
        [{ id: '1', title: 't', rows: [row('1', 'x', 'B', 1, 2)], details: { a: 1 } }],
        { quick: true, seed: 7 },
        new Date(),
      );
      writeResults(path, doc);
      const back = JSON.parse(readFileSync(path, 'utf8'));
      expect(back.quick).toBe(true);
      expect(back.seed).toBe(7);
      expect(back.environment.node).toBe(process.version);
      expect(back.environment.cpuCount).toBeGreaterThan(0);
      expect(back.environment.packages.yjs).toMatch(/^\d+\.\d+\.\d+/);
      expect(back.environment.packages['@babylonjs/core']).toMatch(/^\d+\.\d+\.\d+/);
      expect(back.metrics[0].rows[0]).toMatchObject({ ours: 1, baseline: 2, ratio: 0.5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replays the same random sequence for the same seed, and takes nearest-rank percentiles', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
});
