// Its own file: the log here holds an event this notifier does not know, which would stop
// every later test's notifier from following the log.
import { env } from 'cloudflare:test';
import { EventStore } from '@vigil/db';
import { describe, expect, it, vi } from 'vitest';
import { notifierHarness, receiverBox } from '../test/harness';
import { detect, newIncidentId } from '../test/incidents';
import { deliver } from './deliver';
import { QUEUE_MAX_RETRIES } from './settings';

const SECRET = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==';

describe('a job that fails every time before its outcome is stored', () => {
  it('is given up on its message’s last delivery, dead with the reason, not re-sent in a fresh message forever', async () => {
    const h = notifierHarness();
    const hook = receiverBox('poison');
    await hook.script([], { status: 204 });
    const service = `poison-${crypto.randomUUID().slice(0, 6)}`;
    await h.channel({ type: 'webhook', target: hook.url, secret: SECRET, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.wake();
    const [job] = h.takeJobs();
    // A newer producer appends, with the detection, an event this notifier does not know yet:
    // composing the notification and recording its outcome both throw, on every copy.
    await new EventStore(env.DB, () => h.clock.now).appendToStream(id, [
      {
        type: 'IncidentTeleported',
        data: { incidentId: id },
        metadata: { actor: { kind: 'system', id: 'future' } },
      },
    ]);

    const first = await h.run([job!.body]);
    expect(first.retryMessages).toEqual([{ msgId: first.ids[0], delaySeconds: 2 }]);
    h.advance(2000);
    const last = await h.run([job!.body], QUEUE_MAX_RETRIES + 1);

    expect(last.explicitAcks).toEqual(last.ids);
    expect(last.retryMessages).toEqual([]);
    expect(h.takeJobs()).toEqual([]);
    expect(h.deadLetters).toEqual([
      {
        body: {
          queue: 'vigil-notify',
          messageId: last.ids[0],
          reason: expect.stringMatching(/failed before its outcome was stored: .*IncidentTeleported/),
          body: job!.body,
        },
        delaySeconds: 0,
      },
    ]);
    const [delivery] = await h.deliveries(id);
    expect(delivery).toMatchObject({ status: 'dead', attempts: 1 });
    expect(delivery?.lastError).toContain('IncidentTeleported');
    expect(await hook.requests()).toEqual([]);
  });

  it('is left to the queue’s dead-letter backstop on its last delivery when even D1 fails', async () => {
    const h = notifierHarness();
    const broken = {
      prepare: () => {
        throw new Error('D1_ERROR: broken');
      },
    } as unknown as D1Database;
    const resent: unknown[] = [];
    const context = {
      ...h.context,
      db: broken,
      jobs: { send: async (body: unknown) => void resent.push(body) } as unknown as Queue,
    };
    const job = { kind: 'delivery', deliveryId: 'd-poison' } as const;
    const message = {
      id: 'msg-last',
      attempts: QUEUE_MAX_RETRIES + 1,
      timestamp: h.clock.now,
      body: job,
      retry: vi.fn(),
      ack: vi.fn(),
    };
    await deliver(context, message as unknown as Message, job);

    expect(resent).toEqual([]);
    // Not acked: the queue moves it to vigil-notify-dlq itself.
    expect(message.ack).not.toHaveBeenCalled();
    expect(message.retry).toHaveBeenCalledOnce();
  });
});
