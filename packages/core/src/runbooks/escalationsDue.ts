import type { IncidentState, OpenIncident } from '../incident/state';
import { severityScore } from '../severity/severity';
import { millisOf } from '../time';
import type { EscalationCondition, EscalationRule, Runbook } from './runbook';
import { runbookFor } from './runbookFor';
import { severityEscalationRules, severityPolicies } from './severityPolicies';

/**
 * Escalation rules whose condition holds now and that the incident has not recorded yet.
 * Applies the severity policy of the incident's current severity and the escalations of its
 * runbook, the latter only when the incident is at least as severe as the runbook (a P3 error
 * rate does not page a VP). Resolved and absent incidents have nothing due.
 *
 * @example
 * escalationsDue(state, defaultRunbooks, '2025-03-01T10:31:00Z').map((r) => r.toRole); // ['team-lead']
 */
export function escalationsDue(
  incident: IncidentState,
  runbooks: readonly Runbook[],
  now: string,
  policies = severityPolicies,
): EscalationRule[] {
  if (incident.status === 'none' || incident.status === 'resolved') return [];
  const runbook = runbookFor(incident.kind, incident.severity, runbooks);
  const runbookRules =
    runbook && severityScore[incident.severity] <= severityScore[runbook.severity] ? runbook.escalations : [];
  const recorded = new Set(incident.escalations.map((e) => `${e.ruleId}|${e.toRole}`));
  return [...severityEscalationRules(incident.severity, policies), ...runbookRules].filter(
    (rule) => !recorded.has(`${rule.id}|${rule.toRole}`) && holds(rule.condition, incident, now),
  );
}

function holds(condition: EscalationCondition, incident: OpenIncident, now: string): boolean {
  const minutesOpen = (millisOf(now) - millisOf(incident.detectedAt)) / 60_000;
  switch (condition.kind) {
    case 'immediately':
      return true;
    case 'unresolvedFor':
      return minutesOpen >= condition.minutes;
    case 'unacknowledgedFor':
      return incident.acknowledgement === null && minutesOpen >= condition.minutes;
    case 'measurementAbove':
      return incident.measurement !== null && incident.measurement.value > condition.value;
    default: {
      const unhandled: never = condition;
      throw new TypeError(`unknown escalation condition: ${JSON.stringify(unhandled)}`);
    }
  }
}
