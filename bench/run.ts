/**
 * `npm run bench [-- --quick] [-- --only 1,2] [-- --seed N]`: runs the metric
 * scripts in order, prints one table, and writes bench/results/latest.json.
 * A metric that fails is reported (with its error) and the others still run.
 */
import { resolve } from 'node:path';
import { formatTable, resultsDocument, writeResults, type MetricResult, type RunOptions } from './lib/report';

type Metric = { id: string; load: () => Promise<{ run(o: RunOptions): Promise<MetricResult> }> };

const METRICS: Metric[] = [
  { id: '1', load: () => import('./m1-wireBytes') },
  { id: '2', load: () => import('./m2-messages') },
  { id: '3', load: () => import('./m3-latency') },
  { id: '4', load: () => import('./m4-longSession') },
  { id: '5', load: () => import('./m5-fanout') },
  { id: '6', load: () => import('./m6-render') },
  { id: '7', load: () => import('./m7-coldLoad') },
  { id: '8', load: () => import('./m8-fogOcclusion') },
  { id: '9', load: () => import('./m9-atmosphere') },
  { id: '10', load: () => import('./m10-strokes') },
  { id: '11', load: () => import('./m11-tables') },
  { id: '12', load: () => import('./m12-threeHours') },
];

function parseArgs(argv: readonly string[]) {
  const quick = argv.includes('--quick');
  const at = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = at('--only')
    ?.split(',')
    .map((s) => s.trim());
  const seed = Number(at('--seed') ?? 20261124);
  if (!Number.isInteger(seed)) throw new Error('--seed takes an integer');
  const out = at('--out') ?? resolve(import.meta.dirname, 'results/latest.json');
  return { quick, only, seed, out };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options: RunOptions = { quick: args.quick, seed: args.seed };
  const startedAt = new Date();
  const results: MetricResult[] = [];
  for (const metric of METRICS) {
    if (args.only && !args.only.includes(metric.id)) continue;
    const t0 = Date.now();
    process.stdout.write(`metric ${metric.id}… `);
    try {
      const mod = await metric.load();
      const result = await mod.run(options);
      results.push(result);
      console.log(`${result.title}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      console.log(`FAILED after ${((Date.now() - t0) / 1000).toFixed(1)} s\n${error}`);
      results.push({ id: metric.id, title: `metric ${metric.id}`, rows: [], details: {}, error });
    }
  }
  console.log(`\n${formatTable(results.flatMap((r) => r.rows))}\n`);
  writeResults(args.out, resultsDocument(results, options, startedAt));
  console.log(`results: ${args.out}`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

await main();
// Every script stops the servers it started; client libraries may still hold a reconnect or
// awareness timer, which must not keep the command running.
process.exit();
