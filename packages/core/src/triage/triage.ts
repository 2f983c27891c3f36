import type { IncidentKind } from '../incident/kind';
import type { KnownRole } from '../incident/roles';
import type { ImpactEstimate } from '../rules/impact';
import type { Severity } from '../severity/severity';
import { categoryOf, type IncidentCategory } from './category';
import { type ExpectedResolution, expectedResolutionFor } from './expectedResolution';
import { ownerRoleFor } from './ownerRole';
import { priorityOf } from './priority';
import { recommendedActions } from './recommendedActions';
import { type PastIncidentSummary, type SimilarIncident, similarIncidents } from './similarIncidents';

/**
 * A deployment that went out shortly before the incident and may have caused it.
 *
 * @example
 * const suspect: SuspectDeployment = { service: 'checkout', version: 'v42', previousVersion: 'v41',
 *   deployedAt: '2025-03-01T09:55:00Z' };
 */
export type SuspectDeployment = {
  readonly service: string;
  readonly version: string;
  readonly previousVersion: string;
  readonly deployedAt: string;
};

/**
 * Everything triage looks at: the incident, the incident history and, when the caller
 * found one, a suspect deployment.
 *
 * @example
 * const input: TriageInput = { incident: { id: 'INC-1', service: 'checkout', kind: 'error_rate',
 *   severity: 'P1', impact }, history: [] };
 */
export type TriageInput = {
  readonly incident: {
    readonly id?: string;
    readonly service: string;
    readonly kind: IncidentKind;
    readonly severity: Severity;
    readonly impact: ImpactEstimate;
  };
  readonly history: readonly PastIncidentSummary[];
  readonly suspectDeployment?: SuspectDeployment | null;
};

/**
 * The result of triage, recorded on the incident by the `TriageIncident` command.
 *
 * @example
 * triage(input).ownerRole; // 'senior-engineer'
 */
export type Triage = {
  readonly category: IncidentCategory;
  readonly severity: Severity;
  readonly impactSeverity: ImpactEstimate['severity'];
  readonly priority: number;
  readonly ownerRole: KnownRole;
  readonly expectedResolution: ExpectedResolution;
  readonly actions: readonly string[];
  readonly similarIncidents: readonly SimilarIncident[];
  readonly suspectDeployment: SuspectDeployment | null;
};

/**
 * Triages an incident by the runbook's rules: category by kind, priority = severity score ×
 * impact score, owner role and expected resolution by severity, recommended actions by kind
 * (a suspect deployment puts "Roll back <service> to <previousVersion>" first), and up to
 * five similar past incidents.
 *
 * @example
 * triage({ incident: { service: 'checkout', kind: 'error_rate', severity: 'P1',
 *   impact: { usersAffected: 70, revenueImpact: 7, severity: 'high' } }, history: [] }).priority; // 4
 */
export function triage(input: TriageInput): Triage {
  const { incident, history } = input;
  const suspect = input.suspectDeployment ?? null;
  const category = categoryOf(incident.kind);
  const actions = recommendedActions(incident.kind);
  return {
    category,
    severity: incident.severity,
    impactSeverity: incident.impact.severity,
    priority: priorityOf(incident.severity, incident.impact.severity),
    ownerRole: ownerRoleFor(incident.severity),
    expectedResolution: expectedResolutionFor(incident.severity),
    actions: suspect ? [`Roll back ${suspect.service} to ${suspect.previousVersion}`, ...actions] : actions,
    similarIncidents: similarIncidents({ ...incident, category }, history),
    suspectDeployment: suspect,
  };
}

/**
 * The triage after a severity change: priority, owner role and expected resolution follow the
 * new severity, as the runbook assigns them; the rest is what triage found.
 *
 * @example
 * reclassified(triage(input), 'P0').ownerRole; // 'team-lead'
 */
export function reclassified(triage: Triage, severity: Severity): Triage {
  return {
    ...triage,
    severity,
    priority: priorityOf(severity, triage.impactSeverity),
    ownerRole: ownerRoleFor(severity),
    expectedResolution: expectedResolutionFor(severity),
  };
}
