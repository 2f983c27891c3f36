// A page follows its incident to the end: PagerDuty's alert and the external status page end
// up where the incident is, whatever the retries, the digests and the severity changes did.
import { env } from 'cloudflare:test';
import type { IncidentCommand, Severity } from '@vigil/core';
import { Deliveries } from '@vigil/db';
import { describe, expect, it } from 'vitest';
import { type NotifierHarness, notifierHarness, receiverBox } from './harness';
import {
  acknowledge,
  alice,
  changeSeverity,
  detect,
  escalate,
  newIncidentId,
  postUpdate,
  resolve,
} from './incidents';

const uniqueService = (label: string) => `${label}-${crypto.randomUUID().slice(0, 6)}`;
const ACCEPTED = { status: 202, body: '{"status":"success"}' };

/** Wakes the notifier and delivers every job it enqueues, as the queue would. */
async function wakeAndDeliver(h: NotifierHarness) {
  await h.wake();
  const jobs = h.takeJobs();
  return jobs.length > 0 ? h.run(jobs.map((job) => job.body)) : undefined;
}

const reopen = (incidentId: string, at: Date): IncidentCommand => ({
  type: 'ReopenIncident',
  data: { incidentId, at: at.toISOString(), by: alice, reason: 'errors are back' },
});

async function pagerDutyIncident(
  h: NotifierHarness,
  label: string,
  options: { minSeverity?: Severity; severity?: Severity } = {},
) {
  const pagerDuty = receiverBox(label);
  const service = uniqueService(label);
  await h.channel({
    type: 'pagerduty',
    target: pagerDuty.url,
    secret: `routing-key-${label}`,
    services: [service],
    ...(options.minSeverity && { minSeverity: options.minSeverity }),
  });
  const id = newIncidentId();
  await h.execute(id, detect(id, service, options.severity ?? 'P1', h.clock.now));
  const actions = async () =>
    (await pagerDuty.requests()).map((request) => JSON.parse(request.body).event_action as string);
  return { pagerDuty, id, actions };
}

describe('PagerDuty ends where the incident ends', () => {
  it('drops a digest due after the resolve instead of re-triggering the resolved alert', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-digest');
    await pagerDuty.script([], ACCEPTED);
    await wakeAndDeliver(h);
    h.advance(2 * 60_000);
    await h.execute(id, [escalate(id, h.clock.now)]);
    await h.wake();
    const [digest] = h.takeJobs();
    expect(digest?.delaySeconds).toBe(13 * 60);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'rolled back')]);
    await wakeAndDeliver(h);
    h.advance(13 * 60_000);
    expect((await h.run([digest!.body])).explicitAcks).toHaveLength(1);

    expect(await actions()).toEqual(['trigger', 'resolve']);
    expect((await h.outcomes(id)).at(-1)).toMatchObject({
      type: 'NotificationFailed',
      reason: 'superseded by the later IncidentResolved',
    });
  });

  it('drops a retried trigger that comes after the resolve went out', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-late-trigger');
    await pagerDuty.script([{ status: 503, body: 'busy' }], ACCEPTED);
    await h.wake();
    const [trigger] = h.takeJobs();
    expect((await h.run([trigger!.body])).retryMessages).toHaveLength(1);
    h.advance(1000);
    await h.execute(id, [resolve(id, h.clock.now, 'false alarm')]);
    await wakeAndDeliver(h);
    h.advance(2000);
    expect((await h.run([trigger!.body], 2)).explicitAcks).toHaveLength(1);

    expect(await actions()).toEqual(['trigger', 'resolve']);
  });

  it('drops a retried trigger that comes after the acknowledgement: nobody is paged for an owned incident', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-late-trigger-ack');
    await pagerDuty.script([{ status: 503, body: 'busy' }], ACCEPTED);
    await h.wake();
    const [trigger] = h.takeJobs();
    await h.run([trigger!.body]);
    h.advance(1000);
    await h.execute(id, [acknowledge(id, h.clock.now)]);
    await wakeAndDeliver(h);
    h.advance(2000);
    await h.run([trigger!.body], 2);

    expect(await actions()).toEqual(['trigger', 'acknowledge']);
  });

  it('drops a retried resolve that comes after the reopen: the reopened alert stays open', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-late-resolve');
    await pagerDuty.script([ACCEPTED, { status: 503, body: 'busy' }], ACCEPTED);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'looked fine')]);
    await h.wake();
    const [resolution] = h.takeJobs();
    expect((await h.run([resolution!.body])).retryMessages).toHaveLength(1);
    h.advance(1000);
    await h.execute(id, [reopen(id, h.clock.now)]);
    await wakeAndDeliver(h);
    h.advance(2000);
    await h.run([resolution!.body], 2);

    expect(await actions()).toEqual(['trigger', 'resolve', 'trigger']);
  });

  it('holds the resolve while the trigger is still on its way, so PagerDuty never gets them crossed', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000, timeoutMs: 3000 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-in-flight');
    await pagerDuty.script([{ ...ACCEPTED, delayMs: 1000 }], ACCEPTED);
    await h.wake();
    const [trigger] = h.takeJobs();
    const triggering = h.run([trigger!.body]);
    await new Promise((settle) => setTimeout(settle, 300));
    await h.execute(id, [resolve(id, h.clock.now, 'false alarm')]);
    await h.wake();
    const [resolution] = h.takeJobs();
    const held = await h.run([resolution!.body]);
    // Retried once the trigger's call is over: within its time limit.
    expect(held.retryMessages).toEqual([{ msgId: held.ids[0], delaySeconds: 3 }]);
    await triggering;
    h.advance(3000);
    await h.run([resolution!.body], 2);

    expect(await actions()).toEqual(['trigger', 'resolve']);
  });

  it('pages at once when a resolved incident is reopened inside the repage window', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-reopen');
    await pagerDuty.script([], ACCEPTED);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'looked fine')]);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [reopen(id, h.clock.now)]);
    const delivered = await wakeAndDeliver(h);

    expect(delivered?.retryMessages).toEqual([]);
    expect(await actions()).toEqual(['trigger', 'resolve', 'trigger']);
  });

  it('acknowledges and resolves a page after a downgrade below the channel’s minimum severity', async () => {
    const h = notifierHarness({ repageWindowMs: 0 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-downgrade', { minSeverity: 'P1' });
    await pagerDuty.script([], ACCEPTED);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [changeSeverity(id, h.clock.now, 'P2')]);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [acknowledge(id, h.clock.now)]);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'fixed')]);
    await wakeAndDeliver(h);

    expect(await actions()).toEqual(['trigger', 'trigger', 'acknowledge', 'resolve']);
  });

  it('still does not page a channel for an incident below its minimum that it was never told of', async () => {
    const h = notifierHarness({ repageWindowMs: 0 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-never-told', {
      minSeverity: 'P1',
      severity: 'P2',
    });
    await pagerDuty.script([], ACCEPTED);
    await h.execute(id, [acknowledge(id, h.clock.now), resolve(id, h.clock.now, 'fixed')]);
    await wakeAndDeliver(h);

    expect(await actions()).toEqual([]);
  });
});

describe('a severity change after the resolution', () => {
  // ChangeSeverity is allowed on a resolved incident: a postmortem review may reclassify it.
  it('does not re-trigger the resolved incident’s PagerDuty alert', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-reclass');
    await pagerDuty.script([], ACCEPTED);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'fixed')]);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [changeSeverity(id, h.clock.now, 'P2')]);
    await wakeAndDeliver(h);

    expect(await actions()).toEqual(['trigger', 'resolve']);
  });

  it('does not cancel a resolve still being retried', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-reclass-retry');
    await pagerDuty.script([ACCEPTED, { status: 503, body: 'busy' }], ACCEPTED);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'fixed')]);
    await h.wake();
    const [resolution] = h.takeJobs();
    expect((await h.run([resolution!.body])).retryMessages).toHaveLength(1);
    h.advance(1000);
    await h.execute(id, [changeSeverity(id, h.clock.now, 'P2')]);
    await wakeAndDeliver(h);
    h.advance(2000);
    await h.run([resolution!.body], 2);

    expect(await actions()).toEqual(['trigger', 'resolve', 'resolve']);
    expect((await h.deliveries(id)).map((delivery) => [delivery.eventType, delivery.status])).toEqual([
      ['IncidentDetected', 'sent'],
      ['IncidentResolved', 'sent'],
    ]);
  });
});

describe('an earlier PagerDuty action whose sender died mid-call', () => {
  it('holds the later action only until the earlier one’s lease runs out, then lets it go', async () => {
    const h = notifierHarness({ repageWindowMs: 15 * 60_000, timeoutMs: 3000 });
    const { pagerDuty, id, actions } = await pagerDutyIncident(h, 'pd-dead-sender');
    await pagerDuty.script([], ACCEPTED);
    await h.wake();
    const [trigger] = h.takeJobs();
    // The trigger's sender claims it and dies before it answers: its lease is all that is left.
    const [detection] = await h.deliveries(id);
    const leaseUntil = new Date(h.clock.now.getTime() + 63_000);
    await new Deliveries(env.DB).claim(detection!.id, h.clock.now, leaseUntil);
    h.advance(1000);
    await h.execute(id, [resolve(id, h.clock.now, 'false alarm')]);
    await h.wake();
    const [resolution] = h.takeJobs();
    const held = await h.run([resolution!.body]);
    // Within the trigger's time limit, it could still be on its way.
    expect(held.retryMessages).toEqual([{ msgId: held.ids[0], delaySeconds: 3 }]);
    h.advance(62_000);
    const released = await h.run([resolution!.body], 2);
    expect(released.explicitAcks).toEqual(released.ids);
    // The trigger's message comes back: the resolve that went before it supersedes it.
    await h.run([trigger!.body], 2);

    expect(await actions()).toEqual(['resolve']);
    expect((await h.deliveries(id)).map((delivery) => [delivery.eventType, delivery.status])).toEqual([
      ['IncidentDetected', 'cancelled'],
      ['IncidentResolved', 'sent'],
    ]);
  });
});

describe('the external status page ends where the incident ends', () => {
  it('resolves the page’s incident after a downgrade below the channel’s minimum severity', async () => {
    const h = notifierHarness({ repageWindowMs: 0 });
    const page = receiverBox('sp-downgrade');
    await page.script([], { status: 201, body: '{"id":"sp_down_1"}' });
    const service = uniqueService('spdown');
    await h.channel({
      type: 'statuspage',
      target: page.url,
      secret: 'sp-token-down',
      services: [service],
      minSeverity: 'P1',
    });
    const id = newIncidentId();
    await h.execute(id, detect(id, service, 'P1', h.clock.now));
    await h.execute(id, [postUpdate(id, h.clock.now, 'investigating', 'We are looking into it.', 'public')]);
    await wakeAndDeliver(h);
    h.advance(60_000);
    await h.execute(id, [changeSeverity(id, h.clock.now, 'P2')]);
    h.advance(60_000);
    await h.execute(id, [resolve(id, h.clock.now, 'fixed')]);
    await wakeAndDeliver(h);

    const requests = (await page.requests()).map(
      (request) => `${request.method} ${request.path} ${JSON.parse(request.body).incident.status}`,
    );
    expect(requests).toEqual(['POST /incidents investigating', 'PATCH /incidents/sp_down_1 resolved']);
  });
});
