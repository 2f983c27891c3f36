import type { SendOutcome } from './channels/sendOutcome';
import { MAX_QUEUE_DELAY_SECONDS, type NotifierSettings } from './settings';

/** What to do with a delivery after an attempt. */
export type NextStep =
  | { status: 'sent' }
  | { status: 'failed'; reason: string }
  | { status: 'pending'; reason: string; delaySeconds: number }
  | { status: 'dead'; reason: string };

/**
 * Exponential backoff through the queue's delay: base, 2×base, 4×base … at most the maximum.
 *
 * @example
 * backoffSeconds(3, { backoffBaseSeconds: 2, backoffMaxSeconds: 600 }); // 8
 */
export function backoffSeconds(
  attempt: number,
  settings: Pick<NotifierSettings, 'backoffBaseSeconds' | 'backoffMaxSeconds'>,
): number {
  return Math.min(settings.backoffMaxSeconds, settings.backoffBaseSeconds * 2 ** Math.max(0, attempt - 1));
}

/**
 * Delivered, given up at once (permanent), retried after the backoff or the receiver's
 * Retry-After (whichever is later), or — after the last attempt — dead.
 *
 * @example
 * nextStep({ ok: false, transient: true, reason: 'HTTP 503' }, 1, settings);
 * // { status: 'pending', reason: 'HTTP 503; retrying in 2 s', delaySeconds: 2 }
 */
export function nextStep(
  outcome: SendOutcome,
  attempt: number,
  settings: Pick<NotifierSettings, 'backoffBaseSeconds' | 'backoffMaxSeconds' | 'maxAttempts'>,
): NextStep {
  if (outcome.ok) return { status: 'sent' };
  if (!outcome.transient) return { status: 'failed', reason: `${outcome.reason}; not retried` };
  if (attempt >= settings.maxAttempts) {
    return { status: 'dead', reason: `${outcome.reason}; gave up after ${attempt} attempts` };
  }
  const delaySeconds = Math.min(
    MAX_QUEUE_DELAY_SECONDS,
    Math.max(backoffSeconds(attempt, settings), outcome.retryAfterSeconds ?? 0),
  );
  return { status: 'pending', reason: `${outcome.reason}; retrying in ${delaySeconds} s`, delaySeconds };
}
