import { belowTarget, type Compliance, metricTargets } from '../metrics/compliance';
import { monthMillis } from '../metrics/frequencyPerMonth';
import type { Summary } from '../metrics/summarize';
import { type Severity, severities } from '../severity/severity';
import {
  addToDigest,
  type DurationDigest,
  emptyDigest,
  mergeDigests,
  summarizeDigest,
} from './durationDigest';
import type { MetricFact } from './metricFact';

/** The five durations Vigil reports, named as the runbook names their means. */
export const metricNames = ['mttd', 'mtta', 'mtti', 'mttm', 'mttr'] as const;
export type MetricName = (typeof metricNames)[number];

const DURATION: Readonly<Record<MetricName, keyof MetricFact>> = {
  mttd: 'timeToDetect',
  mtta: 'timeToAcknowledge',
  mtti: 'timeToIdentify',
  mttm: 'timeToMitigate',
  mttr: 'timeToResolve',
};

/** Every service at once: the rollup row an unfiltered query reads. */
export const ALL_SERVICES = '*';

/**
 * The incidents of one period, one service (or `*` for all) and one severity, summed so that
 * rollups of many periods merge by addition.
 *
 * @example
 * const rollup: MetricRollup = { service: '*', severity: 'P1', incidents: 3, repeats: 1, digests };
 */
export type MetricRollup = {
  readonly service: string;
  readonly severity: Severity;
  readonly incidents: number;
  readonly repeats: number;
  readonly digests: Readonly<Record<MetricName, DurationDigest>>;
};

/** A metric fact with whether it repeats an earlier incident (same service and kind within 30 days). */
export type CountedFact = MetricFact & { readonly repeat: boolean };

const emptyDigests = Object.fromEntries(metricNames.map((name) => [name, emptyDigest])) as Record<
  MetricName,
  DurationDigest
>;

const blank = (service: string, severity: Severity): MetricRollup => ({
  service,
  severity,
  incidents: 0,
  repeats: 0,
  digests: emptyDigests,
});

function add(rollup: MetricRollup, fact: CountedFact): MetricRollup {
  const digests = { ...rollup.digests };
  for (const name of metricNames) {
    const value = fact[DURATION[name]];
    if (typeof value === 'number') digests[name] = addToDigest(digests[name], value);
  }
  return {
    ...rollup,
    incidents: rollup.incidents + 1,
    repeats: rollup.repeats + (fact.repeat ? 1 : 0),
    digests,
  };
}

/**
 * Rolls facts up by service and severity, plus one row per severity for all services; rows
 * come out in a stable order (service, then severity), so re-running a rollup gives the same rows.
 *
 * @example
 * rollupFacts([fact]).map((r) => r.service); // ['*', 'checkout']
 */
export function rollupFacts(facts: readonly CountedFact[]): MetricRollup[] {
  const rows = new Map<string, MetricRollup>();
  for (const fact of facts) {
    for (const service of [ALL_SERVICES, fact.service]) {
      const key = `${service}\u0000${fact.severity}`;
      rows.set(key, add(rows.get(key) ?? blank(service, fact.severity), fact));
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      (a.service < b.service ? -1 : a.service > b.service ? 1 : 0) ||
      severities.indexOf(a.severity) - severities.indexOf(b.severity),
  );
}

/** Rollups of any periods, services and severities added together. */
export function mergeRollups(rollups: readonly MetricRollup[]): Omit<MetricRollup, 'service' | 'severity'> {
  const digests = { ...emptyDigests };
  let incidents = 0;
  let repeats = 0;
  for (const rollup of rollups) {
    incidents += rollup.incidents;
    repeats += rollup.repeats;
    for (const name of metricNames) digests[name] = mergeDigests(digests[name], rollup.digests[name]);
  }
  return { incidents, repeats, digests };
}

/** A rollup with the period it covers, its bucket start (an hour or a day, ISO). */
export type PeriodRollup = MetricRollup & { readonly bucket: string };

/**
 * What `GET /v1/metrics` answers: each duration summarized, frequency per 30-day month and per
 * calendar month, the repeat rate, and compliance with the runbook's targets.
 */
export type MetricsReport = {
  readonly from: string;
  readonly to: string;
  readonly incidents: number;
} & Readonly<Record<MetricName, Summary>> & {
    readonly frequency: {
      readonly count: number;
      readonly months: number;
      readonly perMonth: number;
      readonly byMonth: readonly { readonly month: string; readonly count: number }[];
    };
    readonly repeats: { readonly total: number; readonly repeats: number; readonly rate: number | null };
    readonly compliance: Compliance;
  };

/**
 * The metrics of a window from the rollups (and rolled-up tail) of one service scope: either
 * the `*` rows or one service's rows, so that no incident is counted twice.
 *
 * @example
 * metricsReport(rollups, { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }).compliance.mttrP1;
 */
export function metricsReport(
  rollups: readonly PeriodRollup[],
  window: { readonly from: string; readonly to: string },
): MetricsReport {
  const all = mergeRollups(rollups);
  const ofSeverity = (severity: Severity) => mergeRollups(rollups.filter((r) => r.severity === severity));
  const [p0, p1] = [ofSeverity('P0'), ofSeverity('P1')];
  const months = (Date.parse(window.to) - Date.parse(window.from)) / monthMillis;
  const byMonth = new Map<string, number>();
  for (const rollup of rollups) {
    const month = rollup.bucket.slice(0, 7);
    byMonth.set(month, (byMonth.get(month) ?? 0) + rollup.incidents);
  }
  const perMonth = all.incidents / months;
  const rate = all.incidents === 0 ? null : all.repeats / all.incidents;
  const mean = (digest: DurationDigest) => summarizeDigest(digest).mean;
  return {
    from: window.from,
    to: window.to,
    incidents: all.incidents,
    mttd: summarizeDigest(all.digests.mttd),
    mtta: summarizeDigest(all.digests.mtta),
    mtti: summarizeDigest(all.digests.mtti),
    mttm: summarizeDigest(all.digests.mttm),
    mttr: summarizeDigest(all.digests.mttr),
    frequency: {
      count: all.incidents,
      months,
      perMonth,
      byMonth: [...byMonth.entries()]
        .filter(([, count]) => count > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([month, count]) => ({ month, count })),
    },
    repeats: { total: all.incidents, repeats: all.repeats, rate },
    compliance: {
      mttrP1: belowTarget(metricTargets.mttrP1Seconds, 'seconds', mean(p1.digests.mttr)),
      mttiP0: belowTarget(metricTargets.mttiP0Seconds, 'seconds', mean(p0.digests.mtti)),
      mttmP0: belowTarget(metricTargets.mttmP0Seconds, 'seconds', mean(p0.digests.mttm)),
      frequency: belowTarget(metricTargets.incidentsPerMonth, 'incidents per month', perMonth),
      repeats: belowTarget(metricTargets.repeatRatio, 'ratio', rate),
    },
  };
}
