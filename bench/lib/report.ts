/**
 * Benchmark results: one row per figure (ours, the baseline's, their ratio,
 * the target and whether it is met), printed as a table and written as JSON
 * together with the environment the numbers came from.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { round } from './stats';

const ROOT = resolve(import.meta.dirname, '../..');

/** A target a row is checked against: `ours` (or the ratio) at most / at least `value`. */
export interface Target {
  readonly on: 'ours' | 'ratio';
  readonly op: '<=' | '>=';
  readonly value: number;
}

/** One measured figure, ours beside the baseline's. */
export interface Row {
  readonly metric: string;
  readonly name: string;
  readonly unit: string;
  readonly ours: number;
  /** NaN when the figure has no baseline. */
  readonly baseline: number;
  /** ours / baseline (NaN without a baseline). */
  readonly ratio: number;
  readonly target?: Target | Target[];
  /** undefined when the row has no target. */
  readonly pass?: boolean;
}

/** What one metric script returns. */
export interface MetricResult {
  readonly id: string;
  readonly title: string;
  readonly rows: Row[];
  /** Everything else worth keeping: settings, counts, assumptions, raw distributions. */
  readonly details: Record<string, unknown>;
  readonly error?: string;
}

export interface RunOptions {
  readonly quick: boolean;
  readonly seed: number;
}

function check(t: Target, ours: number, ratio: number): boolean {
  const v = t.on === 'ours' ? ours : ratio;
  return t.op === '<=' ? v <= t.value : v >= t.value;
}

/** Builds a row, computing the ratio and checking the targets. */
export function row(
  metric: string,
  name: string,
  unit: string,
  ours: number,
  baseline: number,
  target?: Target | Target[],
): Row {
  const ratio = Number.isFinite(baseline) && baseline !== 0 ? ours / baseline : NaN;
  const targets = target === undefined ? [] : Array.isArray(target) ? target : [target];
  const pass = targets.length === 0 ? undefined : targets.every((t) => check(t, ours, ratio));
  return {
    metric,
    name,
    unit,
    ours: round(ours, 3),
    baseline: round(baseline, 3),
    ratio: round(ratio, 3),
    ...(target === undefined ? {} : { target }),
    ...(pass === undefined ? {} : { pass }),
  };
}

export function describeTarget(target: Target | Target[] | undefined): string {
  if (target === undefined) return '';
  const list = Array.isArray(target) ? target : [target];
  return list.map((t) => `${t.on === 'ratio' ? 'ratio' : 'ours'} ${t.op} ${t.value}`).join(', ');
}

const fmt = (v: number) =>
  Number.isNaN(v) ? '—' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(round(v, 2));

/** The rows as a Markdown table (also readable in a terminal). */
export function formatTable(rows: readonly Row[]): string {
  const header = ['#', 'figure', 'unit', 'ours', 'baseline', 'ratio', 'target', 'pass'];
  const lines = rows.map((r) => [
    r.metric,
    r.name,
    r.unit,
    fmt(r.ours),
    fmt(r.baseline),
    fmt(r.ratio),
    describeTarget(r.target),
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n');
}

function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** Where and with what the numbers were measured. */
export function environment() {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuModel: cpu[0]?.model ?? 'unknown',
    cpuCount: cpu.length,
    packages: Object.fromEntries(
      ['yjs', 'y-partykit', 'partykit', 'y-protocols', '@babylonjs/core', 'playwright-core'].map((n) => [
        n,
        packageVersion(n),
      ]),
    ),
  };
}

/** The JSON document `bench/results/latest.json` holds. */
export function resultsDocument(results: readonly MetricResult[], options: RunOptions, startedAt: Date) {
  return {
    startedAt: startedAt.toISOString(),
    durationSeconds: round((Date.now() - startedAt.getTime()) / 1000, 1),
    quick: options.quick,
    seed: options.seed,
    environment: environment(),
    metrics: results,
  };
}

export function writeResults(path: string, document: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
}
