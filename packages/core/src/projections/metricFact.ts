import type { IncidentKind } from '../incident/kind';
import type { Severity } from '../severity/severity';
import { secondsBetween } from '../time';
import type { IncidentSummary } from './incidentSummary';

/**
 * One incident as the metrics read model keeps it: what it is, when it started, and how long
 * each milestone took in seconds (null until reached). Durations use first times, as
 * `incidentTimes` does; acknowledgement counts from detection, the others from the start.
 *
 * @example
 * metricFactOf(summary)?.timeToResolve; // 2700
 */
export type MetricFact = {
  readonly incidentId: string;
  readonly service: string;
  readonly kind: IncidentKind;
  readonly severity: Severity;
  readonly startedAt: string;
  readonly timeToDetect: number;
  readonly timeToAcknowledge: number | null;
  readonly timeToIdentify: number | null;
  readonly timeToMitigate: number | null;
  readonly timeToResolve: number | null;
};

/**
 * The metric fact of an incident summary; null before the incident opened. Severity is the
 * current one, since reclassification is how a team says what the incident really was.
 *
 * @example
 * const fact = metricFactOf(events.reduce(projectIncidentSummary, emptyIncidentSummary));
 */
export function metricFactOf(summary: IncidentSummary): MetricFact | null {
  const { state } = summary;
  if (state.status === 'none') return null;
  const since = (from: string, at: string | null) => (at === null ? null : secondsBetween(from, at));
  return {
    incidentId: state.id,
    service: state.service,
    kind: state.kind,
    severity: state.severity,
    startedAt: state.startedAt,
    timeToDetect: secondsBetween(state.startedAt, state.detectedAt),
    timeToAcknowledge: since(state.detectedAt, summary.acknowledged.first),
    timeToIdentify: since(state.startedAt, summary.identified.first),
    timeToMitigate: since(state.startedAt, summary.mitigated.first),
    timeToResolve: since(state.startedAt, summary.resolved.first),
  };
}
