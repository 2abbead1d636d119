import { describe, expect, it } from 'vitest';
import { ApiError, parseRetryAfter, toApiError } from './errors.ts';
import { retryDelay, withRetry } from './retry.ts';

describe('Retry-After', () => {
  it('is read from delta-seconds and HTTP dates, case-insensitively, as client-go does', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(['7'])).toBe(7000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 21:00:10 GMT', Date.parse('Fri, 27 Nov 2026 21:00:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    const e = toApiError({
      code: 429,
      body: '{"message":"storage is (re)initializing","reason":"TooManyRequests"}',
      headers: { 'Retry-After': '2' },
    });
    expect(e).toMatchObject({
      status: 429,
      reason: 'TooManyRequests',
      retryAfterMs: 2000,
      message: 'storage is (re)initializing',
    });
  });

  it('sets the wait before the next attempt (bounded), backoff otherwise', () => {
    expect(retryDelay(new ApiError(429, 'slow down', 'TooManyRequests', 2000), 1, 100, 30_000)).toBe(2000);
    expect(retryDelay(new ApiError(503, 'unavailable', undefined, 600_000), 1, 100, 30_000)).toBe(30_000);
    const backoff = retryDelay(new ApiError(500, 'oops'), 3, 100, 30_000);
    expect(backoff).toBeGreaterThanOrEqual(200);
    expect(backoff).toBeLessThan(600);
  });

  it('withRetry waits what the server asked for, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3)
          throw toApiError({ code: calls === 1 ? 429 : 503, body: '{}', headers: { 'retry-after': String(calls) } });
        return 'ok';
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('ok');
    expect(waits).toEqual([1000, 2000]);
  });

  it('does not retry what a retry cannot fix', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new ApiError(403, 'forbidden');
        },
        { sleep: async () => {} },
      ),
    ).rejects.toThrow('forbidden');
    expect(calls).toBe(1);
  });
});
