import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { Checkpoints, EventStore } from '@vigil/db';
import { describe, expect, it } from 'vitest';
import worker from './index';

const actor = { kind: 'system', id: 'test' } as const;

describe('notifier follows the log', () => {
  it('moves its checkpoint to the head of the log on any wake-up, even a stale one', async () => {
    const store = new EventStore(env.DB);
    await store.appendToStream('INC-N1', [{ type: 'NoteAdded', data: { text: 'x' }, metadata: { actor } }]);
    const head = await store.headPosition();
    const batch = createMessageBatch('vigil-notify', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { kind: 'wake-up', upTo: 0, reason: 'stale' } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.ackAll).toBe(true);
    expect(await new Checkpoints(env.DB).position('notifier')).toBe(head);
  });
});
