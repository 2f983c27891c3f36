/**
 * Records why a message can never be handled and sends it to the dead-letter queue,
 * so it is neither retried forever nor silently dropped.
 */
export async function recordDeadLetter(
  env: Env,
  queue: string,
  message: Message,
  reason: string,
): Promise<void> {
  const body = JSON.stringify(message.body ?? null).slice(0, 100_000);
  console.error(`vigil: dead letter from ${queue} (${message.id}): ${reason}`);
  await env.DB.prepare(
    'INSERT INTO dead_letters (queue, message_id, reason, body, recorded_at) VALUES (?, ?, ?, ?, ?)',
  )
    .bind(queue, message.id, reason, body, new Date().toISOString())
    .run();
  await env.DEAD_LETTERS.send(
    { queue, messageId: message.id, reason, body: message.body },
    { contentType: 'json' },
  );
}
