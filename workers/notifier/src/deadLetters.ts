import type { NotifierContext } from './notifierContext';

/**
 * Records why a message can never be handled and sends it to vigil-notify-dlq, so it is
 * neither retried forever nor silently dropped. Notifier messages carry ids, never secrets.
 *
 * @example
 * await recordDeadLetter(context, 'vigil-notify', message, 'invalid message: …');
 */
export async function recordDeadLetter(
  context: NotifierContext,
  queue: string,
  message: Message,
  reason: string,
): Promise<void> {
  const body = JSON.stringify(message.body ?? null).slice(0, 100_000);
  console.error(`vigil: dead letter from ${queue} (${message.id}): ${reason}`);
  await context.db
    .prepare('INSERT INTO dead_letters (queue, message_id, reason, body, recorded_at) VALUES (?, ?, ?, ?, ?)')
    .bind(queue, message.id, reason, body, context.clock().toISOString())
    .run();
  await context.deadLetters.send(
    { queue, messageId: message.id, reason, body: message.body },
    { contentType: 'json' },
  );
}
