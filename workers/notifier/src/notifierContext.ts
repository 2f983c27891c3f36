import { EmailMessage } from 'cloudflare:email';
import { type EmailTransport, sendEmailTransport } from './channels/email';
import { type NotifierSettings, notifierSettings } from './settings';

/** Everything the notifier works with, gathered once per invocation. */
export interface NotifierContext {
  db: D1Database;
  /** vigil-notify, for delivery jobs. */
  jobs: Queue;
  /** vigil-notify-dlq, for messages that can never be handled. */
  deadLetters: Queue;
  /** Wakes the projector (and the notifier) after outcomes are appended. */
  wake: { NOTIFY: Queue; PROJECT: Queue };
  email: EmailTransport;
  settings: NotifierSettings;
  clock: () => Date;
}

/**
 * The notifier's context from its bindings and [vars]; tests override parts (the clock, a
 * queue that keeps a copy of what it sends, a transport that keeps a copy of each email).
 *
 * @example
 * await consumeNotifyBatch(batch, notifierContext(env));
 */
export function notifierContext(env: Env, overrides: Partial<NotifierContext> = {}): NotifierContext {
  return {
    db: env.DB,
    jobs: env.NOTIFY,
    deadLetters: env.DEAD_LETTERS,
    wake: { NOTIFY: env.NOTIFY, PROJECT: env.PROJECT },
    email: sendEmailTransport(env.EMAIL, EmailMessage),
    settings: notifierSettings(env as unknown as Record<string, unknown>),
    clock: () => new Date(),
    ...overrides,
  };
}
