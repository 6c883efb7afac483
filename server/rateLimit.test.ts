import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { errorResponse, HttpError } from './errors';
import { rateLimit } from './rateLimit';

/** An app with one limited route and a hand-driven clock. */
function limited(burst: number, refillMs: number) {
  const clock = { now: 0 };
  const app = new Hono();
  app.onError((err, c) =>
    err instanceof HttpError ? errorResponse(c, err.status, err.message) : errorResponse(c, 500, 'bug'),
  );
  app.post(
    '/',
    rateLimit('things', { burst, refillMs }, () => clock.now),
    (c) => c.text('ok'),
  );
  return { clock, hit: () => app.request('/', { method: 'POST' }) };
}

describe('rateLimit', () => {
  it('allows the burst, then refuses with the seconds until the next request is allowed', async () => {
    const { clock, hit } = limited(2, 10_000);
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(200);
    clock.now = 2_500;
    const refused = await hit();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('8');
    expect(await refused.json()).toEqual({ error: 'too many things; try again in 8 s' });
  });

  it('gives back one request per refill period, never more than the burst', async () => {
    const { clock, hit } = limited(2, 1_000);
    await hit();
    await hit();
    clock.now = 1_000;
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(429);
    clock.now = 1_000_000; // a long pause refills to the burst, not beyond
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(429);
  });
});
