/**
 * Seeded randomness for the reliability suite. Every test draws from one
 * seeded generator and, when it fails, prints the seed and the command that
 * replays it (`RELIABILITY_SEED=<seed>`), so a fuzz failure is a bug report
 * rather than a flake.
 */
import fc from 'fast-check';
import { checkValue, type PropDecl } from '../../../engine/schema';
import { validValue } from '../../support/arbitraries';

/** `RELIABILITY_LONG=1`: full-length fault, fuzz and soak runs (minutes, not seconds). */
export const LONG = process.env.RELIABILITY_LONG === '1';
/** `SOAK=1` (or RELIABILITY_LONG=1): the long soak. */
export const SOAK = process.env.SOAK === '1' || LONG;

/** A small, fast, seedable PRNG (mulberry32). */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }
  /** A child seed, for libraries that take their own (fast-check). */
  fork(): number {
    return this.int(0, 0x7fffffff);
  }
}

/**
 * Runs `body` with a seeded generator (RELIABILITY_SEED or a fresh seed) and
 * rethrows any failure with the seed in the message.
 */
export async function withSeed(name: string, body: (rng: Rng) => Promise<void>): Promise<void> {
  const fixed = process.env.RELIABILITY_SEED;
  const seed = fixed ? Number(fixed) >>> 0 : Math.floor(Math.random() * 0x7fffffff);
  try {
    await body(new Rng(seed));
  } catch (e) {
    const message = `[${name}] failed with seed ${seed} (replay: RELIABILITY_SEED=${seed} npm run test:reliability)`;
    console.error(message);
    if (e instanceof Error) {
      e.message = `${message}\n${e.message}`;
      throw e;
    }
    throw new Error(`${message}\n${String(e)}`);
  }
}

/**
 * A registry-valid value of `decl`, drawn through the shared arbitraries
 * (so the suite explores the same space as the property tests), normalised
 * by the schema check. `-0` becomes `0`: JSON and the DB do not keep the sign.
 */
export function validValueOf(decl: PropDecl, rng: Rng): unknown {
  const [raw] = fc.sample(validValue(decl), { seed: rng.fork(), numRuns: 1 });
  const checked = checkValue(decl, raw);
  if (!checked.ok) throw new Error(`arbitrary produced an invalid ${decl.kind}: ${checked.reason}`);
  return JSON.parse(JSON.stringify(checked.value)) as unknown;
}
