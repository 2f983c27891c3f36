import { createScheduledController, env, SELF } from 'cloudflare:test';
import type { Actor, IncidentCommand, Severity } from '@vigil/core';
import { ApiKeys, IncidentProjection, IncidentStore, MetricRollups } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index';

const alice: Actor = { kind: 'human', id: 'u_alice', name: 'Alice' };
const detector: Actor = { kind: 'detector', id: 'vigil-detector' };
let readKey: string;

// November 2026: times are minutes after 2026-11-02T00:00Z, plus a day offset.
const at = (day: number, minute: number) => new Date(Date.UTC(2026, 10, 2 + day, 0, minute)).toISOString();

/** An incident with known milestones, in minutes after its start (detection 1 min after). */
async function incident(
  id: string,
  {
    service,
    severity,
    day,
    start,
    ack,
    identify,
    mitigate,
    resolve,
  }: {
    service: string;
    severity: Severity;
    day: number;
    start: number;
    ack?: number;
    identify?: number;
    mitigate?: number;
    resolve?: number;
  },
) {
  const issued = (minutes: number) => ({ incidentId: id, at: at(day, start + minutes), by: alice });
  const commands: IncidentCommand[] = [
    {
      type: 'DetectIncident',
      data: {
        incidentId: id,
        at: at(day, start + 1),
        by: detector,
        service,
        kind: 'error_rate',
        severity,
        title: `${service} errors`,
        startedAt: at(day, start),
        detectedAt: at(day, start + 1),
        impact: { usersAffected: 10, revenueImpact: 1, severity: 'high' },
      },
    },
  ];
  if (ack !== undefined) commands.push({ type: 'AcknowledgeIncident', data: issued(ack) });
  if (identify !== undefined)
    commands.push({ type: 'IdentifyRootCause', data: { ...issued(identify), rootCause: 'bad deploy' } });
  if (mitigate !== undefined) commands.push({ type: 'MarkMitigated', data: issued(mitigate) });
  if (resolve !== undefined)
    commands.push({ type: 'ResolveIncident', data: { ...issued(resolve), resolution: 'rolled back' } });
  await new IncidentStore(env.DB).execute(id, commands);
}

const get = async <T>(path: string): Promise<T> => {
  const response = await SELF.fetch(`http://projector.test${path}`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
};

type Report = {
  incidents: number;
  mttr: { count: number; mean: number; p50: number; p90: number };
  mtta: { count: number; mean: number };
  mtti: { count: number; mean: number | null };
  frequency: { count: number; perMonth: number; byMonth: { month: string; count: number }[] };
  repeats: { total: number; repeats: number; rate: number };
  compliance: Record<
    'mttrP1' | 'mttiP0' | 'mttmP0' | 'frequency' | 'repeats',
    { target: number; measured: number | null; pass: boolean | null }
  >;
};

const NOVEMBER = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';

async function cron(scheduledTime: Date) {
  await worker.scheduled(createScheduledController({ scheduledTime, cron: '*/5 * * * *' }), env);
}

beforeAll(async () => {
  readKey = (await new ApiKeys(env.DB).create({ name: 'reader', scopes: ['read'] })).key;
  // P1 checkout: resolved in 30 and 50 min (MTTR 40 min < 1 h), the second a repeat 2 days later.
  await incident('INC-M1', { service: 'checkout', severity: 'P1', day: 0, start: 60, ack: 5, resolve: 30 });
  await incident('INC-M2', { service: 'checkout', severity: 'P1', day: 2, start: 600, ack: 11, resolve: 50 });
  // P0 search: identified after 20 min (MTTI target 15 min missed), mitigated after 25 (MTTM met).
  await incident('INC-M3', {
    service: 'search',
    severity: 'P0',
    day: 5,
    start: 30,
    ack: 2,
    identify: 20,
    mitigate: 25,
    resolve: 90,
  });
  // P2 login, still open.
  await incident('INC-M4', { service: 'login', severity: 'P2', day: 9, start: 0 });
  await new IncidentProjection(env.DB).catchUp();
});

describe('GET /v1/metrics', () => {
  it('reports every duration with mean, p50, p90 and count, and compliance with the runbook targets', async () => {
    const report = await get<Report>(`/v1/metrics?${NOVEMBER}`);
    expect(report.incidents).toBe(4);
    expect(report.mttr).toEqual({ count: 3, mean: (30 + 50 + 90) * 20, p50: 50 * 60, p90: 90 * 60 });
    expect(report.mtta).toMatchObject({ count: 3, mean: ((5 - 1 + 11 - 1 + 2 - 1) / 3) * 60 });
    expect(report.frequency).toMatchObject({ count: 4, byMonth: [{ month: '2026-11', count: 4 }] });
    expect(report.repeats).toEqual({ total: 4, repeats: 1, rate: 0.25 });
    expect(report.compliance.mttrP1).toEqual({ target: 3600, unit: 'seconds', measured: 2400, pass: true });
    expect(report.compliance.mttiP0).toMatchObject({ measured: 1200, pass: false });
    expect(report.compliance.mttmP0).toMatchObject({ measured: 1500, pass: true });
    expect(report.compliance.frequency).toMatchObject({ pass: true });
    expect(report.compliance.repeats).toMatchObject({ measured: 0.25, pass: false });
  });

  it('filters by service and severity', async () => {
    const checkout = await get<Report>(`/v1/metrics?${NOVEMBER}&service=checkout`);
    expect(checkout.incidents).toBe(2);
    expect(checkout.compliance.mttiP0.pass).toBeNull();
    const p0 = await get<Report>(`/v1/metrics?${NOVEMBER}&severity=P0`);
    expect(p0.incidents).toBe(1);
    expect(p0.mttr.mean).toBe(90 * 60);
  });

  it('answers the same from rollups as from facts, and only from rollups once rolled', async () => {
    const beforeRollup = await get<Report>(`/v1/metrics?${NOVEMBER}`);
    await cron(new Date('2026-12-01T00:05:00Z'));
    const { results } = await env.DB.prepare(
      'SELECT COUNT(*) AS dirty FROM rollup_buckets WHERE generation > rolled_generation',
    ).all<{ dirty: number }>();
    expect(results[0]?.dirty).toBe(0);
    expect(await get<Report>(`/v1/metrics?${NOVEMBER}`)).toEqual(beforeRollup);
    // Proof the rollups are what answered: a tampered daily row shows through; rolling it again repairs it.
    await env.DB.prepare(
      "UPDATE metric_rollups SET incidents = incidents + 100 WHERE period = 'day' AND service = '*' AND bucket LIKE '2026-11-07%'",
    ).run();
    expect((await get<Report>(`/v1/metrics?${NOVEMBER}`)).incidents).toBe(104);
    await new MetricRollups(env.DB).rollBucket('day', '2026-11-07T00:00:00.000Z');
    expect(await get<Report>(`/v1/metrics?${NOVEMBER}`)).toEqual(beforeRollup);
  });

  it('refuses an empty window and unknown parameters with problem details', async () => {
    const empty = await SELF.fetch(
      'http://projector.test/v1/metrics?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
      {
        headers: { authorization: `Bearer ${readKey}` },
      },
    );
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toBe('application/problem+json');
    const unknown = await SELF.fetch('http://projector.test/v1/metrics?window=month', {
      headers: { authorization: `Bearer ${readKey}` },
    });
    expect(unknown.status).toBe(400);
  });
});

describe('rollups', () => {
  it('lists stored hourly and daily rows, paginated', async () => {
    await cron(new Date('2026-12-01T00:10:00Z'));
    const days = await get<{
      items: { bucket: string; service: string; severity: string; incidents: number }[];
      nextCursor: string | null;
    }>(`/v1/metrics/rollups?period=day&${NOVEMBER}&service=*`);
    expect(days.items.map((row) => [row.bucket.slice(0, 10), row.severity, row.incidents])).toEqual([
      ['2026-11-02', 'P1', 1],
      ['2026-11-04', 'P1', 1],
      ['2026-11-07', 'P0', 1],
      ['2026-11-11', 'P2', 1],
    ]);
    const first = await get<{ items: unknown[]; nextCursor: string }>(
      `/v1/metrics/rollups?period=hour&${NOVEMBER}&limit=3`,
    );
    expect(first.items).toHaveLength(3);
    const rest = await get<{ items: unknown[]; nextCursor: string | null }>(
      `/v1/metrics/rollups?period=hour&${NOVEMBER}&limit=100&cursor=${first.nextCursor}`,
    );
    expect(rest.items.length).toBe(8 - 3);
    expect(rest.nextCursor).toBeNull();
  });

  it('re-running a rollup for the same period gives the same rows', async () => {
    const rows = async () =>
      (await env.DB.prepare('SELECT * FROM metric_rollups ORDER BY period, bucket, service, severity').all())
        .results;
    const before = await rows();
    const rollups = new MetricRollups(env.DB);
    await rollups.rollBucket('day', '2026-11-07T00:00:00.000Z');
    await rollups.rollBucket('hour', '2026-11-07T00:00:00.000Z');
    expect(await rows()).toEqual(before);
  });

  it('sees a change to a rolled-up incident, before and after the next cron', async () => {
    await new IncidentStore(env.DB).execute('INC-M4', [
      {
        type: 'ResolveIncident',
        data: { incidentId: 'INC-M4', at: at(9, 240), by: alice, resolution: 'config fixed' },
      },
    ]);
    await new IncidentProjection(env.DB).catchUp();
    expect((await get<Report>(`/v1/metrics?${NOVEMBER}`)).mttr.count).toBe(4);
    await cron(new Date('2026-12-01T00:15:00Z'));
    expect((await get<Report>(`/v1/metrics?${NOVEMBER}`)).mttr.count).toBe(4);
  });
});

describe('GET /v1/metrics?service=*', () => {
  it('counts every service, rolled up or not, as no service filter does', async () => {
    const OCTOBER = 'from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z';
    // 13 October, rolled up; 15 October, projected after the rollup.
    await incident('INC-S1', { service: 'checkout', severity: 'P2', day: -20, start: 0 });
    await new IncidentProjection(env.DB).catchUp();
    await new MetricRollups(env.DB).rollDirty();
    await incident('INC-S2', { service: 'search', severity: 'P2', day: -18, start: 0 });
    await new IncidentProjection(env.DB).catchUp();
    const unfiltered = await get<Report>(`/v1/metrics?${OCTOBER}`);
    expect(unfiltered.incidents).toBe(2);
    expect(await get<Report>(`/v1/metrics?${OCTOBER}&service=*`)).toEqual(unfiltered);
  });
});

describe('detector retention', () => {
  it('the cron prunes detector rows older than DETECTOR_RETENTION_DAYS and keeps the rest', async () => {
    const now = new Date('2026-12-01T00:20:00Z');
    const minute = (daysAgo: number) =>
      new Date(now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 16);
    for (const [daysAgo, id] of [
      [8, 'old'],
      [1, 'new'],
    ] as const) {
      await env.DB.batch([
        env.DB.prepare(
          "INSERT INTO metric_buckets (service, minute, requests, errors, first_at) VALUES ('checkout', ?, 10, 0, ?)",
        ).bind(minute(daysAgo), `${minute(daysAgo)}:00Z`),
        env.DB.prepare(
          "INSERT INTO latency_buckets (service, minute, bucket, count) VALUES ('checkout', ?, 3, 10)",
        ).bind(minute(daysAgo)),
        env.DB.prepare(
          "INSERT INTO detector_verdicts (service, kind, minute, breaching, first_at) VALUES ('checkout', 'error_rate', ?, 0, ?)",
        ).bind(minute(daysAgo), `${minute(daysAgo)}:00Z`),
        env.DB.prepare('INSERT INTO folded_signals (id, folded_at) VALUES (?, ?)').bind(
          `sig_${id}`,
          `${minute(daysAgo)}:00.000Z`,
        ),
        env.DB.prepare(
          "INSERT INTO early_alert_actions (slot, action, received_at) VALUES (?, 'resolve', ?)",
        ).bind(`alert:pagerduty:${id}`, `${minute(daysAgo)}:00.000Z`),
      ]);
    }
    await cron(now);
    for (const table of ['metric_buckets', 'latency_buckets', 'detector_verdicts']) {
      const { results } = await env.DB.prepare(`SELECT minute FROM ${table}`).all<{ minute: string }>();
      expect(
        results.map((row) => row.minute),
        table,
      ).toEqual([minute(1)]);
    }
    const { results } = await env.DB.prepare('SELECT id FROM folded_signals').all<{ id: string }>();
    expect(results.map((row) => row.id)).toEqual(['sig_new']);
    const early = await env.DB.prepare('SELECT slot FROM early_alert_actions').all<{ slot: string }>();
    expect(early.results.map((row) => row.slot)).toEqual(['alert:pagerduty:new']);
  });
});
