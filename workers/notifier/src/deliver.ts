import type { DeliveryJob } from '@vigil/contracts';
import {
  type Channel,
  Channels,
  Deliveries,
  type Delivery,
  type DeliveryStatus,
  recordDeadLetter,
} from '@vigil/db';
import { sendNotification } from './channels/sendNotification';
import type { SendOutcome } from './channels/sendOutcome';
import { composeNotification } from './composeNotification';
import { supersededOnPagerDuty, waitForEarlier } from './deliveryOrder';
import type { NotifierContext } from './notifierContext';
import { recordOutcome } from './recordOutcome';
import { backoffSeconds, nextStep } from './retryPolicy';
import { MAX_QUEUE_DELAY_SECONDS, QUEUE_MAX_RETRIES } from './settings';

/** What the queue should do with a delivery job's message. */
export type DeliveryVerdict =
  | { kind: 'done' }
  | { kind: 'retry'; delaySeconds: number }
  | { kind: 'dead'; reason: string }
  | { kind: 'unknown' };

const FINAL: ReadonlySet<DeliveryStatus> = new Set(['sent', 'failed', 'dead', 'cancelled', 'folded']);

// How long one attempt may hold a delivery: the call's own limit plus room for D1 around it.
const LEASE_MARGIN_MS = 60_000;

/**
 * Handles one delivery job's message: acked when the delivery is over (sent, failed for good,
 * or already handled by another copy of the message), retried with the queue's delay when a
 * transient failure leaves attempts or it waits its turn, sent to the dead-letter queue after
 * the last attempt. An unexpected error retries the message (the delivery log makes the retry
 * safe); on the message's last delivery the job is given up instead, with the reason.
 *
 * @example
 * await deliver(context, message, { kind: 'delivery', deliveryId });
 */
export async function deliver(context: NotifierContext, message: Message, job: DeliveryJob): Promise<void> {
  let verdict: DeliveryVerdict;
  try {
    verdict = await attemptDelivery(context, job.deliveryId);
  } catch (error) {
    // Counted in the job itself, not by the message's deliveries (waiting one's turn is one too):
    // a job that fails this way NOTIFY_MAX_ATTEMPTS times in a row is given up with its reason.
    const failures = (job.failures ?? 0) + 1;
    const reason = `delivery ${job.deliveryId} failed before its outcome was stored: ${errorText(error)}`;
    if (failures >= context.settings.maxAttempts) return giveUp(context, message, job, reason);
    console.error(`vigil: ${reason}; retrying (${failures} of ${context.settings.maxAttempts})`);
    return resend(context, message, { ...job, failures }, backoffSeconds(failures, context.settings));
  }
  switch (verdict.kind) {
    case 'done':
      message.ack();
      return;
    case 'retry':
      return retryLater(context, message, job, verdict.delaySeconds);
    case 'dead':
      return deadLetter(context, message, verdict.reason);
    case 'unknown':
      return deadLetter(context, message, `unknown delivery ${job.deliveryId}`);
  }
}

/**
 * Retries the job's message after a delay; on the queue's last delivery of the message, where a
 * retry would have the queue dead-letter a job that may only have been waiting its turn (and
 * without a reason recorded), the job goes on in a fresh message instead. The delivery's own
 * attempts, kept in D1, decide when it is given up.
 */
async function retryLater(
  context: NotifierContext,
  message: Message,
  job: DeliveryJob,
  delaySeconds: number,
): Promise<void> {
  const delay = Math.min(MAX_QUEUE_DELAY_SECONDS, delaySeconds);
  if (message.attempts <= QUEUE_MAX_RETRIES) return message.retry({ delaySeconds: delay });
  return resend(context, message, job, delay);
}

/**
 * The job again in a fresh message after `delaySeconds`, this one acked. When the queue refuses
 * the send, this message is retried instead (the queue's own dead-lettering is the backstop, and
 * the delivery, still open in D1, comes back with the sweep).
 */
async function resend(
  context: NotifierContext,
  message: Message,
  job: DeliveryJob,
  delaySeconds: number,
): Promise<void> {
  try {
    await context.jobs.send(job, {
      contentType: 'json',
      delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, delaySeconds),
    });
  } catch (error) {
    console.error(
      `vigil: could not re-enqueue delivery ${job.deliveryId}, retrying its message:`,
      errorText(error),
    );
    message.retry({ delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, delaySeconds) });
    return;
  }
  message.ack();
}

/**
 * Gives up on a job that failed NOTIFY_MAX_ATTEMPTS times in a row before its outcome was stored:
 * the delivery is dead (unless another sender holds it: then that one finishes it), and the
 * message goes to the dead-letter queue with the reason — which says so when the delivery had
 * been sent and only its outcome could not be recorded. When D1 cannot even be read, the message
 * is retried, so the queue dead-letters it by itself; the delivery comes back with the sweep.
 */
async function giveUp(
  context: NotifierContext,
  message: Message,
  job: DeliveryJob,
  reason: string,
): Promise<void> {
  const deliveries = new Deliveries(context.db);
  let why = reason;
  try {
    const now = context.clock();
    if (!(await deliveries.giveUp(job.deliveryId, reason.slice(0, 500), now))) {
      const current = await deliveries.get(job.deliveryId);
      if (current?.status === 'sending' && Date.parse(current.dueAt) > now.getTime()) {
        message.ack();
        return;
      }
      if (current)
        why = `${reason} (the delivery is ${current.status}: its outcome is not in the incident's log)`;
    }
  } catch (error) {
    console.error(`vigil: ${reason}; could not give it up, leaving it to the queue:`, errorText(error));
    message.retry();
    return;
  }
  await deadLetter(context, message, why);
}

async function deadLetter(context: NotifierContext, message: Message, reason: string): Promise<void> {
  try {
    await recordDeadLetter(
      { db: context.db, deadLetters: context.deadLetters, now: context.clock() },
      'vigil-notify',
      message,
      reason,
    );
    message.ack();
  } catch (error) {
    // Not acked without its dead letter: the queue brings it back, or moves it to the DLQ itself.
    console.error(
      `vigil: could not dead-letter ${message.id}, retrying:`,
      error instanceof Error ? error.message : error,
    );
    message.retry({ delaySeconds: backoffSeconds(message.attempts, context.settings) });
  }
}

/**
 * One attempt at a delivery, idempotent per (event, channel): a delivery that is over is never
 * sent again, and only the holder of a claim (a compare-and-set in D1) sends it. A delivery not
 * due yet, or with an earlier one in its way (`waitForEarlier`), waits without an attempt; a
 * PagerDuty action a later one supersedes is cancelled instead of sent. Once claimed, a failure
 * before the receiver is called (composing, reading D1) costs the attempt like a transient
 * failure of the receiver: the claim is released at once, and after the last attempt the
 * delivery is dead, with the reason.
 */
export async function attemptDelivery(context: NotifierContext, id: string): Promise<DeliveryVerdict> {
  const deliveries = new Deliveries(context.db);
  const current = await deliveries.get(id);
  if (!current) return { kind: 'unknown' };
  // A crash may have stored an outcome without appending it to the incident: append it now.
  if (current.status !== 'sending') await recordOutcome(context, current);
  if (FINAL.has(current.status)) return { kind: 'done' };

  const now = context.clock();
  // A digest waits for its window and a retry for its backoff, however many copies of the job come.
  if (current.status === 'pending' && Date.parse(current.dueAt) > now.getTime()) {
    return { kind: 'retry', delaySeconds: secondsUntil(current.dueAt, now) };
  }
  const wait = await waitForEarlier(deliveries, current, now, context.settings);
  if (wait !== undefined) return { kind: 'retry', delaySeconds: wait };
  const claimed = await deliveries.claim(
    id,
    now,
    new Date(now.getTime() + context.settings.timeoutMs + LEASE_MARGIN_MS),
  );
  if (!claimed) {
    const latest = await deliveries.get(id);
    if (!latest || FINAL.has(latest.status)) return { kind: 'done' };
    // Another copy of this job holds it: look again once its claim could have run out.
    return { kind: 'retry', delaySeconds: secondsUntil(latest.dueAt, now) };
  }

  let channel: Channel | undefined;
  let outcome: SendOutcome | undefined;
  try {
    channel = await new Channels(context.db).get(claimed.channelId);
    outcome = await sendClaimed(context, claimed, channel, now);
  } catch (error) {
    outcome = { ok: false, transient: true, reason: `failed before sending: ${errorText(error)}` };
  }
  if (!outcome) return { kind: 'done' };
  const step = nextStep(outcome, claimed.attempts, context.settings);
  const done = context.clock();
  switch (step.status) {
    case 'sent':
      await finish(context, claimed, { status: 'sent', lastError: null, dueAt: done });
      return { kind: 'done' };
    case 'failed':
      await finish(context, claimed, {
        status: 'failed',
        lastError: redact(step.reason, channel),
        dueAt: done,
      });
      return { kind: 'done' };
    case 'dead':
      await finish(context, claimed, {
        status: 'dead',
        lastError: redact(step.reason, channel),
        dueAt: done,
      });
      return { kind: 'dead', reason: `delivery ${id}: ${redact(step.reason, channel)}` };
    case 'pending':
      await finish(context, claimed, {
        status: 'pending',
        lastError: redact(step.reason, channel),
        dueAt: new Date(done.getTime() + step.delaySeconds * 1000),
      });
      return { kind: 'retry', delaySeconds: step.delaySeconds };
  }
}

/**
 * Sends a claimed delivery, or cancels it (undefined) when its channel is gone, nothing is left
 * to tell, or, on PagerDuty, a later event supersedes it.
 */
async function sendClaimed(
  context: NotifierContext,
  claimed: Delivery,
  channel: Channel | undefined,
  now: Date,
): Promise<SendOutcome | undefined> {
  if (!channel?.enabled) {
    await finish(context, claimed, {
      status: 'cancelled',
      lastError: 'channel removed or disabled',
      dueAt: now,
    });
    return undefined;
  }
  const notification = await composeNotification(context.db, claimed, context.settings);
  if (!notification) {
    await finish(context, claimed, { status: 'cancelled', lastError: 'nothing left to deliver', dueAt: now });
    return undefined;
  }
  const superseded =
    channel.type === 'pagerduty'
      ? await supersededOnPagerDuty(new Deliveries(context.db), claimed, notification)
      : undefined;
  if (superseded) {
    await finish(context, claimed, { status: 'cancelled', lastError: superseded, dueAt: now });
    return undefined;
  }
  return sendNotification(channel, notification, {
    db: context.db,
    settings: context.settings,
    email: context.email,
    now,
  });
}

async function finish(
  context: NotifierContext,
  claimed: Delivery,
  outcome: { status: DeliveryStatus; lastError: string | null; dueAt: Date },
): Promise<void> {
  const finished = await new Deliveries(context.db).finish(
    claimed.id,
    claimed.attempts,
    outcome,
    context.clock(),
  );
  // Undefined: our claim ran out and another attempt took over; it records its own outcome.
  if (finished) await recordOutcome(context, finished);
}

// Receivers' answers are kept in reasons; they must never echo a secret or a secret URL back into the log.
function redact(reason: string, channel: Channel | undefined): string {
  let safe = reason;
  for (const secret of [channel?.secret, channel?.target]) {
    if (secret && secret.length >= 6) safe = safe.replaceAll(secret, '…');
  }
  return safe.slice(0, 500);
}

function secondsUntil(at: string, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(at) - now.getTime()) / 1000));
}

// Errors are logged and kept as reasons: their message only, never their stack.
function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
