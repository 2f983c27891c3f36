import { z } from 'zod';

// Cloudflare Queues delay a message by at most 12 hours.
export const MAX_QUEUE_DELAY_SECONDS = 43_200;

/**
 * vigil-notify's `max_retries` (wrangler.toml): the queue delivers a message at most this many
 * times plus one, then moves it to the dead-letter queue by itself, with no reason recorded.
 */
export const QUEUE_MAX_RETRIES = 8;

const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

// [vars] in wrangler.toml; the defaults here are the documented ones, so a missing var is no surprise.
const NotifierVars = z.object({
  NOTIFY_TIMEOUT_MS: count(100, 60_000, 5000),
  // vigil-notify delivers one message at most QUEUE_MAX_RETRIES + 1 times; the notifier gives up first, on purpose.
  NOTIFY_MAX_ATTEMPTS: count(1, QUEUE_MAX_RETRIES + 1, 8),
  NOTIFY_BACKOFF_BASE_SECONDS: count(1, 3600, 2),
  NOTIFY_BACKOFF_MAX_SECONDS: count(1, MAX_QUEUE_DELAY_SECONDS, 600),
  NOTIFY_REPAGE_WINDOW_MINUTES: count(0, MAX_QUEUE_DELAY_SECONDS / 60, 15),
  NOTIFY_EMAIL_FROM: z.email().default('vigil@example.com'),
  VIGIL_PUBLIC_URL: z.url().default('http://127.0.0.1:8788'),
  VIGIL_STATUS_PAGE_URL: z.url().default('http://127.0.0.1:8788/status'),
});

/** How the notifier delivers: time per call, retries, the repage window, sender and links. */
export interface NotifierSettings {
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
  repageWindowMs: number;
  emailFrom: string;
  publicUrl: string;
  statusPageUrl: string;
}

/**
 * Reads the notifier's settings from its [vars]; a var that is set but invalid throws, so a
 * misconfiguration shows up at once instead of as silently changed delivery behaviour.
 *
 * @example
 * notifierSettings({ NOTIFY_TIMEOUT_MS: '2000' }).timeoutMs; // 2000
 */
export function notifierSettings(vars: Record<string, unknown>): NotifierSettings {
  const parsed = NotifierVars.parse(
    Object.fromEntries(Object.entries(vars).filter(([, value]) => value !== undefined && value !== '')),
  );
  return {
    timeoutMs: parsed.NOTIFY_TIMEOUT_MS,
    maxAttempts: parsed.NOTIFY_MAX_ATTEMPTS,
    backoffBaseSeconds: parsed.NOTIFY_BACKOFF_BASE_SECONDS,
    backoffMaxSeconds: parsed.NOTIFY_BACKOFF_MAX_SECONDS,
    repageWindowMs: parsed.NOTIFY_REPAGE_WINDOW_MINUTES * 60_000,
    emailFrom: parsed.NOTIFY_EMAIL_FROM,
    publicUrl: parsed.VIGIL_PUBLIC_URL.replace(/\/+$/, ''),
    statusPageUrl: parsed.VIGIL_STATUS_PAGE_URL,
  };
}
