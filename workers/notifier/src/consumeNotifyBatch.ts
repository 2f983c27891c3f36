import { type DeliveryJob, NotifyMessage, type WakeUp } from '@vigil/contracts';
import { carriedBy, recordDeadLetter } from '@vigil/db';
import { deliver } from './deliver';
import { enqueueDue } from './enqueueDue';
import { followLog } from './followLog';
import type { NotifierContext } from './notifierContext';
import { backoffSeconds } from './retryPolicy';
import { MAX_CONCURRENT_SENDS, runConcurrently } from './runConcurrently';

/**
 * Handles one batch from vigil-notify. Wake-ups make the notifier follow the log and enqueue
 * the deliveries it calls for, then are acked together (or retried together if D1 failed).
 * Each delivery job is its own message with its own retries, run concurrently with the others
 * under a time limit per call, so one slow or failing channel never holds back another.
 * A message that is neither goes to the dead-letter queue with its reason.
 *
 * @example
 * export default { queue: (batch, env) => consumeNotifyBatch(batch, notifierContext(env)) };
 */
export async function consumeNotifyBatch(batch: MessageBatch, context: NotifierContext): Promise<void> {
  const wakeUps: { message: Message; wakeUp: WakeUp }[] = [];
  const jobs: { message: Message; job: DeliveryJob }[] = [];
  for (const message of batch.messages) {
    const parsed = NotifyMessage.safeParse(message.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      await recordDeadLetter(
        { db: context.db, deadLetters: context.deadLetters, now: context.clock() },
        batch.queue,
        message,
        `invalid notify message: ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
      );
      message.ack();
    } else if (parsed.data.kind === 'wake-up') {
      wakeUps.push({ message, wakeUp: parsed.data });
    } else {
      jobs.push({ message, job: parsed.data });
    }
  }
  await Promise.all([
    wakeUps.length > 0 ? catchUp(context, wakeUps) : undefined,
    runConcurrently(jobs, MAX_CONCURRENT_SENDS, ({ message, job }) => deliver(context, message, job)),
  ]);
}

async function catchUp(
  context: NotifierContext,
  wakeUps: { message: Message; wakeUp: WakeUp }[],
): Promise<void> {
  try {
    await followLog(context, { carried: carriedBy(wakeUps.map(({ wakeUp }) => wakeUp)) });
    await enqueueDue(context);
    for (const { message } of wakeUps) message.ack();
  } catch (error) {
    console.error('vigil: notifier could not follow the log, retrying the wake-ups:', error);
    for (const { message } of wakeUps) {
      message.retry({ delaySeconds: backoffSeconds(message.attempts, context.settings) });
    }
  }
}

/**
 * The cron's work: follow the log and re-enqueue lost jobs, even when no wake-up came.
 *
 * @example
 * scheduled: (_controller, env) => sweep(notifierContext(env)),
 */
export async function sweep(context: NotifierContext): Promise<void> {
  await followLog(context);
  await enqueueDue(context);
}
