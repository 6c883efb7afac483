/**
 * Per-client rate limits for the endpoints that cost storage (party creation,
 * uploads): a token bucket per client address, in memory. Refused requests get
 * 429 with `Retry-After` before any body is read or row written.
 *
 * The client is the TCP peer. A peer on loopback is a local proxy (Vite in
 * development, or a reverse proxy on the same host): then the last
 * `X-Forwarded-For` entry — the one that proxy appended, not one the client
 * sent — names the client. The app server listens on loopback by default, so
 * nothing else can be that peer.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { HttpError } from './errors';

export interface RateLimit {
  /** Requests a client may make at once. */
  readonly burst: number;
  /** One more request is allowed every `refillMs`. */
  readonly refillMs: number;
}

/** Limits in force unless the app is started with others (`AppOptions.rateLimits`). */
export const DEFAULT_RATE_LIMITS = {
  /** 20 at once, then one every 3 minutes (20 an hour). */
  partyCreation: { burst: 20, refillMs: 3 * 60_000 },
  /** 60 at once, then one every 2 s. */
  upload: { burst: 60, refillMs: 2_000 },
  /** Scene thumbnails (an editor sends one per scene after edits settle): 30 at once, then one a second. */
  thumbnail: { burst: 30, refillMs: 1_000 },
} as const satisfies Record<string, RateLimit>;

export type RateLimits = { readonly [K in keyof typeof DEFAULT_RATE_LIMITS]: RateLimit };

const isLoopback = (a: string) => a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.');

/** The client a request comes from, as described in the module comment. */
export function clientAddress(c: Context): string {
  let peer = 'unknown';
  try {
    peer = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not served by @hono/node-server (app.request in unit tests): one shared bucket.
  }
  if (!isLoopback(peer)) return peer;
  const forwarded = c.req.header('x-forwarded-for');
  const last = forwarded?.split(',').at(-1)?.trim();
  return last || peer;
}

/** Buckets beyond this many clients evict the oldest, so a flood of addresses cannot grow memory. */
const MAX_CLIENTS = 50_000;

/** A Hono middleware allowing `limit` per client; `now` is injectable for tests of the arithmetic. */
export function rateLimit(name: string, limit: RateLimit, now: () => number = Date.now): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (c, next) => {
    const key = clientAddress(c);
    const t = now();
    const prev = buckets.get(key);
    let tokens = limit.burst;
    if (prev) tokens = Math.min(limit.burst, prev.tokens + (t - prev.at) / limit.refillMs);
    if (tokens < 1) {
      buckets.set(key, { tokens, at: t });
      const retryAfter = Math.max(1, Math.ceil(((1 - tokens) * limit.refillMs) / 1000));
      c.header('Retry-After', String(retryAfter));
      throw new HttpError(429, `too many ${name}; try again in ${retryAfter} s`);
    }
    buckets.delete(key); // re-insert: Map order is then least recently used first
    buckets.set(key, { tokens: tokens - 1, at: t });
    if (buckets.size > MAX_CLIENTS) buckets.delete(buckets.keys().next().value!);
    await next();
  };
}
