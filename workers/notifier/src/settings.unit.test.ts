import { describe, expect, it } from 'vitest';
import wranglerToml from '../wrangler.toml?raw';
import { notifierSettings, QUEUE_MAX_RETRIES } from './settings';

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

  it('knows how often vigil-notify delivers one message', () => {
    const consumer = /queue = "vigil-notify"[^[]*?max_retries = (\d+)/.exec(wranglerToml);
    expect(Number(consumer?.[1])).toBe(QUEUE_MAX_RETRIES);
  });
});
