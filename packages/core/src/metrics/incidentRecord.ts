import type { IncidentEvent } from '../incident/events';
import type { IncidentKind } from '../incident/kind';
import type { Severity } from '../severity/severity';
import { type IncidentTimes, incidentTimes } from './incidentTimes';

/**
 * One incident as the metrics see it: identity, current severity, start and times.
 *
 * @example
 * const record: IncidentRecord = { id: 'INC-1', service: 'checkout', kind: 'error_rate', severity: 'P1',
 *   startedAt: '2025-03-01T10:00:00Z', times };
 */
export type IncidentRecord = {
  readonly id: string;
  readonly service: string;
  readonly kind: IncidentKind;
  readonly severity: Severity;
  readonly startedAt: string;
  readonly times: IncidentTimes;
};

/**
 * The metrics record of one incident's events; severity is the latest, since reclassification
 * during review is how a team says what the incident really was. Null without an opening.
 *
 * @example
 * incidentRecord(events)?.severity; // 'P0' after a SeverityChanged to P0
 */
export function incidentRecord(events: readonly IncidentEvent[]): IncidentRecord | null {
  const times = incidentTimes(events);
  const opening = events.find((e) => e.type === 'IncidentDetected' || e.type === 'IncidentDeclared');
  if (!times || !opening || (opening.type !== 'IncidentDetected' && opening.type !== 'IncidentDeclared'))
    return null;
  const severity = events.reduce<Severity>(
    (current, event) => (event.type === 'SeverityChanged' ? event.data.to : current),
    opening.data.severity,
  );
  const { incidentId: id, service, kind, startedAt } = opening.data;
  return { id, service, kind, severity, startedAt, times };
}
