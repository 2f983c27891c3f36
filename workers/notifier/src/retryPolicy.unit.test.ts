import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './channels/sendOutcome';
import { backoffSeconds, nextStep } from './retryPolicy';

const settings = { backoffBaseSeconds: 2, backoffMaxSeconds: 600, maxAttempts: 8 };
const now = new Date('2026-11-29T10:00:00Z');

describe('retry policy', () => {
  it('backs off exponentially up to the maximum', () => {
    expect([1, 2, 3, 4, 9, 12].map((attempt) => backoffSeconds(attempt, settings))).toEqual([
      2, 4, 8, 16, 512, 600,
    ]);
  });

  it('retries a transient failure, waiting at least as long as Retry-After asks', () => {
    expect(nextStep({ ok: false, transient: true, reason: 'HTTP 503' }, 2, settings)).toEqual({
      status: 'pending',
      reason: 'HTTP 503; retrying in 4 s',
      delaySeconds: 4,
    });
    expect(
      nextStep({ ok: false, transient: true, reason: 'HTTP 429', retryAfterSeconds: 90 }, 1, settings),
    ).toMatchObject({
      delaySeconds: 90,
    });
    expect(
      nextStep({ ok: false, transient: true, reason: 'HTTP 429', retryAfterSeconds: 1 }, 3, settings),
    ).toMatchObject({
      delaySeconds: 8,
    });
  });

  it('stops a permanent failure at once, and a transient one after the last attempt', () => {
    expect(nextStep({ ok: false, transient: false, reason: 'HTTP 404' }, 1, settings)).toEqual({
      status: 'failed',
      reason: 'HTTP 404; not retried',
    });
    expect(nextStep({ ok: false, transient: true, reason: 'HTTP 500' }, 8, settings)).toEqual({
      status: 'dead',
      reason: 'HTTP 500; gave up after 8 attempts',
    });
    expect(nextStep({ ok: true, detail: 'HTTP 200' }, 8, settings)).toEqual({ status: 'sent' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sun, 29 Nov 2026 10:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
