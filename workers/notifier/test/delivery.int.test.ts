import { env } from 'cloudflare:test';
import { Checkpoints, EventStore } from '@vigil/db';
import { describe, expect, inject, it, vi } from 'vitest';
import { NOTIFIER } from '../src/followLog';
import { type NotifierHarness, notifierHarness, receiverBox } from './harness';
import {
  acknowledge,
  addNote,
  changeSeverity,
  detect,
  escalate,
  newIncidentId,
  postUpdate,
} from './incidents';
import { verifyStandardWebhook } from './signature';

const uniqueService = (label: string) => `${label}-${crypto.randomUUID().slice(0, 6)}`;
const SECRET = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==';

async function webhookIncident(h: NotifierHarness, target: string, label = 'hook') {
  const service = uniqueService(label);
  const channel = await h.channel({ type: 'webhook', target, secret: SECRET, services: [service] });
  const id = newIncidentId();
  await h.execute(id, detect(id, service, 'P1', h.clock.now));
  await h.wake();
  const jobs = h.takeJobs();
  expect(jobs).toHaveLength(1);
  return { channel, id, job: jobs[0]!.body, service };
}

/** Runs jobs whose receiver outlasts a 300 ms limit: given up in time, failed and retried in 2 s. */
async function expectTimedOutAndRetried(h: NotifierHarness, id: string, jobs: unknown[]) {
  const started = Date.now();
  const result = await h.run(jobs);
  expect(Date.now() - started).toBeLessThan(2000);
  expect(result.retryMessages).toEqual([{ msgId: result.ids[0], delaySeconds: 2 }]);
  expect(await h.outcomes(id)).toEqual([
    expect.objectContaining({
      type: 'NotificationFailed',
      attempt: 1,
      reason: 'timed out after 300 ms; retrying in 2 s',
    }),
  ]);
}

describe('retries', () => {
  it('retries 500s with exponential backoff, the same webhook-id each time, and records every attempt', async () => {
    const h = notifierHarness();
    const hook = receiverBox('retry-500');
    await hook.script([{ status: 500, body: 'boom' }, { status: 502 }], { status: 204 });
    const { id, job, channel } = await webhookIncident(h, hook.url);

    const first = await h.run([job], 1);
    expect(first.retryMessages).toEqual([{ msgId: first.ids[0], delaySeconds: 2 }]);
    h.advance(2000);
    const second = await h.run([job], 2);
    expect(second.retryMessages).toEqual([{ msgId: second.ids[0], delaySeconds: 4 }]);
    h.advance(4000);
    const third = await h.run([job], 3);
    expect(third.explicitAcks).toEqual(third.ids);

    const requests = await hook.requests();
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.headers['webhook-id'])).size).toBe(1);
    expect(requests[0]!.headers['webhook-id']).toBe((job as { deliveryId: string }).deliveryId);
    expect(new Set(requests.map((request) => request.headers['webhook-timestamp'])).size).toBe(3);
    for (const request of requests)
      expect(await verifyStandardWebhook(SECRET, request.headers, request.body)).toBe(true);

    expect(await h.outcomes(id)).toEqual([
      expect.objectContaining({
        type: 'NotificationFailed',
        channelId: channel.id,
        attempt: 1,
        reason: 'HTTP 500: boom; retrying in 2 s',
      }),
      expect.objectContaining({
        type: 'NotificationFailed',
        attempt: 2,
        reason: 'HTTP 502; retrying in 4 s',
      }),
      expect.objectContaining({ type: 'NotificationSent', attempt: 3, channelType: 'webhook' }),
    ]);
    // Every outcome woke the projector.
    expect(h.projectorWakeUps).toHaveLength(3);
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    const h = notifierHarness();
    const hook = receiverBox('retry-429');
    await hook.script([{ status: 429, headers: { 'retry-after': '30' }, body: 'slow down' }]);
    const { id, job } = await webhookIncident(h, hook.url);
    const result = await h.run([job]);
    expect(result.retryMessages).toEqual([{ msgId: result.ids[0], delaySeconds: 30 }]);
    expect(await h.outcomes(id)).toEqual([
      expect.objectContaining({
        type: 'NotificationFailed',
        reason: 'HTTP 429: slow down; retrying in 30 s',
      }),
    ]);
  });

  it('holds every copy of a job to the Retry-After the receiver asked for', async () => {
    const h = notifierHarness();
    const hook = receiverBox('retry-after-copies');
    await hook.script([{ status: 429, headers: { 'retry-after': '300' }, body: 'slow down' }], {
      status: 204,
    });
    const { job } = await webhookIncident(h, hook.url);
    expect((await h.run([job])).retryMessages[0]?.delaySeconds).toBe(300);
    // A second copy of the message, 5 s later, waits out the rest.
    h.advance(5000);
    const early = await h.run([job]);
    expect(early.retryMessages).toEqual([{ msgId: early.ids[0], delaySeconds: 295 }]);
    expect(await hook.requests()).toHaveLength(1);
    h.advance(295_000);
    expect((await h.run([job], 2)).explicitAcks).toHaveLength(1);
    expect(await hook.requests()).toHaveLength(2);
  });

  it('gives up on a receiver that does not answer in time, and retries', async () => {
    const h = notifierHarness({ timeoutMs: 300 });
    const hook = receiverBox('timeout');
    await hook.script([{ status: 200, delayMs: 3000 }]);
    const { id, job } = await webhookIncident(h, hook.url);
    await expectTimedOutAndRetried(h, id, [job]);
  });

  it('gives up on an email the send_email binding does not take in time, and retries', async () => {
    const h = notifierHarness({ timeoutMs: 300 });
    h.context.email = { send: () => new Promise((settle) => setTimeout(settle, 3000)) };
    const service = uniqueService('mail-timeout');
    await h.channel({ type: 'email', target: 'oncall@example.com', services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.wake();
    await expectTimedOutAndRetried(
      h,
      id,
      h.takeJobs().map((job) => job.body),
    );
  });

  it('stops at once on a 400 and never sends that delivery again', async () => {
    const h = notifierHarness();
    const hook = receiverBox('stop-400');
    await hook.script([{ status: 400, body: 'invalid_payload' }]);
    const { id, job } = await webhookIncident(h, hook.url);
    const result = await h.run([job]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toEqual(result.ids);
    // The same job delivered again by the queue changes nothing.
    await h.run([job], 2);
    expect(await hook.requests()).toHaveLength(1);
    expect(await h.outcomes(id)).toEqual([
      expect.objectContaining({
        type: 'NotificationFailed',
        attempt: 1,
        reason: 'HTTP 400: invalid_payload; not retried',
      }),
    ]);
    expect((await h.deliveries(id))[0]?.status).toBe('failed');
  });

  it('sends the job to the dead-letter queue after the last attempt, with the reason', async () => {
    const h = notifierHarness({ maxAttempts: 3 });
    const hook = receiverBox('dlq');
    await hook.script([], { status: 503, body: 'down for maintenance' });
    const { id, job } = await webhookIncident(h, hook.url);
    // Each retry comes when its backoff has passed: an earlier copy would not be sent.
    for (const attempt of [1, 2]) {
      const retried = await h.run([job], attempt);
      expect(retried.retryMessages).toHaveLength(1);
      h.advance(retried.retryMessages[0]!.delaySeconds * 1000);
    }
    const last = await h.run([job], 3);
    expect(last.retryMessages).toEqual([]);
    expect(last.explicitAcks).toEqual(last.ids);

    expect(h.deadLetters).toEqual([
      {
        body: {
          queue: 'vigil-notify',
          messageId: last.ids[0],
          reason: expect.stringContaining('HTTP 503: down for maintenance; gave up after 3 attempts'),
          body: job,
        },
        delaySeconds: 0,
      },
    ]);
    const row = await env.DB.prepare('SELECT reason FROM dead_letters WHERE message_id = ?')
      .bind(last.ids[0])
      .first();
    expect(row?.reason).toContain('gave up after 3 attempts');
    expect((await h.deliveries(id))[0]?.status).toBe('dead');
    expect((await h.outcomes(id)).map((outcome) => outcome.attempt)).toEqual([1, 2, 3]);
    expect(await hook.requests()).toHaveLength(3);
  });
});

describe('waiting for an earlier delivery', () => {
  it('holds a status page update until the earlier one’s retry, and never lets the queue dead-letter it', async () => {
    const h = notifierHarness();
    const page = receiverBox('sp-order');
    await page.script([{ status: 503, headers: { 'retry-after': '120' } }], {
      status: 201,
      body: '{"id":"sp_o"}',
    });
    const service = uniqueService('sporder');
    await h.channel({ type: 'statuspage', target: page.url, secret: 'sp-token-o', services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.execute(id, [postUpdate(id, h.clock.now, 'investigating', 'Looking into it.', 'public')]);
    await h.wake();
    const [firstJob] = h.takeJobs();
    expect((await h.run([firstJob!.body])).retryMessages[0]?.delaySeconds).toBe(120);
    h.advance(1000);
    await h.execute(id, [postUpdate(id, h.clock.now, 'identified', 'Found it.', 'public')]);
    await h.wake();
    const [secondJob] = h.takeJobs();

    // The second update waits as long as the first one does, not the backoff base.
    const held = await h.run([secondJob!.body]);
    expect(held.retryMessages).toEqual([{ msgId: held.ids[0], delaySeconds: 119 }]);
    // The first one's message is late: on the queue's last delivery (max_retries 8), the held
    // update goes on in a fresh message instead of being dead-lettered unattempted.
    h.advance(119_000);
    const last = await h.run([secondJob!.body], 9);
    expect(last.explicitAcks).toEqual(last.ids);
    expect(h.takeJobs().map((job) => job.body)).toEqual([secondJob!.body]);
    expect(h.deadLetters).toEqual([]);
    // Still late half a minute on: looked at again as long after, not every second.
    h.advance(30_000);
    const late = await h.run([secondJob!.body]);
    expect(late.retryMessages).toEqual([{ msgId: late.ids[0], delaySeconds: 30 }]);

    await h.run([firstJob!.body], 2);
    h.advance(1000);
    await h.run([secondJob!.body]);
    const requests = (await page.requests()).map(
      (request) => `${request.method} ${JSON.parse(request.body).incident.status}`,
    );
    expect(requests).toEqual(['POST investigating', 'POST investigating', 'PATCH identified']);
  });
});

describe('isolation', () => {
  it('delivers to healthy channels while one receiver is down and another hangs', async () => {
    const h = notifierHarness({ timeoutMs: 400 });
    const healthy = receiverBox('healthy');
    const hanging = receiverBox('hanging');
    await hanging.script([], { status: 200, delayMs: 5000 });
    const service = uniqueService('isolated');
    const up = await h.channel({ type: 'slack', target: healthy.url, services: [service] });
    const down = await h.channel({
      type: 'webhook',
      target: inject('deadUrl'),
      secret: SECRET,
      services: [service],
    });
    const slow = await h.channel({
      type: 'pagerduty',
      target: hanging.url,
      secret: 'pd-key',
      services: [service],
    });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.wake();
    const jobs = h.takeJobs();
    expect(jobs).toHaveLength(3);

    const started = Date.now();
    const result = await h.run(jobs.map((job) => job.body));
    expect(Date.now() - started).toBeLessThan(3000);

    expect(await healthy.requests()).toHaveLength(1);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(2);
    expect([...result.explicitAcks, ...result.retryMessages.map((retry) => retry.msgId)].sort()).toEqual(
      [...result.ids].sort(),
    );
    const outcomes = await h.outcomes(id);
    const byChannel = Object.fromEntries(outcomes.map((outcome) => [outcome.channelId, outcome]));
    expect(byChannel[up.id]).toMatchObject({ type: 'NotificationSent' });
    expect(byChannel[down.id]).toMatchObject({
      type: 'NotificationFailed',
      reason: expect.stringContaining('connection failed'),
    });
    expect(byChannel[slow.id]).toMatchObject({
      type: 'NotificationFailed',
      reason: expect.stringContaining('timed out after 400 ms'),
    });
  });
});

describe('at least once, never twice', () => {
  it('delivers each (event, channel) once under redelivered, reordered and concurrent wake-ups and jobs', async () => {
    const h = notifierHarness({ repageWindowMs: 0 });
    const slack = receiverBox('dedupe-slack');
    const hook = receiverBox('dedupe-hook');
    const service = uniqueService('dedupe');
    await h.channel({ type: 'slack', target: slack.url, services: [service] });
    await h.channel({ type: 'webhook', target: hook.url, secret: SECRET, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    const head = await new EventStore(env.DB).headPosition();
    await h.execute(id, [acknowledge(id, h.clock.now), escalate(id, h.clock.now)]);

    // A newer wake-up first, then the older one, then two at once, then one redelivered.
    await h.wake(head + 2);
    await h.wake(head);
    await Promise.all([h.wake(head + 2), h.wake(head + 2)]);
    await h.run([{ kind: 'wake-up', upTo: head, reason: 'test' }], 3);
    const jobs = h.takeJobs();
    expect(jobs).toHaveLength(6);

    // Every job arrives twice, in reverse order, partly at the same time.
    const bodies = jobs.map((job) => job.body);
    await Promise.all([h.run([...bodies].reverse()), h.run(bodies)]);
    await h.run(bodies, 2);

    const slackEvents = (await slack.requests()).map((request) => JSON.parse(request.body).text);
    expect(slackEvents).toHaveLength(3);
    expect(new Set(slackEvents).size).toBe(3);
    const hookIds = (await hook.requests()).map((request) => request.headers['webhook-id']);
    expect(hookIds).toHaveLength(3);
    expect(new Set(hookIds).size).toBe(3);
    expect((await h.outcomes(id)).filter((outcome) => outcome.type === 'NotificationSent')).toHaveLength(6);
    // The outcomes woke the notifier too: it reads them, moves on and sends nothing.
    await h.wake();
    expect(h.takeJobs()).toEqual([]);
    expect(await new Checkpoints(env.DB).position(NOTIFIER)).toBe(
      await new EventStore(env.DB).headPosition(),
    );
  });

  it('moves its checkpoint to the head of the log on any wake-up, and never reacts to its own outcomes', async () => {
    const h = notifierHarness();
    const slack = receiverBox('own-outcomes');
    const service = uniqueService('own');
    await h.channel({
      type: 'slack',
      target: slack.url,
      services: [service],
      eventTypes: ['NotificationSent', 'IncidentDetected'],
    });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.wake(0);
    await h.run(h.takeJobs().map((job) => job.body));
    await h.wake(0);
    expect(h.takeJobs()).toEqual([]);
    expect(await slack.requests()).toHaveLength(1);
    expect(await new Checkpoints(env.DB).position(NOTIFIER)).toBe(
      await new EventStore(env.DB).headPosition(),
    );
  });

  it('follows a wake-up that carries the new events as it follows the log, and carries its own outcomes on', async () => {
    const h = notifierHarness({ repageWindowMs: 0 });
    const slack = receiverBox('carried');
    const service = uniqueService('carried');
    await h.channel({ type: 'slack', target: slack.url, services: [service] });
    await h.wake();
    h.takeJobs();
    const id = newIncidentId();
    const { events } = await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.run([{ kind: 'wake-up', upTo: events.at(-1)!.seq, reason: 'test', events }]);
    const jobs = h.takeJobs();
    expect(jobs).toHaveLength(1);
    await h.run(jobs.map((job) => job.body));
    expect(await slack.requests()).toHaveLength(1);
    // The outcome it appended travels with the wake-up it sends the projector.
    const outcomes = h.projectorWakeUps.flatMap(
      ({ body }) => (body as { events?: { type: string; streamId: string }[] }).events ?? [],
    );
    expect(outcomes.filter((event) => event.streamId === id).map((event) => event.type)).toEqual([
      'NotificationSent',
    ]);
    await h.wake();
    expect(h.takeJobs()).toEqual([]);
    expect(await new Checkpoints(env.DB).position(NOTIFIER)).toBe(
      await new EventStore(env.DB).headPosition(),
    );
  });

  it('puts a job whose message was lost back on the queue', async () => {
    const h = notifierHarness();
    const hook = receiverBox('lost');
    const { job } = await webhookIncident(h, hook.url);
    // The message never arrives. Eleven minutes later the sweep finds the job still open.
    h.advance(11 * 60_000);
    await h.wake();
    expect(h.takeJobs().map((queued) => queued.body)).toContainEqual(job);
    expect((await h.run([job])).explicitAcks).toHaveLength(1);
    expect(await hook.requests()).toHaveLength(1);
  });
});

describe('no repeat paging', () => {
  it('folds updates inside the repage window into one digest sent when the window ends', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000 });
    const slack = receiverBox('digest');
    const service = uniqueService('digest');
    await h.channel({ type: 'slack', target: slack.url, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.wake();
    await h.run(h.takeJobs().map((job) => job.body));

    h.advance(2 * 60_000);
    await h.execute(id, [acknowledge(id, h.clock.now)]);
    h.advance(3 * 60_000);
    await h.execute(id, [postUpdate(id, h.clock.now, 'identified', 'Bad deploy v42', 'internal')]);
    await h.wake();
    const [digest, ...more] = h.takeJobs();
    expect(more).toEqual([]);
    // Due when the window that opened at detection ends: 10 minutes from now.
    expect(digest?.delaySeconds).toBe(600);
    expect(await slack.requests()).toHaveLength(1);

    // Redelivered early, the digest waits.
    const early = await h.run([digest!.body]);
    expect(early.retryMessages).toEqual([{ msgId: early.ids[0], delaySeconds: 600 }]);
    expect(await slack.requests()).toHaveLength(1);

    h.advance(10 * 60_000);
    const onTime = await h.run([digest!.body]);
    expect(onTime.explicitAcks).toHaveLength(1);
    const requests = await slack.requests();
    expect(requests).toHaveLength(2);
    const message = JSON.parse(requests[1]!.body);
    expect(message.text).toBe(`[P1] ${id} ${service}: 2 updates`);
    const happenings = message.attachments[0].blocks[3].text.text;
    expect(happenings).toContain('Acknowledged by Alice');
    expect(happenings).toContain('Bad deploy v42');
    const deliveries = await h.deliveries(id);
    expect(deliveries.map((delivery) => delivery.status).sort()).toEqual([
      'folded',
      'folded',
      'sent',
      'sent',
    ]);
  });

  it('pages again at once when the severity rises inside the window', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000 });
    const slack = receiverBox('rise');
    const service = uniqueService('rise');
    await h.channel({ type: 'slack', target: slack.url, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P2', h.clock.now));
    await h.wake();
    await h.run(h.takeJobs().map((job) => job.body));
    h.advance(60_000);
    await h.execute(id, [escalate(id, h.clock.now)]);
    h.advance(60_000);
    await h.execute(id, [changeSeverity(id, h.clock.now, 'P1')]);
    await h.wake();
    const jobs = h.takeJobs();
    // The escalation waits in a digest; the rise goes now.
    expect(jobs.map((job) => job.delaySeconds).sort((a, b) => a - b)).toEqual([0, 780]);
    await h.run(jobs.filter((job) => job.delaySeconds === 0).map((job) => job.body));
    const texts = (await slack.requests()).map((request) => JSON.parse(request.body).text);
    expect(texts).toEqual([
      `[P2] ${id} ${service}: Incident detected`,
      `[P1] ${id} ${service}: Severity P2 → P1`,
    ]);
  });

  it('does not notify notes by default', async () => {
    const h = notifierHarness({ repageWindowMs: 0 });
    const slack = receiverBox('notes');
    const service = uniqueService('notes');
    await h.channel({ type: 'slack', target: slack.url, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.execute(id, [addNote(id, h.clock.now, 'looking at dashboards')]);
    await h.wake();
    expect(h.takeJobs()).toHaveLength(1);
  });
});

describe('poison and secrets', () => {
  it('dead-letters a message that is neither a wake-up nor a delivery job, with the reason', async () => {
    const h = notifierHarness();
    const result = await h.run([{ kind: 'delivery', deliveryId: 'not-an-id' }, { hello: 'world' }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(h.deadLetters.map((letter) => (letter.body as { reason: string }).reason)).toEqual([
      expect.stringContaining('invalid notify message: deliveryId'),
      expect.stringContaining('invalid notify message: kind'),
    ]);
  });

  it('dead-letters a job for a delivery that does not exist', async () => {
    const h = notifierHarness();
    const result = await h.run([{ kind: 'delivery', deliveryId: `msg_${'0'.repeat(32)}` }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect((h.deadLetters[0]!.body as { reason: string }).reason).toContain('unknown delivery');
  });

  it('pages for an incident whose stream holds an event type it does not know yet (a newer detector)', async () => {
    const h = notifierHarness();
    const hook = receiverBox('future-event');
    const service = uniqueService('future');
    await h.channel({ type: 'webhook', target: hook.url, secret: SECRET, services: [service] });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    // A newer detector's event, then one this notifier knows, all in one page of the log.
    const detector = { kind: 'system', id: 'detector' } as const;
    const at = h.clock.now.toISOString();
    await new EventStore(env.DB).appendToStream(id, [
      {
        type: 'IncidentForecasted',
        data: { incidentId: id, at, by: detector },
        metadata: { actor: detector },
      },
      {
        type: 'IncidentResolved',
        data: { incidentId: id, at, by: detector, resolution: 'recovered' },
        metadata: { actor: detector },
      },
    ]);
    await h.wake();
    await h.run(h.takeJobs().map((job) => job.body));
    const types = (await hook.requests()).map((request) => JSON.parse(request.body).type);
    expect(types.sort()).toEqual(['incident.detected', 'incident.resolved']);
  });

  it('cancels a delivery whose channel was disabled before it went out', async () => {
    const h = notifierHarness();
    const hook = receiverBox('disabled');
    const { id, job, channel } = await webhookIncident(h, hook.url);
    await env.DB.prepare('UPDATE notification_channels SET enabled = 0 WHERE id = ?').bind(channel.id).run();
    expect((await h.run([job])).explicitAcks).toHaveLength(1);
    expect(await hook.requests()).toEqual([]);
    expect(await h.outcomes(id)).toEqual([
      expect.objectContaining({ type: 'NotificationFailed', reason: 'channel removed or disabled' }),
    ]);
  });

  it('never logs a secret, a Slack URL or a routing key, even when deliveries fail', async () => {
    const h = notifierHarness({ timeoutMs: 300, maxAttempts: 1 });
    const lines: string[] = [];
    const capture = (...args: unknown[]) => lines.push(args.map(String).join(' '));
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(capture),
    );
    try {
      const slack = receiverBox('secret-slack');
      await slack.script([], { status: 500, body: 'no' });
      const slackUrl = `${slack.url}/services/T000/B000/XXXXSECRETXXXX`;
      const service = uniqueService('secrets');
      await h.channel({ type: 'slack', target: slackUrl, services: [service] });
      await h.channel({
        type: 'pagerduty',
        target: inject('deadUrl'),
        secret: 'ROUTING-KEY-SECRET',
        services: [service],
      });
      await h.channel({ type: 'webhook', target: inject('deadUrl'), secret: SECRET, services: [service] });
      const id = newIncidentId();
      await h.execute(id, detect(id, service, 'P1', h.clock.now));
      await h.wake();
      await h.run(h.takeJobs().map((job) => job.body));
      const stored = JSON.stringify([await h.outcomes(id), await h.deliveries(id), h.deadLetters]);
      for (const secret of ['XXXXSECRETXXXX', 'ROUTING-KEY-SECRET', SECRET, SECRET.slice(6)]) {
        expect(lines.join('\n')).not.toContain(secret);
        expect(stored).not.toContain(secret);
      }
      expect(lines.some((line) => line.includes('dead letter'))).toBe(true);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
