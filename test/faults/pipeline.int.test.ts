import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { type IngestedSignal, type SignalsMessage, WakeUp } from '@vigil/contracts';
import type { Actor, IncidentCommand } from '@vigil/core';
import {
  Checkpoints,
  EventStore,
  IncidentProjection,
  IncidentStore,
  MetricRollups,
  type RecordedEvent,
} from '@vigil/db';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consumeSignals } from '../../workers/detector/src/consumeSignals';
import { sweep } from '../../workers/detector/src/timers';
import { consumeWakeUps } from '../../workers/projector/src/consumeWakeUps';
import { failingQueue, faultyD1, logReadCounting, recordingQueue } from './inject';

// Faults injected into the real pipeline code (detector consumer, projection, sweep) on the
// real local D1. After each fault: no event lost or doubled compared with a clean run, versions
// contiguous, and the projections equal a full rebuild of the log.

let counter = 0;
const minute = (n: number) => new Date(Date.UTC(2026, 10, 29, 9, n, 7)).toISOString();
const metrics = (service: string, n: number, errors: number): IngestedSignal => ({
  type: 'metrics',
  service,
  at: minute(n),
  windowSeconds: 60,
  requests: 1000,
  errors,
  latencyMs: { p95: 150 },
});
const message = (signals: IngestedSignal[]): SignalsMessage => ({
  kind: 'signals',
  signals: signals.map((signal) => ({
    id: `sig-f${String(++counter).padStart(7, '0')}`,
    receivedAt: signal.at,
    signal,
  })),
});

/** An outage and its recovery, one message per minute, plus an alert lifecycle. */
function scenario(service: string): SignalsMessage[] {
  const alert = (action: 'trigger' | 'acknowledge' | 'resolve', n: number): IngestedSignal => ({
    type: 'alert',
    source: 'alertmanager',
    action,
    dedupKey: `${service}-disk`,
    service,
    at: minute(n),
    summary: 'Disk full',
    severity: 'P2',
  });
  return [
    message([metrics(service, 0, 80)]),
    message([metrics(service, 1, 90)]),
    message([metrics(service, 2, 300)]),
    message([alert('trigger', 2)]),
    message([metrics(service, 3, 0), metrics(service, 3, 0)]),
  ];
}

type Envish = Parameters<typeof consumeSignals>[1];
async function deliver(bodies: SignalsMessage[], target: Envish = env) {
  const batch = createMessageBatch(
    'vigil-signals',
    bodies.map((body, i) => ({ id: `m-${counter}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await consumeSignals(batch, target);
  return getQueueResult(batch, ctx);
}

async function eventsOf(service: string): Promise<RecordedEvent[]> {
  const all = await new EventStore(env.DB).readAll({ limit: 100_000 });
  const streams = new Set(
    all.filter((e) => (e.data as { service?: string }).service === service).map((e) => e.streamId),
  );
  return all.filter((e) => streams.has(e.streamId));
}

/** What must match between runs: types and data, without ids, clocks and the service name. */
function shape(events: RecordedEvent[]) {
  return events.map((e) => {
    const { incidentId, at, detectedAt, service, title, triage, dedupKey, ...rest } = e.data as Record<
      string,
      unknown
    >;
    return { type: e.type, version: e.version, ...rest };
  });
}

function contiguous(events: RecordedEvent[]) {
  const byStream = new Map<string, number[]>();
  for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.version]);
  return [...byStream.values()].every((versions) => versions.every((v, i) => v === i + 1));
}

async function projectionEqualsRebuild() {
  const projection = new IncidentProjection(env.DB);
  await projection.catchUp({ maxPages: 1000 });
  const snapshot = async () => ({
    incidents: (await env.DB.prepare('SELECT * FROM incidents ORDER BY id').all()).results.map(
      ({ updated_at, ...row }) => row,
    ),
    timeline: (await env.DB.prepare('SELECT * FROM timeline_entries ORDER BY seq').all()).results,
  });
  const live = await snapshot();
  await projection.rebuild();
  expect(await snapshot()).toEqual(live);
}

describe('fault injection', () => {
  it('every message delivered twice, shuffled, and the batch redelivered: the same events as a clean run', async () => {
    await deliver(scenario('clean'));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), async (seed) => {
        const service = `dup-${seed}-${counter}`;
        const messages = scenario(service);
        const doubled = fc.sample(
          fc.shuffledSubarray([...messages, ...messages], { minLength: 10, maxLength: 10 }),
          {
            seed,
            numRuns: 1,
          },
        )[0]!;
        await deliver(doubled);
        await deliver(doubled.slice().reverse());
        const faulty = await eventsOf(service);
        expect(shape(faulty)).toEqual(shape(await eventsOf('clean')));
        expect(contiguous(faulty)).toBe(true);
      }),
      { numRuns: 8 },
    );
    await projectionEqualsRebuild();
  });

  it('a crash between the append and the wake-up: nothing lost, the sweep wakes the consumers', async () => {
    const broken = { ...env, NOTIFY: failingQueue(), PROJECT: failingQueue() } as Envish;
    const result = await deliver(scenario('unwoken'), broken);
    expect(result.explicitAcks.length + (result.ackAll ? 1 : 0)).toBeGreaterThan(0);
    const appended = await eventsOf('unwoken');
    expect(appended.map((e) => e.type)).toContain('IncidentDetected');
    // The projector never heard of it; the detector's cron sweep sees it is behind and wakes it.
    const projection = new IncidentProjection(env.DB);
    expect(await sweep(env)).toBe(true);
    await projection.catchUp({ maxPages: 1000 });
    const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM incidents WHERE service = ?')
      .bind('unwoken')
      .first<{ n: number }>();
    expect(row?.n).toBe(2);
    await projectionEqualsRebuild();
  });

  it('a D1 error at each call of a batch: the retried batch gives the same events, none doubled', async () => {
    // Count the D1 calls one clean delivery makes, then fail each of them in turn.
    const probe = faultyD1(env.DB, Number.POSITIVE_INFINITY);
    await deliver(scenario('probe'), { ...env, DB: probe.db } as Envish);
    const calls = probe.calls();
    expect(calls).toBeGreaterThan(5);
    const reference = shape(await eventsOf('probe'));
    for (let failAt = 1; failAt <= calls; failAt++) {
      const service = `d1fail-${failAt}`;
      const messages = scenario(service);
      const faulty = faultyD1(env.DB, failAt);
      const first = await deliver(messages, { ...env, DB: faulty.db } as Envish);
      // The consumer asked for a retry (or lost nothing by acking): deliver again, as the queue would.
      if (first.retryMessages.length > 0 || first.retryBatch.retry) await deliver(messages);
      const events = await eventsOf(service);
      expect(shape(events), `failing D1 call ${failAt} of ${calls}`).toEqual(reference);
      expect(contiguous(events)).toBe(true);
    }
    await projectionEqualsRebuild();
  });

  it('a D1 error at each call of a projection step: the checkpoint and the rows never disagree', async () => {
    await deliver(scenario('projected'));
    const probe = faultyD1(env.DB, Number.POSITIVE_INFINITY);
    await new IncidentProjection(env.DB).rebuild();
    await deliver(scenario('projected-more'));
    await new IncidentProjection(probe.db).catchUp({ maxPages: 1000 });
    const calls = probe.calls();
    for (let failAt = 1; failAt <= calls; failAt++) {
      await deliver(scenario(`projected-${failAt}`));
      await expect(
        new IncidentProjection(faultyD1(env.DB, failAt).db).catchUp({ maxPages: 1000 }),
      ).rejects.toThrow(/injected/);
      await projectionEqualsRebuild();
    }
  });

  it('100 concurrent commands racing on one incident all land, versions contiguous, projection equals rebuild', async () => {
    const incidents = new IncidentStore(env.DB);
    const alice: Actor = { kind: 'human', id: 'alice' };
    const id = 'INC-RACE100';
    await incidents.execute(id, [
      {
        type: 'DeclareIncident',
        data: {
          incidentId: id,
          at: minute(0),
          by: alice,
          service: 'raced',
          severity: 'P1',
          title: 'Raced',
          startedAt: minute(0),
          impact: { usersAffected: 1, revenueImpact: 1, severity: 'high' },
        },
      },
    ]);
    const note = (i: number): IncidentCommand => ({
      type: 'AddNote',
      data: { incidentId: id, at: minute(1), by: alice, text: `note ${i}` },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => incidents.execute(id, [note(i)])),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const events = await new EventStore(env.DB).readStream(id);
    expect(events).toHaveLength(101);
    expect(contiguous(events)).toBe(true);
    expect(new Set(events.slice(1).map((e) => (e.data as { text: string }).text)).size).toBe(100);
    await projectionEqualsRebuild();
  }, 60_000);
});

describe('rollups under faults', () => {
  it('a D1 error at each call of a rollup: the retried rollup gives the same rows as a clean one', async () => {
    // Incidents with metric facts: detected, acknowledged, mitigated and resolved.
    const incidents = new IncidentStore(env.DB);
    const alice: Actor = { kind: 'human', id: 'alice' };
    for (let i = 0; i < 6; i++) {
      const id = `INC-ROLL${i}`;
      const at = (m: number) => new Date(Date.UTC(2026, 9, 1 + i, 10, m)).toISOString();
      await incidents.execute(id, [
        {
          type: 'DeclareIncident',
          data: {
            incidentId: id,
            at: at(5),
            by: alice,
            service: `rolled-${i % 2}`,
            severity: i % 3 === 0 ? 'P0' : 'P1',
            title: 'Rolled',
            startedAt: at(0),
            impact: { usersAffected: 1, revenueImpact: 1, severity: 'high' },
          },
        },
        { type: 'AcknowledgeIncident', data: { incidentId: id, at: at(7), by: alice } },
        { type: 'MarkMitigated', data: { incidentId: id, at: at(20), by: alice } },
        { type: 'ResolveIncident', data: { incidentId: id, at: at(40), by: alice, resolution: 'done' } },
      ]);
    }
    await new IncidentProjection(env.DB).catchUp({ maxPages: 1000 });
    const rollups = async () =>
      (await env.DB.prepare('SELECT * FROM metric_rollups ORDER BY period, bucket, service, severity').all())
        .results;
    const dirty = async () =>
      (await env.DB.prepare(
        'SELECT COUNT(*) AS n FROM rollup_buckets WHERE generation > rolled_generation',
      ).first<{ n: number }>())!.n;

    // The clean result, then the calls a clean rollup makes.
    const probe = faultyD1(env.DB, Number.POSITIVE_INFINITY);
    await new MetricRollups(probe.db).rollDirty();
    const clean = await rollups();
    expect(clean.length).toBeGreaterThan(0);
    expect(await dirty()).toBe(0);
    const calls = probe.calls();

    for (let failAt = 1; failAt <= calls; failAt++) {
      // Make every bucket dirty again, fail one call of the rollup, then let the next run finish it.
      await env.DB.prepare('UPDATE rollup_buckets SET generation = generation + 1').run();
      await expect(new MetricRollups(faultyD1(env.DB, failAt).db).rollDirty()).rejects.toThrow(/injected/);
      await new MetricRollups(env.DB).rollDirty();
      expect(await dirty(), `failing call ${failAt} of ${calls}`).toBe(0);
      expect(await rollups(), `failing call ${failAt} of ${calls}`).toEqual(clean);
    }
  });
});

describe('wake-ups that carry the new events', () => {
  type ProjectorEnv = Parameters<typeof consumeWakeUps>[1];
  const wakeProjector = async (bodies: unknown[], db: D1Database) => {
    const batch = createMessageBatch(
      'vigil-project',
      bodies.map((body, i) => ({ id: `w-${counter}-${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    await consumeWakeUps(batch, { ...env, DB: db } as ProjectorEnv);
    return getQueueResult(batch, createExecutionContext());
  };
  const projectorPosition = () => new Checkpoints(env.DB).position('projector');

  it('the detector wakes both consumers with exactly the events it appended', async () => {
    const notify = recordingQueue(env.NOTIFY);
    const project = recordingQueue(env.PROJECT);
    await deliver(scenario('carried'), { ...env, NOTIFY: notify.queue, PROJECT: project.queue } as Envish);
    const appended = await eventsOf('carried');
    expect(appended.map((e) => e.type)).toContain('IncidentDetected');
    const carried = project.bodies.flatMap((body) => WakeUp.parse(body).events ?? []);
    expect(carried).toEqual(appended);
    expect(notify.bodies).toEqual(project.bodies);
  });

  it('a projector woken with them applies them without reading them from the log again', async () => {
    await new IncidentProjection(env.DB).catchUp({ maxPages: 1000 });
    const project = recordingQueue(env.PROJECT);
    await deliver(scenario('carried-read'), { ...env, PROJECT: project.queue } as Envish);
    const appended = await eventsOf('carried-read');
    const counting = logReadCounting(env.DB);
    await wakeProjector(project.bodies, counting.db);
    expect(counting.eventsRead()).toBe(0);
    expect(await projectorPosition()).toBe(appended.at(-1)!.seq);
    await projectionEqualsRebuild();
  });

  it('events that do not follow the checkpoint are read from the log instead, and nothing is skipped', async () => {
    await new IncidentProjection(env.DB).catchUp({ maxPages: 1000 });
    // The first delivery's wake-ups are lost: the projector falls behind by its events.
    await deliver(scenario('unwoken-first'), {
      ...env,
      NOTIFY: failingQueue(),
      PROJECT: failingQueue(),
    } as Envish);
    const project = recordingQueue(env.PROJECT);
    await deliver(scenario('woken-second'), { ...env, PROJECT: project.queue } as Envish);
    const missed = await eventsOf('unwoken-first');
    const carried = await eventsOf('woken-second');
    const counting = logReadCounting(env.DB);
    await wakeProjector(project.bodies, counting.db);
    expect(counting.eventsRead()).toBe(missed.length + carried.length);
    expect(await projectorPosition()).toBe(carried.at(-1)!.seq);
    await projectionEqualsRebuild();
  });
});
