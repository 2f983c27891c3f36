import { quantileMs, total } from '@vigil/contracts';
import {
  type Actor,
  type Breach,
  earlierOf,
  estimateImpact,
  evaluateBreaches,
  type IncidentCommand,
  type IncidentState,
  type MetricKind,
  metricSlot,
  newIncidentId,
  type Severity,
  type SuspectDeployment,
  severityScore,
  triage,
  type WindowMetrics,
} from '@vigil/core';
import {
  addMinutes,
  type IncidentStore,
  type MetricWindows,
  pastIncidents,
  sumBuckets,
  type WindowTotals,
} from '@vigil/db';
import type { DetectionSettings } from './settings';

export const detectorActor: Actor = { kind: 'detector', id: 'vigil-detector', name: 'Vigil detector' };
const METRIC_KINDS: MetricKind[] = ['error_rate', 'response_time', 'availability'];

const KIND_TITLES: Record<MetricKind, (breach: Breach) => string> = {
  error_rate: (b) =>
    `Error rate ${(b.value * 100).toFixed(1)}% (threshold ${(b.threshold * 100).toFixed(1)}%)`,
  response_time: (b) => `p95 response time ${Math.round(b.value)} ms (threshold ${b.threshold} ms)`,
  availability: (b) => `Availability ${b.value.toFixed(2)}% (threshold ${b.threshold}%)`,
};

const KIND_WORSENED: Record<MetricKind, (value: number) => string> = {
  error_rate: (value) => `Error rate worsened to ${(value * 100).toFixed(1)}%`,
  response_time: (value) => `p95 response time worsened to ${Math.round(value)} ms`,
  availability: (value) => `Availability fell to ${value.toFixed(2)}%`,
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

/** An open incident of one slot, as far as this evaluation knows it. */
type OpenIncident = { incidentId: string; state: IncidentState };

/**
 * Evaluates the given minutes of one service in order, records a verdict per rule kind and
 * minute, and turns verdict streaks into incident commands. Every decision is a function of
 * the stored verdicts and the incident's state, so evaluating a minute twice changes nothing.
 * The reads and writes are set-based per service — a batch spanning an hour of minutes costs
 * a handful of statements, not a handful per minute. What it appends, `context.incidents`
 * keeps (`appended`).
 */
export async function detectForService(
  context: DetectionContext,
  service: string,
  minutes: string[],
  settings: DetectionSettings,
): Promise<void> {
  const affected = [...new Set(minutes)].sort();
  const first = affected[0];
  const last = affected.at(-1);
  if (first === undefined || last === undefined) return;
  const buckets = await context.windows.bucketsBetween(
    service,
    addMinutes(first, -(settings.windowMinutes - 1)),
    last,
  );

  const verdicts: (Verdict & { kind: MetricKind })[] = [];
  for (const minute of affected) {
    const window = Array.from({ length: settings.windowMinutes }, (_, i) =>
      buckets.get(addMinutes(minute, -i)),
    ).filter((bucket) => bucket !== undefined);
    const metrics = windowMetrics(sumBuckets(window), settings.minRequests);
    const breaches = evaluateBreaches(metrics, settings.thresholds);
    const firstAt = buckets.get(minute)?.firstAt ?? `${minute}:00.000Z`;
    for (const kind of METRIC_KINDS) {
      const value = metricValue(metrics, kind);
      if (value === undefined) continue;
      const breach = breaches.find((b) => b.kind === kind);
      verdicts.push({
        kind,
        minute,
        breaching: breach !== undefined,
        severity: breach?.severity ?? null,
        value,
        threshold: breach?.threshold ?? null,
        firstAt,
      });
    }
  }
  if (verdicts.length === 0) return;
  await context.db
    .prepare(
      `INSERT INTO detector_verdicts (service, kind, minute, breaching, severity, value, threshold, first_at)
       SELECT ?1, v.value ->> 'kind', v.value ->> 'minute', v.value ->> 'breaching', v.value ->> 'severity',
         v.value ->> 'value', v.value ->> 'threshold', v.value ->> 'firstAt'
       FROM json_each(?2) AS v WHERE true
       ON CONFLICT (service, kind, minute) DO UPDATE SET breaching = excluded.breaching, severity = excluded.severity,
         value = excluded.value, threshold = excluded.threshold, first_at = excluded.first_at`,
    )
    .bind(service, JSON.stringify(verdicts.map((v) => ({ ...v, breaching: v.breaching ? 1 : 0 }))))
    .run();

  const needed = Math.max(settings.openAfter, settings.recoverAfter);
  for (const kind of METRIC_KINDS) {
    const judged = verdicts.filter((verdict) => verdict.kind === kind).map((verdict) => verdict.minute);
    if (judged.length === 0) continue;
    // The verdicts this walk needs: every judged minute and the streak before the first one.
    const history = (
      await recentVerdicts(context.db, service, kind, last, judged.length + needed + affected.length)
    ).reverse();
    const slot = metricSlot(service, kind);
    let open: OpenIncident | undefined = await context.incidents.openIn(slot);
    for (const minute of judged) {
      const upTo = history
        .filter((verdict) => verdict.minute <= minute)
        .reverse()
        .slice(0, needed);
      open = await decide(context, service, kind, minute, upTo, open, settings, slot);
    }
  }
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

/**
 * The decision at one minute, from the verdicts up to it (newest first) and the open incident:
 * open one, change its severity, report a relapse, mark it mitigated, or resolve it.
 */
async function decide(
  context: DetectionContext,
  service: string,
  kind: MetricKind,
  minute: string,
  verdicts: Verdict[],
  open: OpenIncident | undefined,
  settings: DetectionSettings,
  slot: string,
): Promise<OpenIncident | undefined> {
  const breachStreak = leading(verdicts, true);
  const healthyStreak = leading(verdicts, false);
  const issued = { at: context.now().toISOString(), by: detectorActor };
  const run = async (incidentId: string, commands: IncidentCommand[]) => {
    const { state } = await context.incidents.execute(incidentId, commands, { source: 'detector' });
    return state.status === 'resolved' || state.status === 'none' ? undefined : { incidentId, state };
  };

  if (breachStreak >= settings.openAfter) {
    const streak = verdicts.slice(0, breachStreak);
    const latest = streak[0]!;
    if (!open) {
      const severity = worst(streak.map((verdict) => verdict.severity ?? 'P3'));
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
        data: {
          incidentId,
          ...issued,
          to: latestSeverity,
          reason: latest.value === null ? `${kind} worsened` : KIND_WORSENED[kind](latest.value),
          ...(latest.value !== null && {
            measurement: { value: latest.value, threshold: latest.threshold ?? 0 },
          }),
        },
      });
    }
    return commands.length === 0 ? open : run(incidentId, commands);
  }

  // A person who reopened an incident owns its recovery: healthy minutes do not mitigate or
  // resolve it again (new breaches still join it, above).
  const reopened = open !== undefined && open.state.status !== 'none' && open.state.reopenCount > 0;
  if (open && !reopened && healthyStreak >= settings.recoverAfter) {
    const { incidentId, state } = open;
    if (state.status !== 'mitigated' && state.status !== 'none' && state.status !== 'resolved') {
      return run(incidentId, [{ type: 'MarkMitigated', data: { incidentId, ...issued } }]);
    }
    if (state.status === 'mitigated' && settings.autoResolveMinutes > 0 && state.mitigation) {
      const quietFor = (Date.parse(`${minute}:59.999Z`) - Date.parse(state.mitigation.at)) / 60_000;
      if (quietFor >= settings.autoResolveMinutes) {
        return run(incidentId, [
          {
            type: 'ResolveIncident',
            data: {
              incidentId,
              ...issued,
              resolution: `${kind} stayed within threshold for ${settings.autoResolveMinutes} minutes after mitigation.`,
            },
          },
        ]);
      }
    }
  }
  return open;
}

async function openIncident(
  context: DetectionContext,
  service: string,
  kind: MetricKind,
  streak: Verdict[],
  severity: Severity,
  settings: DetectionSettings,
  slot: string,
): Promise<OpenIncident> {
  // The value, title and impact are those of the minute that set the severity, not of a milder
  // later one: a P0 reads as the measurement that made it P0 (and pages as one, e.g. p95 above 5 s).
  const peak = streak.find((verdict) => (verdict.severity ?? 'P3') === severity) ?? streak[0]!;
  const first = streak.at(-1)!;
  const now = context.now();
  const at = now.toISOString();
  const incidentId = newIncidentId(now, context.random);
  const value = peak.value ?? 0;
  const threshold = peak.threshold ?? 0;
  const impact = estimateImpact(kind, value);
  const breach: Breach = { kind, severity, value, threshold, impact };
  const suspectDeployment = await suspectFor(context, service, first, settings.deploySuspectMinutes);
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
        // A sample stamped ahead of our clock must not make the incident start after its detection.
        startedAt: earlierOf(first.firstAt, at),
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
  return { incidentId, state: result.state };
}

/**
 * The deploy of `service` within `minutes` before the first breaching minute's first sample, or
 * during that minute (a snapshot is stamped with the start of the window it counts, so a deploy
 * half-way through the minute precedes the errors it caused), with the version before it.
 */
async function suspectFor(
  context: DetectionContext,
  service: string,
  firstBreach: Verdict,
  minutes: number,
): Promise<SuspectDeployment | null> {
  if (minutes <= 0) return null;
  const [latest, previous] = await context.windows.deploymentsBefore(
    service,
    `${firstBreach.minute}:59.999Z`,
  );
  if (!latest || Date.parse(firstBreach.firstAt) - Date.parse(latest.at) > minutes * 60_000) return null;
  return {
    service,
    version: latest.version,
    previousVersion: previous?.version ?? 'the previous version',
    deployedAt: latest.at,
  };
}
