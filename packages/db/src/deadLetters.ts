/**
 * Records why a queue message can never be handled, in D1 and on the consumer's dead-letter
 * queue, so it is neither retried forever nor silently dropped. Messages carry ids and
 * signals, never secrets.
 *
 * @example
 * await recordDeadLetter({ db: env.DB, deadLetters: env.DEAD_LETTERS, now: new Date() }, 'vigil-signals', message, 'invalid');
 */
export async function recordDeadLetter(
  { db, deadLetters, now }: { db: D1Database; deadLetters: Queue; now: Date },
  queue: string,
  message: Message,
  reason: string,
): Promise<void> {
  const body = JSON.stringify(message.body ?? null).slice(0, 100_000);
  console.error(`vigil: dead letter from ${queue} (${message.id}): ${reason}`);
  await db
    .prepare('INSERT INTO dead_letters (queue, message_id, reason, body, recorded_at) VALUES (?, ?, ?, ?, ?)')
    .bind(queue, message.id, reason, body, now.toISOString())
    .run();
  await deadLetters.send(
    { queue, messageId: message.id, reason, body: message.body },
    { contentType: 'json' },
  );
}
