// Its own file: the log here holds an event this notifier does not know, and no outcome can be
// recorded on that incident's stream.
import { env } from 'cloudflare:test';
import { EventStore } from '@vigil/db';
import { describe, expect, it, vi } from 'vitest';
import { notifierHarness, receiverBox } from '../test/harness';
import { detect, newIncidentId } from '../test/incidents';
import { deliver } from './deliver';
import { QUEUE_MAX_RETRIES } from './settings';

const SECRET = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==';

describe('a job that fails every time before its outcome is stored', () => {
  it('is given up after NOTIFY_MAX_ATTEMPTS failures in a row, dead with the reason, not re-sent forever', async () => {
    const h = notifierHarness();
    const hook = receiverBox('poison');
    await hook.script([], { status: 204 });
    const service = `poison-${crypto.randomUUID().slice(0, 6)}`;
    await h.channel({ type: 'webhook', target: hook.url, secret: SECRET, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.wake();
    const [job] = h.takeJobs();
    // A newer producer appends, with the detection, an event this notifier does not know yet: the
    // page is composed without it and goes out once, but recording its outcome (a decision on a
    // stream it cannot read whole) throws on every copy.
    await new EventStore(env.DB, () => h.clock.now).appendToStream(id, [
      {
        type: 'IncidentTeleported',
        data: { incidentId: id },
        metadata: { actor: { kind: 'system', id: 'future' } },
      },
    ]);

    // Each failure re-sends the job, counted in it, with the backoff; the count, not the
    // message's deliveries (waiting one's turn is one too), decides when it is given up.
    let body = job!.body as { failures?: number };
    let last = await h.run([body]);
    for (let failures = 1; failures < h.context.settings.maxAttempts; failures++) {
      expect(last.explicitAcks).toEqual(last.ids);
      expect(last.retryMessages).toEqual([]);
      const [again] = h.takeJobs();
      expect(again?.body).toEqual({ ...(job!.body as object), failures });
      expect(again?.delaySeconds).toBeGreaterThan(0);
      h.advance((again?.delaySeconds ?? 0) * 1000);
      body = again!.body as { failures?: number };
      // Even on its message's last delivery a job below the count is re-sent, not given up.
      last = await h.run([body], failures === 1 ? QUEUE_MAX_RETRIES + 1 : 1);
    }

    expect(last.explicitAcks).toEqual(last.ids);
    expect(h.takeJobs()).toEqual([]);
    expect(h.deadLetters).toEqual([
      {
        body: {
          queue: 'vigil-notify',
          messageId: last.ids[0],
          reason: expect.stringMatching(/failed before its outcome was stored: .*IncidentTeleported/),
          body,
        },
        delaySeconds: 0,
      },
    ]);
    expect(h.deadLetters[0]?.body).toMatchObject({
      reason: expect.stringContaining("the delivery is sent: its outcome is not in the incident's log"),
    });
    const [delivery] = await h.deliveries(id);
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await hook.requests()).toHaveLength(1);
  });

  it('is left to the queue’s dead-letter backstop when it must be given up and even D1 fails', async () => {
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
    const message = (body: object) => ({
      id: 'msg-last',
      attempts: QUEUE_MAX_RETRIES + 1,
      timestamp: h.clock.now,
      body,
      retry: vi.fn(),
      ack: vi.fn(),
    });
    // One failure, even on the message's last delivery: re-sent, counted.
    const job = { kind: 'delivery', deliveryId: 'msg_00000000000000000000000000000001' } as const;
    const once = message(job);
    await deliver(context, once as unknown as Message, job);
    expect(resent).toEqual([{ ...job, failures: 1 }]);
    expect(once.ack).toHaveBeenCalledOnce();
    // The last failure allowed: it cannot even be given up, so the queue dead-letters it itself.
    const worn = { ...job, failures: h.context.settings.maxAttempts - 1 };
    const last = message(worn);
    await deliver(context, last as unknown as Message, worn);
    expect(resent).toHaveLength(1);
    expect(last.ack).not.toHaveBeenCalled();
    expect(last.retry).toHaveBeenCalledOnce();
  });
});
