import type { Severity } from '../severity/severity';
import { millisOf } from '../time';
import { frequencyPerMonth } from './frequencyPerMonth';
import type { IncidentRecord } from './incidentRecord';
import type { IncidentTimes } from './incidentTimes';
import { repeatRate } from './repeatRate';
import { summarize } from './summarize';

/**
 * One target from the runbook, what was measured and whether it passed. `pass` is null
 * when nothing was measured: no P0 this month is not a P0 target met.
 *
 * @example
 * const check: ComplianceCheck = { target: 3600, unit: 'seconds', measured: 2400, pass: true };
 */
export type ComplianceCheck = {
  readonly target: number;
  readonly unit: 'seconds' | 'incidents per month' | 'ratio';
  readonly measured: number | null;
  readonly pass: boolean | null;
};

/**
 * Compliance with every runbook target over a window.
 *
 * @example
 * compliance({ incidents, from, to }).mttrP1.pass; // true
 */
export type Compliance = {
  readonly mttrP1: ComplianceCheck;
  readonly mttiP0: ComplianceCheck;
  readonly mttmP0: ComplianceCheck;
  readonly frequency: ComplianceCheck;
  readonly repeats: ComplianceCheck;
};

/**
 * The runbook's targets, each a strict upper bound: MTTR < 1 h for P1, MTTI < 15 min and
 * MTTM < 30 min for P0, fewer than 5 incidents a month, repeats under 10 %.
 *
 * @example
 * metricTargets.mttiP0Seconds; // 900
 */
export const metricTargets = {
  mttrP1Seconds: 3600,
  mttiP0Seconds: 900,
  mttmP0Seconds: 1800,
  incidentsPerMonth: 5,
  repeatRatio: 0.1,
} as const;

/**
 * Checks the incidents started in `[from, to)` against the runbook targets. Means are over
 * the incidents that reached the milestone, by their current severity; earlier incidents
 * passed in still count when deciding whether one in the window is a repeat.
 *
 * @example
 * compliance({ incidents: records, from: '2025-03-01T00:00:00Z', to: '2025-03-31T00:00:00Z' }).repeats;
 */
/**
 * A target met when the measured value is below it; no measurement passes nor fails.
 *
 * @example
 * belowTarget(3600, 'seconds', 2400); // { target: 3600, unit: 'seconds', measured: 2400, pass: true }
 */
export function belowTarget(
  target: number,
  unit: ComplianceCheck['unit'],
  measured: number | null,
): ComplianceCheck {
  return { target, unit, measured, pass: measured === null ? null : measured < target };
}

export function compliance(input: {
  readonly incidents: readonly IncidentRecord[];
  readonly from: string;
  readonly to: string;
}): Compliance {
  const { incidents, from, to } = input;
  const frequency = frequencyPerMonth(incidents, from, to);
  const [start, end] = [millisOf(from), millisOf(to)];
  const inWindow = incidents.filter((i) => millisOf(i.startedAt) >= start && millisOf(i.startedAt) < end);
  const meanOf = (severity: Severity, duration: keyof IncidentTimes['durations']) =>
    summarize(
      inWindow
        .filter((i) => i.severity === severity)
        .flatMap((i) => {
          const value = i.times.durations[duration];
          return value === null ? [] : [value];
        }),
    ).mean;
  return {
    mttrP1: belowTarget(metricTargets.mttrP1Seconds, 'seconds', meanOf('P1', 'timeToResolve')),
    mttiP0: belowTarget(metricTargets.mttiP0Seconds, 'seconds', meanOf('P0', 'timeToIdentify')),
    mttmP0: belowTarget(metricTargets.mttmP0Seconds, 'seconds', meanOf('P0', 'timeToMitigate')),
    frequency: belowTarget(metricTargets.incidentsPerMonth, 'incidents per month', frequency.perMonth),
    repeats: belowTarget(metricTargets.repeatRatio, 'ratio', repeatRate(incidents, { from, to }).rate),
  };
}
