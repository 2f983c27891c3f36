import { describe, expect, it } from 'vitest';
import { notifierSettings } from './settings';

describe('notifier settings', () => {
  it('has the documented defaults', () => {
    expect(notifierSettings({})).toEqual({
      timeoutMs: 5000,
      maxAttempts: 8,
      backoffBaseSeconds: 2,
      backoffMaxSeconds: 600,
      repageWindowMs: 15 * 60_000,
      emailFrom: 'vigil@example.com',
      publicUrl: 'http://127.0.0.1:8788',
      statusPageUrl: 'http://127.0.0.1:8788/status',
    });
  });

  it('reads [vars] as strings and refuses nonsense', () => {
    expect(notifierSettings({ NOTIFY_TIMEOUT_MS: '2500', NOTIFY_REPAGE_WINDOW_MINUTES: '0' })).toMatchObject({
      timeoutMs: 2500,
      repageWindowMs: 0,
    });
    expect(() => notifierSettings({ NOTIFY_MAX_ATTEMPTS: '20' })).toThrow();
    expect(() => notifierSettings({ NOTIFY_TIMEOUT_MS: 'fast' })).toThrow();
  });
});
