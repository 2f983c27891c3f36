import { quantileMs, total } from '@vigil/contracts';
import {
  type Actor,
  type Breach,
  estimateImpact,
  evaluateBreaches,
  type IncidentCommand,
  type MetricKind,
  newIncidentId,
  type PastIncidentSummary,
  type Severity,
  type SuspectDeployment,
  severityScore,
  triage,
  type WindowMetrics,
} from '@vigil/core';
import type { IncidentStore, MetricWindows, WindowTotals } from '@vigil/db';
import type { DetectionSettings } from './settings';

export const detectorActor: Actor = { kind: 'detector', id: 'vigil-detector', name: 'Vigil detector' };
const METRIC_KINDS: MetricKind[] = ['error_rate', 'response_time', 'availability'];

const KIND_TITLES: Record<MetricKind, (breach: Breach) => string> = {
  error_rate: (b) =>
    `Error rate ${(b.value * 100).toFixed(1)}% (threshold ${(b.threshold * 100).toFixed(1)}%)`,
  response_time: (b) => `p95 response time ${Math.round(b.value)} ms (threshold ${b.threshold} ms)`,
  availability: (b) => `Availability ${b.value.toFixed(2)}% (threshold ${b.threshold}%)`,
};

/**
 * What a window says about a service. Error rate and p95 need `minRequests` requests;
 * p95 comes from the merged histogram when senders sent histograms, else from the largest
 * p95 a snapshot reported; availability is the mean of the reported samples.
 */
export function windowMetrics(totals: WindowTotals, minRequests: number): WindowMetrics {
  const enoughTraffic = totals.requests > 0 && totals.requests >= minRequests;
  const histogramP95 = total(totals.histogram) > 0 ? quantileMs(totals.histogram, 0.95) : null;
  const p95 =
    histogramP95 === null
      ? totals.p95Max
      : totals.p95Max === null
        ? histogramP95
        : Math.max(histogramP95, totals.p95Max);
  return {
    ...(enoughTraffic && { errorRate: totals.errors / totals.requests }),
    ...(enoughTraffic && p95 !== null && { responseTimeP95: p95 }),
    ...(totals.availability !== null && { availability: totals.availability }),
  };
}

interface Verdict {
  minute: string;
  breaching: boolean;
  severity: Severity | null;
  value: number | null;
  threshold: number | null;
  firstAt: string;
}

export interface DetectionContext {
  db: D1Database;
  incidents: IncidentStore;
  windows: MetricWindows;
  now: () => Date;
  random: () => number;
}

/** The slot that holds the one open incident of a service and rule kind. */
export const metricSlot = (service: string, kind: string) => `metric:${service}:${kind}`;

/**
 * Evaluates the given minutes of one service in order, records a verdict per rule kind and
 * minute, and turns verdict streaks into incident commands. Every decision is a function of
 * the stored verdicts and the incident's state, so evaluating a minute twice changes nothing.
 * Returns the highest global sequence number appended (0 if none).
 */
export async function detectForService(
  context: DetectionContext,
  service: string,
  minutes: string[],
  settings: DetectionSettings,
): Promise<number> {
  let head = 0;
  for (const minute of [...new Set(minutes)].sort()) {
    const totals = await context.windows.totals(service, minute, settings.windowMinutes);
    const metrics = windowMetrics(totals, settings.minRequests);
    const breaches = evaluateBreaches(metrics, settings.thresholds);
    const firstAt = (await context.windows.firstSampleAt(service, minute)) ?? `${minute}:00.000Z`;
    const judged = METRIC_KINDS.filter((kind) => metricValue(metrics, kind) !== undefined);
    if (judged.length === 0) continue;
    await context.db.batch(
      judged.map((kind) => {
        const breach = breaches.find((b) => b.kind === kind);
        return context.db
          .prepare(
            `INSERT INTO detector_verdicts (service, kind, minute, breaching, severity, value, threshold, first_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (service, kind, minute) DO UPDATE SET breaching = excluded.breaching, severity = excluded.severity,
               value = excluded.value, threshold = excluded.threshold, first_at = excluded.first_at`,
          )
          .bind(
            service,
            kind,
            minute,
            breach ? 1 : 0,
            breach?.severity ?? null,
            metricValue(metrics, kind) ?? null,
            breach?.threshold ?? null,
            firstAt,
          );
      }),
    );
    for (const kind of judged) {
      head = Math.max(head, await decide(context, service, kind, minute, settings));
    }
  }
  return head;
}

function metricValue(metrics: WindowMetrics, kind: MetricKind): number | undefined {
  switch (kind) {
    case 'error_rate':
      return metrics.errorRate;
    case 'response_time':
      return metrics.responseTimeP95;
    case 'availability':
      return metrics.availability;
  }
}

async function recentVerdicts(db: D1Database, service: string, kind: string, minute: string, count: number) {
  const { results } = await db
    .prepare(
      `SELECT minute, breaching, severity, value, threshold, first_at FROM detector_verdicts
       WHERE service = ? AND kind = ? AND minute <= ? ORDER BY minute DESC LIMIT ?`,
    )
    .bind(service, kind, minute, count)
    .all<{
      minute: string;
      breaching: number;
      severity: Severity | null;
      value: number | null;
      threshold: number | null;
      first_at: string;
    }>();
  return results.map(
    (row): Verdict => ({
      minute: row.minute,
      breaching: row.breaching === 1,
      severity: row.severity,
      value: row.value,
      threshold: row.threshold,
      firstAt: row.first_at,
    }),
  );
}

const leading = (verdicts: Verdict[], breaching: boolean) => {
  const index = verdicts.findIndex((verdict) => verdict.breaching !== breaching);
  return index === -1 ? verdicts.length : index;
};

const worst = (severities: Severity[]) =>
  severities.reduce((a, b) => (severityScore[b] < severityScore[a] ? b : a), 'P3' as Severity);

async function decide(
  context: DetectionContext,
  service: string,
  kind: MetricKind,
  minute: string,
  settings: DetectionSettings,
): Promise<number> {
  const needed = Math.max(settings.openAfter, settings.recoverAfter);
  const verdicts = await recentVerdicts(context.db, service, kind, minute, needed);
  const breachStreak = leading(verdicts, true);
  const healthyStreak = leading(verdicts, false);
  const slot = metricSlot(service, kind);
  const open = await context.incidents.openIn(slot);
  const at = context.now().toISOString();
  const issued = { at, by: detectorActor };

  if (breachStreak >= settings.openAfter) {
    const streak = verdicts.slice(0, breachStreak);
    const latest = streak[0]!;
    const severity = worst(streak.map((verdict) => verdict.severity ?? 'P3'));
    if (!open) {
      return openIncident(context, service, kind, streak, severity, settings, slot);
    }
    const commands: IncidentCommand[] = [];
    const incidentId = open.incidentId;
    if (open.state.status === 'mitigated') {
      commands.push({
        type: 'ReportRelapse',
        data: { incidentId, ...issued, reason: `${kind} breached again at ${latest.minute}` },
      });
    }
    const current = open.state.status === 'none' ? 'P3' : open.state.severity;
    const latestSeverity = latest.severity ?? 'P3';
    if (severityScore[latestSeverity] < severityScore[current]) {
      commands.push({
        type: 'ChangeSeverity',
        data: { incidentId, ...issued, to: latestSeverity, reason: `${kind} worsened to ${latest.value}` },
      });
    }
    if (commands.length === 0) return 0;
    const result = await context.incidents.execute(incidentId, commands, { source: 'detector' });
    return result.events.at(-1)?.seq ?? 0;
  }

  if (open && healthyStreak >= settings.recoverAfter) {
    const incidentId = open.incidentId;
    const state = open.state;
    if (state.status !== 'mitigated' && state.status !== 'none' && state.status !== 'resolved') {
      const result = await context.incidents.execute(
        incidentId,
        [{ type: 'MarkMitigated', data: { incidentId, ...issued } }],
        {
          source: 'detector',
        },
      );
      return result.events.at(-1)?.seq ?? 0;
    }
    if (state.status === 'mitigated' && settings.autoResolveMinutes > 0 && state.mitigation) {
      const quietFor = (Date.parse(`${minute}:59.999Z`) - Date.parse(state.mitigation.at)) / 60_000;
      if (quietFor >= settings.autoResolveMinutes) {
        const result = await context.incidents.execute(
          incidentId,
          [
            {
              type: 'ResolveIncident',
              data: {
                incidentId,
                ...issued,
                resolution: `${kind} stayed within threshold for ${settings.autoResolveMinutes} minutes after mitigation.`,
              },
            },
          ],
          { source: 'detector' },
        );
        return result.events.at(-1)?.seq ?? 0;
      }
    }
  }
  return 0;
}

async function openIncident(
  context: DetectionContext,
  service: string,
  kind: MetricKind,
  streak: Verdict[],
  severity: Severity,
  settings: DetectionSettings,
  slot: string,
): Promise<number> {
  const latest = streak[0]!;
  const first = streak.at(-1)!;
  const now = context.now();
  const at = now.toISOString();
  const incidentId = newIncidentId(now, context.random);
  const value = latest.value ?? 0;
  const threshold = latest.threshold ?? 0;
  const impact = estimateImpact(kind, value);
  const breach: Breach = { kind, severity, value, threshold, impact };
  const suspectDeployment = await suspectFor(context, service, first.firstAt, settings.deploySuspectMinutes);
  const history = await pastIncidents(context.db, service);
  const commands: IncidentCommand[] = [
    {
      type: 'DetectIncident',
      data: {
        incidentId,
        at,
        by: detectorActor,
        service,
        kind,
        severity,
        title: `${service}: ${KIND_TITLES[kind](breach)}`,
        startedAt: first.firstAt,
        detectedAt: at,
        impact,
        measurement: { value, threshold },
        source: 'detector',
      },
    },
    {
      type: 'TriageIncident',
      data: {
        incidentId,
        at,
        by: detectorActor,
        triage: triage({
          incident: { id: incidentId, service, kind, severity, impact },
          history,
          suspectDeployment,
        }),
      },
    },
  ];
  const result = await context.incidents.execute(incidentId, commands, {
    openSlot: slot,
    source: 'detector',
  });
  return result.events.at(-1)?.seq ?? 0;
}

/** The deploy of `service` within `minutes` before `startedAt`, with the version before it. */
async function suspectFor(
  context: DetectionContext,
  service: string,
  startedAt: string,
  minutes: number,
): Promise<SuspectDeployment | null> {
  if (minutes <= 0) return null;
  const [latest, previous] = await context.windows.deploymentsBefore(service, startedAt);
  if (!latest || Date.parse(startedAt) - Date.parse(latest.at) > minutes * 60_000) return null;
  return {
    service,
    version: latest.version,
    previousVersion: previous?.version ?? 'the previous version',
    deployedAt: latest.at,
  };
}

/** Recent incidents from the projector's read model, for "similar past incidents". */
async function pastIncidents(db: D1Database, service: string): Promise<PastIncidentSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT id, service, kind, category, severity, started_at, resolved_at FROM incidents
       WHERE service = ? OR id IN (SELECT id FROM incidents ORDER BY started_at DESC LIMIT 50)
       ORDER BY started_at DESC LIMIT 100`,
    )
    .bind(service)
    .all<{
      id: string;
      service: string;
      kind: string;
      category: PastIncidentSummary['category'] | null;
      severity: Severity;
      started_at: string;
      resolved_at: string | null;
    }>();
  return results.map((row) => ({
    id: row.id,
    service: row.service,
    kind: row.kind,
    category: row.category ?? 'technical',
    severity: row.severity,
    startedAt: row.started_at,
    resolvedAt: row.resolved_at,
  }));
}
