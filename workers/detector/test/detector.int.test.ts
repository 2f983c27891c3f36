import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
} from 'cloudflare:test';
import { type IngestedSignal, packSignals, type SignalsMessage } from '@vigil/contracts';
import { EventStore, IncidentStore } from '@vigil/db';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';

let signalCounter = 0;
const minute = (n: number) => new Date(Date.UTC(2026, 10, 29, 10, n, 5)).toISOString();

function metrics(
  service: string,
  at: string,
  requests: number,
  errors: number,
  p95 = 200,
  extra = {},
): IngestedSignal {
  return { type: 'metrics', service, at, windowSeconds: 60, requests, errors, latencyMs: { p95 }, ...extra };
}

function message(signals: IngestedSignal[]): SignalsMessage {
  return {
    kind: 'signals',
    signals: signals.map((signal) => ({
      id: `sig-${String(++signalCounter).padStart(6, '0')}`,
      receivedAt: signal.at,
      signal,
    })),
  };
}

async function deliver(...bodies: unknown[]) {
  const batch = createMessageBatch(
    'vigil-signals',
    bodies.map((body, i) => ({ id: `msg-${signalCounter}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

async function eventsOf(service: string) {
  const all = await new EventStore(env.DB).readAll({ limit: 10_000 });
  const streams = new Set(
    all
      .filter((e) => e.type === 'IncidentDetected' && (e.data as { service: string }).service === service)
      .map((e) => e.streamId),
  );
  return all.filter((e) => streams.has(e.streamId));
}

const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('threshold rules and severity ladders', () => {
  // Error rate ladder: > 2% P2, > 5% P1, > 10% P0; the rule opens above 5%.
  it.each([
    [50, []],
    [51, ['P1']],
    [100, ['P1']],
    [101, ['P0']],
  ])('error rate %i/1000 for two minutes opens %j', async (errors, severities) => {
    const service = `err-${errors}`;
    await deliver(
      message([metrics(service, minute(0), 1000, errors), metrics(service, minute(1), 1000, errors)]),
    );
    const detected = (await eventsOf(service)).filter((e) => e.type === 'IncidentDetected');
    expect(detected.map((e) => (e.data as { severity: string }).severity)).toEqual(severities);
  });

  // p95 ladder: > 1000 P2, > 2000 P1, > 5000 P0; the rule opens above 2000 ms.
  it.each([
    [2000, []],
    [2001, ['P1']],
    [5000, ['P1']],
    [5001, ['P0']],
  ])('p95 %i ms opens %j', async (p95, severities) => {
    const service = `p95-${p95}`;
    await deliver(
      message([metrics(service, minute(0), 1000, 0, p95), metrics(service, minute(1), 1000, 0, p95)]),
    );
    const detected = (await eventsOf(service)).filter((e) => e.type === 'IncidentDetected');
    expect(detected.map((e) => (e.data as { severity: string }).severity)).toEqual(severities);
  });

  // Availability ladder: < 99.9 P2, < 99.5 P1, < 99 P0; the rule opens below 99.5%.
  it.each([
    [99.5, []],
    [99.49, ['P1']],
    [99, ['P1']],
    [98.99, ['P0']],
  ])('availability %s%% opens %j', async (availability, severities) => {
    const service = `avail-${availability}`;
    await deliver(
      message([
        metrics(service, minute(0), 1000, 0, 100, { availability }),
        metrics(service, minute(1), 1000, 0, 100, { availability }),
      ]),
    );
    const detected = (await eventsOf(service)).filter((e) => e.type === 'IncidentDetected');
    expect(detected.map((e) => (e.data as { severity: string }).severity)).toEqual(severities);
  });

  it('computes p95 from merged histograms when senders send them', async () => {
    // 100 requests per minute: 90 fast (≤ 64 ms), 10 at ~3 s: the merged p95 is the slow bucket.
    const histogram = Array.from({ length: 24 }, () => 0);
    histogram[12] = 90;
    histogram[23] = 10;
    const service = 'histo';
    const withHistogram = (at: string): IngestedSignal => ({
      type: 'metrics',
      service,
      at,
      windowSeconds: 60,
      requests: 100,
      errors: 0,
      latencyMs: { histogram },
    });
    await deliver(message([withHistogram(minute(0)), withHistogram(minute(1))]));
    const [detected] = (await eventsOf(service)).filter((e) => e.type === 'IncidentDetected');
    expect(detected?.data).toMatchObject({ kind: 'response_time', severity: 'P1' });
  });
});

describe('hysteresis, grouping, recovery', () => {
  it('one breaching evaluation does not open an incident; the second consecutive one does', async () => {
    const service = 'hysteresis';
    await deliver(message([metrics(service, minute(0), 1000, 80)]));
    expect(await eventsOf(service)).toEqual([]);
    await deliver(message([metrics(service, minute(1), 1000, 80)]));
    const events = await eventsOf(service);
    expect(types(events)).toEqual(['IncidentDetected', 'IncidentTriaged']);
    expect(events[0]!.data).toMatchObject({ startedAt: minute(0), severity: 'P1', kind: 'error_rate' });
    expect((events[1]!.data as { triage: { ownerRole: string } }).triage.ownerRole).toBe('senior-engineer');
  });

  it('opens at the worst severity of its streak, with the value and impact of that minute', async () => {
    const service = 'peak-then-milder';
    // 15 % errors (P0), then a window of (150 + 500) / 11,000 = 5.9 % (P1).
    await deliver(
      message([metrics(service, minute(0), 1000, 150), metrics(service, minute(1), 10_000, 500)]),
    );
    const [detected] = (await eventsOf(service)).filter((e) => e.type === 'IncidentDetected');
    expect(detected!.data).toMatchObject({
      severity: 'P0',
      title: 'peak-then-milder: Error rate 15.0% (threshold 5.0%)',
      measurement: { value: 0.15, threshold: 0.05 },
      impact: { usersAffected: 100, revenueImpact: 15, severity: 'critical' },
    });
  });

  it('a window with too little traffic does not open an incident', async () => {
    const service = 'quiet';
    await deliver(message([metrics(service, minute(0), 10, 9), metrics(service, minute(1), 9, 9)]));
    expect(await eventsOf(service)).toEqual([]);
  });

  it('a worse value changes the severity of the open incident instead of opening another', async () => {
    const service = 'worsening';
    await deliver(message([metrics(service, minute(0), 1000, 60), metrics(service, minute(1), 1000, 60)]));
    await deliver(message([metrics(service, minute(2), 1000, 400)]));
    const events = await eventsOf(service);
    expect(types(events)).toEqual(['IncidentDetected', 'IncidentTriaged', 'SeverityChanged']);
    // The window's rate: (60 + 60 + 400) errors in 3,000 requests.
    expect(events[2]!.data).toMatchObject({ from: 'P1', to: 'P0', reason: 'Error rate worsened to 17.3%' });
  });

  it('recovery for two evaluations marks it mitigated; a relapse is recorded, not a new incident', async () => {
    const service = 'recovery';
    // The 5-minute window needs healthy traffic to outweigh the breach before it recovers.
    await deliver(message([metrics(service, minute(0), 1000, 80), metrics(service, minute(1), 1000, 80)]));
    await deliver(
      message([
        metrics(service, minute(2), 20_000, 0),
        metrics(service, minute(3), 20_000, 0),
        metrics(service, minute(4), 20_000, 0),
      ]),
    );
    expect(types(await eventsOf(service))).toEqual([
      'IncidentDetected',
      'IncidentTriaged',
      'IncidentMitigated',
    ]);
    await deliver(
      message([metrics(service, minute(5), 20_000, 18_000), metrics(service, minute(6), 20_000, 18_000)]),
    );
    const events = await eventsOf(service);
    expect(types(events)).toContain('IncidentRelapsed');
    expect(types(events).filter((t) => t === 'IncidentDetected')).toHaveLength(1);
  });

  it('names a deploy shortly before the breach as suspect and recommends a rollback', async () => {
    const service = 'deployed';
    await deliver(
      message([
        { type: 'deployment', service, at: minute(-40), version: 'v41' },
        { type: 'deployment', service, at: minute(-1), version: 'v42', commit: 'abc123' },
      ]),
    );
    await deliver(message([metrics(service, minute(0), 1000, 80), metrics(service, minute(1), 1000, 80)]));
    const triaged = (await eventsOf(service)).find((e) => e.type === 'IncidentTriaged');
    const triage = (triaged!.data as { triage: { suspectDeployment: unknown; actions: string[] } }).triage;
    expect(triage.suspectDeployment).toMatchObject({ version: 'v42', previousVersion: 'v41' });
    expect(triage.actions[0]).toMatch(/Roll back deployed to v41/);
  });

  it('names a deploy made during the first breaching minute: a snapshot is stamped with its window start', async () => {
    const service = 'deployed-mid-minute';
    const sdkMinute = (n: number, second = 0) =>
      new Date(Date.UTC(2026, 10, 29, 10, n, second)).toISOString();
    await deliver(
      message([
        { type: 'deployment', service, at: sdkMinute(-10), version: 'v41' },
        { type: 'deployment', service, at: sdkMinute(0, 30), version: 'v42' },
      ]),
    );
    await deliver(
      message([metrics(service, sdkMinute(0), 1000, 80), metrics(service, sdkMinute(1), 1000, 80)]),
    );
    const triaged = (await eventsOf(service)).find((e) => e.type === 'IncidentTriaged');
    const triage = (triaged!.data as { triage: { suspectDeployment: unknown } }).triage;
    expect(triage.suspectDeployment).toMatchObject({ version: 'v42', previousVersion: 'v41' });
  });

  it('recommends rolling back past a redeploy of the same version, to the version before it', async () => {
    const service = 'redeployed';
    await deliver(
      message([
        { type: 'deployment', service, at: minute(-50), version: 'v41' },
        { type: 'deployment', service, at: minute(-20), version: 'v42' },
        { type: 'deployment', service, at: minute(-5), version: 'v42' },
      ]),
    );
    await deliver(message([metrics(service, minute(0), 1000, 80), metrics(service, minute(1), 1000, 80)]));
    const triaged = (await eventsOf(service)).find((e) => e.type === 'IncidentTriaged');
    const triage = (triaged!.data as { triage: { suspectDeployment: unknown; actions: string[] } }).triage;
    expect(triage.suspectDeployment).toMatchObject({ version: 'v42', previousVersion: 'v41' });
    expect(triage.actions[0]).toBe('Roll back redeployed to v41');
  });

  it('names a deploy sent with a UTC offset as suspect: every instant is compared in UTC', async () => {
    const service = 'deployed-offset';
    // 10:59:05+01:00 is 09:59:05Z, a minute before the breach at 10:00:05Z; as text it sorts after it.
    await deliver(
      message([
        { type: 'deployment', service, at: '2026-11-29T10:20:05+01:00', version: 'v41' },
        { type: 'deployment', service, at: '2026-11-29T10:59:05+0100', version: 'v42' },
      ]),
    );
    await deliver(message([metrics(service, minute(0), 1000, 80), metrics(service, minute(1), 1000, 80)]));
    const triaged = (await eventsOf(service)).find((e) => e.type === 'IncidentTriaged');
    const triage = (triaged!.data as { triage: { suspectDeployment: unknown } }).triage;
    expect(triage.suspectDeployment).toMatchObject({ version: 'v42', previousVersion: 'v41' });
  });
});

describe('delivery faults', () => {
  it('redelivered and shuffled messages produce the same incident events as a clean delivery', async () => {
    const scenario = (service: string) => [
      message([metrics(service, minute(0), 1000, 80)]),
      message([metrics(service, minute(1), 1000, 80)]),
      message([metrics(service, minute(2), 1000, 300)]),
    ];
    const clean = scenario('clean');
    await deliver(...clean);
    const faulty = scenario('faulty');
    await deliver(faulty[2], faulty[0], faulty[1], faulty[0], faulty[2]);
    await deliver(...faulty);
    const shape = (events: { type: string; data: unknown }[]) =>
      events.map((e) => {
        const { incidentId, at, detectedAt, service, title, ...rest } = e.data as Record<string, unknown>;
        return { type: e.type, ...rest, triage: undefined };
      });
    expect(shape(await eventsOf('faulty'))).toEqual(shape(await eventsOf('clean')));
  });

  it('packed JSON text, as the producer and SDK send it, folds like the same message as an object', async () => {
    const scenario = (service: string) => [
      message([metrics(service, minute(0), 1000, 80)]),
      message([metrics(service, minute(1), 1000, 120)]),
    ];
    await deliver(...scenario('as-objects'));
    await deliver(
      ...scenario('as-text').flatMap((body) => packSignals(body.signals).map((packed) => packed.body)),
    );
    const shape = (events: { type: string; data: unknown }[]) =>
      events.map((e) => {
        const { incidentId, at, detectedAt, service, title, ...rest } = e.data as Record<string, unknown>;
        return { type: e.type, ...rest, triage: undefined };
      });
    const asText = await eventsOf('as-text');
    expect(types(asText)).toEqual(['IncidentDetected', 'IncidentTriaged']);
    expect(shape(asText)).toEqual(shape(await eventsOf('as-objects')));
  });

  it('a body that is not JSON goes to the dead-letter queue with its reason', async () => {
    const result = await deliver('{"kind":"signals","signals":[');
    expect(result.explicitAcks).toHaveLength(1);
    const row = await env.DB.prepare('SELECT reason FROM dead_letters ORDER BY id DESC LIMIT 1').first<{
      reason: string;
    }>();
    expect(row!.reason).toBe('invalid signals message: the body is not JSON');
  });

  it('folds the metrics packed with an error signal whose attributes an older SDK did not bound', async () => {
    const service = 'older-sdk';
    // An SDK from before the 16 KB bound sent 20 attributes of 2,048 characters straight to the
    // queue: more than the producer takes now, yet one message, and the metrics beside it count.
    const attributes = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`header${i}`, 'h'.repeat(2048)]),
    );
    const result = await deliver(
      message([
        metrics(service, minute(0), 1000, 80),
        { type: 'error', service, at: minute(0), summary: 'TypeError: boom', attributes },
        metrics(service, minute(1), 1000, 80),
      ]),
    );
    expect(result.explicitAcks).toHaveLength(1);
    expect(types(await eventsOf(service))).toEqual(['IncidentDetected', 'IncidentTriaged']);
  });

  it('a message that can never be valid goes to the dead-letter queue with its reason', async () => {
    const result = await deliver({ kind: 'signals', signals: [{ id: 'x' }] });
    expect(result.explicitAcks).toHaveLength(1);
    const row = await env.DB.prepare(
      'SELECT queue, reason FROM dead_letters ORDER BY id DESC LIMIT 1',
    ).first<{
      queue: string;
      reason: string;
    }>();
    expect(row).toMatchObject({ queue: 'vigil-signals' });
    expect(row!.reason).toMatch(/invalid signals message/);
  });
});

describe('alerts', () => {
  const alert = (
    action: 'trigger' | 'acknowledge' | 'resolve',
    dedupKey: string,
    at: string,
  ): IngestedSignal => ({
    type: 'alert',
    source: 'pagerduty',
    action,
    dedupKey,
    service: 'payments',
    at,
    summary: 'Payments API 5xx',
    severity: 'P1',
  });
  const alertEvents = async (dedupKey: string) =>
    (await new EventStore(env.DB).readAll({ limit: 10_000 })).filter(
      (e) => (e.metadata.correlationId ?? (e.data as { dedupKey?: string }).dedupKey) === dedupKey,
    );

  it('trigger opens, acknowledge acknowledges, resolve resolves; a new trigger opens a new incident', async () => {
    await deliver(message([alert('trigger', 'pd-1', minute(0))]));
    await deliver(message([alert('trigger', 'pd-1', minute(1))]));
    await deliver(message([alert('acknowledge', 'pd-1', minute(2))]));
    await deliver(message([alert('resolve', 'pd-1', minute(3))]));
    await deliver(message([alert('trigger', 'pd-1', minute(4))]));
    const events = await alertEvents('pd-1');
    expect(types(events)).toEqual([
      'IncidentDetected',
      'IncidentTriaged',
      'IncidentAcknowledged',
      'IncidentResolved',
      'IncidentDetected',
      'IncidentTriaged',
    ]);
    expect(new Set(events.map((e) => e.streamId)).size).toBe(2);
  });

  it('triages an alert incident with similar past incidents', async () => {
    await deliver(message([alert('trigger', 'pd-similar', minute(0))]));
    await deliver(message([alert('resolve', 'pd-similar', minute(1))]));
    const [first] = await alertEvents('pd-similar');
    // The projector's read model, as it would hold the first incident.
    await env.DB.prepare(
      `INSERT INTO incidents (id, service, kind, category, severity, status, title, started_at, detected_at, version, last_seq, state, updated_at)
       VALUES (?1, 'payments', 'alert', 'operational', 'P1', 'resolved', 't', ?2, ?2, 3, 3, '{}', ?2)`,
    )
      .bind(first!.streamId, minute(0))
      .run();
    await deliver(message([alert('trigger', 'pd-similar', minute(5))]));
    const triaged = (await alertEvents('pd-similar')).filter((e) => e.type === 'IncidentTriaged');
    const similar = (triaged[1]!.data as { triage: { similarIncidents: { id: string; match: string }[] } })
      .triage.similarIncidents;
    expect(similar).toMatchObject([{ id: first!.streamId, match: 'same_service_and_kind' }]);
  });

  it('a redelivered trigger after its incident resolved does not open another', async () => {
    const trigger = message([alert('trigger', 'pd-2', minute(0))]);
    await deliver(trigger);
    await deliver(message([alert('resolve', 'pd-2', minute(1))]));
    await deliver(trigger);
    expect(types(await alertEvents('pd-2'))).toEqual([
      'IncidentDetected',
      'IncidentTriaged',
      'IncidentResolved',
    ]);
  });

  const human = { kind: 'human' as const, id: 'alice', name: 'alice' };
  const reopen = (incidentId: string) =>
    new IncidentStore(env.DB).execute(incidentId, [
      {
        type: 'ReopenIncident',
        data: { incidentId, at: new Date().toISOString(), by: human, reason: 'still failing' },
      },
    ]);

  it('scopes a dedup key to its integration (ingest key), as PagerDuty does', async () => {
    const via = (integration: string, signal: IngestedSignal) =>
      ({ ...signal, integration }) as IngestedSignal;
    await deliver(
      message([via('key_search', { ...alert('trigger', 'pd-shared', minute(0)), service: 'search' })]),
    );
    await deliver(
      message([via('key_billing', { ...alert('trigger', 'pd-shared', minute(1)), service: 'billing' })]),
    );
    await deliver(
      message([via('key_billing', { ...alert('resolve', 'pd-shared', minute(2)), service: 'billing' })]),
    );
    const events = await alertEvents('pd-shared');
    const opened = events.filter((e) => e.type === 'IncidentDetected');
    expect(opened.map((e) => (e.data as { service: string }).service)).toEqual(['search', 'billing']);
    const resolved = events.filter((e) => e.type === 'IncidentResolved').map((e) => e.streamId);
    expect(resolved).toEqual([opened[1]!.streamId]);
  });

  it('acknowledges and resolves from an integration whose acknowledge names no service (PagerDuty sends no payload)', async () => {
    const via = (signal: IngestedSignal) => ({ ...signal, integration: 'key_any' }) as IngestedSignal;
    // An unrestricted key: the trigger's service comes from its payload, the acknowledge has none.
    await deliver(message([via({ ...alert('trigger', 'pd-nopayload', minute(0)), service: 'mysql' })]));
    await deliver(message([via({ ...alert('acknowledge', 'pd-nopayload', minute(1)), service: 'unknown' })]));
    await deliver(message([via({ ...alert('resolve', 'pd-nopayload', minute(2)), service: 'unknown' })]));
    expect(types(await alertEvents('pd-nopayload'))).toEqual([
      'IncidentDetected',
      'IncidentTriaged',
      'IncidentAcknowledged',
      'IncidentResolved',
    ]);
  });

  it('resolves on opening an incident whose resolve was received after its trigger but came first', async () => {
    // Queues are unordered: the trigger's batch failed once and came back after the resolve's.
    await deliver(message([alert('resolve', 'pd-early', minute(2))]));
    await deliver(message([alert('trigger', 'pd-early', minute(0))]));
    const events = await alertEvents('pd-early');
    expect(types(events)).toEqual(['IncidentDetected', 'IncidentTriaged', 'IncidentResolved']);
    expect((events[2]!.data as { resolution: string }).resolution).toContain('its resolve came first');
    // Within one batch too, where a sender's clock ahead of ours sorts the trigger after the resolve.
    const ahead = (signal: IngestedSignal, receivedAt: string) => ({
      ...message([signal]),
      signals: message([signal]).signals.map((envelope) => ({ ...envelope, receivedAt })),
    });
    await deliver(
      ahead(alert('trigger', 'pd-early-batch', minute(9)), minute(3)),
      ahead(alert('resolve', 'pd-early-batch', minute(4)), minute(4)),
    );
    expect(types(await alertEvents('pd-early-batch'))).toEqual([
      'IncidentDetected',
      'IncidentTriaged',
      'IncidentResolved',
    ]);
  });

  it('opens one incident for a trigger and its repeat that both came after their resolve', async () => {
    // The sender repeated the firing alert before resolving it; the triggers' batch came back last.
    await deliver(message([alert('resolve', 'pd-early-repeat', minute(9))]));
    await deliver(
      message([
        alert('trigger', 'pd-early-repeat', minute(0)),
        alert('trigger', 'pd-early-repeat', minute(4)),
      ]),
    );
    const events = await alertEvents('pd-early-repeat');
    expect(types(events)).toEqual(['IncidentDetected', 'IncidentTriaged', 'IncidentResolved']);
  });

  it('a repeat received before the resolve but processed after it opens nothing', async () => {
    // A second Alertmanager replica's firing, or a retried batch, comes back after the resolve.
    await deliver(message([alert('trigger', 'pd-late-repeat', minute(0))]));
    await deliver(message([alert('resolve', 'pd-late-repeat', minute(5))]));
    await deliver(message([alert('trigger', 'pd-late-repeat', minute(3))]));
    expect(types(await alertEvents('pd-late-repeat'))).toEqual([
      'IncidentDetected',
      'IncidentTriaged',
      'IncidentResolved',
    ]);
    // The next firing, received after the resolve, opens a new incident.
    await deliver(message([alert('trigger', 'pd-late-repeat', minute(7))]));
    expect(new Set((await alertEvents('pd-late-repeat')).map((e) => e.streamId)).size).toBe(2);
  });

  it('opens acknowledged an incident whose acknowledge was received after its trigger but came first', async () => {
    await deliver(message([alert('acknowledge', 'pd-early-ack', minute(2))]));
    await deliver(message([alert('trigger', 'pd-early-ack', minute(0))]));
    expect(types(await alertEvents('pd-early-ack'))).toEqual([
      'IncidentDetected',
      'IncidentTriaged',
      'IncidentAcknowledged',
    ]);
    // An acknowledge received before the trigger belongs to an earlier firing: the trigger opens.
    await deliver(message([alert('acknowledge', 'pd-late-ack', minute(0))]));
    await deliver(message([alert('trigger', 'pd-late-ack', minute(1))]));
    expect(types(await alertEvents('pd-late-ack'))).toEqual(['IncidentDetected', 'IncidentTriaged']);
  });

  it('does not resolve a later trigger with a resolve received before it', async () => {
    await deliver(message([alert('trigger', 'pd-cycle', minute(0))]));
    await deliver(message([alert('resolve', 'pd-cycle', minute(1))]));
    // Alertmanager repeats "resolved"; then the alert fires again.
    await deliver(message([alert('resolve', 'pd-cycle', minute(2))]));
    await deliver(message([alert('trigger', 'pd-cycle', minute(5))]));
    const events = await alertEvents('pd-cycle');
    const streams = [...new Set(events.map((e) => e.streamId))];
    expect(streams).toHaveLength(2);
    expect(types(events.filter((e) => e.streamId === streams[1]))).toEqual([
      'IncidentDetected',
      'IncidentTriaged',
    ]);
  });

  it('opens an incident for an alert stamped ahead of our clock (sender clock skew), starting at detection', async () => {
    const ahead = new Date(Date.now() + 5 * 60_000).toISOString();
    const result = await deliver(message([alert('trigger', 'pd-ahead', ahead)]));
    expect(result.retryMessages).toEqual([]);
    const [opened] = (await alertEvents('pd-ahead')).filter((e) => e.type === 'IncidentDetected');
    const data = opened!.data as { startedAt: string; detectedAt: string };
    expect(data.startedAt).toBe(data.detectedAt);
  });

  it('a reopened alert incident takes its dedup key back: a trigger joins it; the source cannot close it again', async () => {
    await deliver(message([alert('trigger', 'pd-reopen', minute(0))]));
    const id = (await alertEvents('pd-reopen'))[0]!.streamId;
    await deliver(message([alert('resolve', 'pd-reopen', minute(1))]));
    await reopen(id);
    await deliver(message([alert('trigger', 'pd-reopen', minute(3))]));
    await deliver(message([alert('resolve', 'pd-reopen', minute(4))]));
    const events = await alertEvents('pd-reopen');
    expect(new Set(events.map((e) => e.streamId))).toEqual(new Set([id]));
    // Alertmanager repeats "resolved": a person found it still broken, so it stays open.
    expect(types(await new EventStore(env.DB).readStream(id))).toEqual([
      'IncidentDetected',
      'IncidentTriaged',
      'IncidentResolved',
      'IncidentReopened',
    ]);
  });

  it('keeps open alert incidents reachable through the slot migrations (0008, then 0010)', async () => {
    // An incident opened before dedup keys were scoped per service holds the old slot.
    const store = new IncidentStore(env.DB);
    const id = 'INC-20261129-OLDSLOT';
    await store.execute(
      id,
      [
        {
          type: 'DetectIncident',
          data: {
            incidentId: id,
            at: minute(1),
            by: { kind: 'source', id: 'pagerduty' },
            service: 'payments:eu',
            kind: 'alert',
            severity: 'P1',
            title: 'old',
            startedAt: minute(0),
            detectedAt: minute(1),
            impact: { usersAffected: 0, revenueImpact: 0, severity: 'high' },
            source: 'pagerduty',
            dedupKey: 'pd-old:1',
          },
        },
      ],
      { openSlot: 'alert:pagerduty:pd-old:1' },
    );
    const slot = async () =>
      (await env.DB.prepare('SELECT slot FROM open_incidents WHERE incident_id = ?').bind(id).first())?.slot;
    const migrate = async (prefix: string) => {
      const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith(prefix))!;
      await env.DB.batch(migration.queries.map((query) => env.DB.prepare(query)));
    };
    await migrate('0008_');
    expect(await slot()).toBe('alert:pagerduty:payments%3Aeu:pd-old:1');
    await migrate('0010_');
    expect(await slot()).toBe('alert:pagerduty:pd-old:1');
    // A trigger through an integration naming another service does not join it: its own incident.
    await deliver(
      message([
        {
          ...alert('trigger', 'pd-old:1', minute(2)),
          service: 'search',
          integration: 'key_y',
        } as IngestedSignal,
      ]),
    );
    const others = (await alertEvents('pd-old:1')).filter(
      (e) => e.type === 'IncidentDetected' && e.streamId !== id,
    );
    expect(others.map((e) => (e.data as { service: string }).service)).toEqual(['search']);
    // A resolve through an integration finds the incident opened before integrations were recorded.
    await deliver(
      message([
        {
          ...alert('resolve', 'pd-old:1', minute(2)),
          service: 'unknown',
          integration: 'key_x',
        } as IngestedSignal,
      ]),
    );
    expect(types(await new EventStore(env.DB).readStream(id))).toEqual([
      'IncidentDetected',
      'IncidentResolved',
    ]);
  });
});

describe('reopened and worsening metric incidents', () => {
  const human = { kind: 'human' as const, id: 'alice', name: 'alice' };

  it('a reopened metric incident takes its rule slot back: a continuing breach does not open a second one', async () => {
    const service = 'reopen-metric';
    await deliver(message([metrics(service, minute(0), 1000, 80), metrics(service, minute(1), 1000, 80)]));
    const id = (await eventsOf(service))[0]!.streamId;
    const store = new IncidentStore(env.DB);
    const at = () => new Date().toISOString();
    await store.execute(id, [
      { type: 'ResolveIncident', data: { incidentId: id, at: at(), by: human, resolution: 'thought so' } },
    ]);
    await store.execute(id, [
      { type: 'ReopenIncident', data: { incidentId: id, at: at(), by: human, reason: 'not fixed' } },
    ]);
    await deliver(message([metrics(service, minute(2), 1000, 80), metrics(service, minute(3), 1000, 80)]));
    const opened = (await eventsOf(service)).filter((e) => e.type === 'IncidentDetected');
    expect(opened.map((e) => e.streamId)).toEqual([id]);
  });

  it('leaves the recovery of an incident a person reopened to people: healthy minutes do not mitigate it', async () => {
    const service = 'reopen-healthy';
    await deliver(message([metrics(service, minute(0), 1000, 80), metrics(service, minute(1), 1000, 80)]));
    const id = (await eventsOf(service))[0]!.streamId;
    await deliver(message([2, 3, 4, 5].map((n) => metrics(service, minute(n), 1000, 0))));
    const store = new IncidentStore(env.DB);
    const at = () => new Date().toISOString();
    await store.execute(id, [
      { type: 'ResolveIncident', data: { incidentId: id, at: at(), by: human, resolution: 'rolled back' } },
    ]);
    await store.execute(id, [
      {
        type: 'ReopenIncident',
        data: { incidentId: id, at: at(), by: human, reason: 'customers still fail' },
      },
    ]);
    await deliver(message([6, 7, 8].map((n) => metrics(service, minute(n), 1000, 0))));
    expect(types(await new EventStore(env.DB).readStream(id)).at(-1)).toBe('IncidentReopened');
  });

  it('a p95 incident that worsens past 5 s escalates to the senior engineer (runbook: slow response times)', async () => {
    const service = 'slow-worsening';
    await deliver(
      message([metrics(service, minute(0), 1000, 0, 2500), metrics(service, minute(1), 1000, 0, 2500)]),
    );
    await deliver(
      message([metrics(service, minute(2), 1000, 0, 8000), metrics(service, minute(3), 1000, 0, 8000)]),
    );
    const id = (await eventsOf(service))[0]!.streamId;
    const changed = (await eventsOf(service)).find((e) => e.type === 'SeverityChanged');
    expect(changed?.data).toMatchObject({ to: 'P0', measurement: { value: 8000, threshold: 2000 } });
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env);
    const ruleIds = (await new EventStore(env.DB).readStream(id))
      .filter((e) => e.type === 'IncidentEscalated')
      .map((e) => (e.data as { ruleId: string }).ruleId);
    expect(ruleIds).toContain('slow-response-times/p95-above-5s/senior-engineer');
  });
});

describe('escalation timers', () => {
  it('records each due escalation exactly once however often the cron fires', async () => {
    const service = 'escalating';
    await deliver(message([metrics(service, minute(0), 1000, 80), metrics(service, minute(1), 1000, 80)]));
    const detected = (await eventsOf(service))[0]!;
    const detectedAt = Date.parse((detected.data as { detectedAt: string }).detectedAt);
    const fire = async (minutesAfter: number) => {
      const controller = createScheduledController({
        scheduledTime: detectedAt + minutesAfter * 60_000,
        cron: '* * * * *',
      });
      await worker.scheduled(controller, env);
    };
    await fire(10);
    await fire(31);
    await fire(31);
    await fire(61);
    await fire(90);
    const escalations = (await eventsOf(service))
      .filter((e) => e.type === 'IncidentEscalated')
      .map((e) => e.data as { toRole: string; ruleId: string });
    // P1 high error rate: team lead after 30 minutes, VP engineering after an hour.
    expect(escalations.map((e) => e.toRole)).toContain('team-lead');
    expect(escalations.map((e) => e.toRole)).toContain('vp-engineering');
    const ruleIds = escalations.map((e) => e.ruleId);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
  });
});
