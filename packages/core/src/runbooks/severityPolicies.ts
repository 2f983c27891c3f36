import type { KnownRole } from '../incident/roles';
import type { Severity } from '../severity/severity';
import type { EscalationRule } from './runbook';

/**
 * What a severity promises: how fast someone responds, and whom to escalate to.
 *
 * @example
 * severityPolicies.P1.responseTargetMinutes; // 30
 */
export type SeverityPolicy = {
  readonly severity: Severity;
  readonly responseTargetMinutes: number;
  readonly escalateTo: readonly KnownRole[];
  readonly escalation: EscalationRule['condition'];
};

/**
 * The runbook's severity definitions. P0 escalates immediately (to CEO and VP Engineering);
 * the others name whom to escalate to, which Vigil does when the response-time target is
 * missed without an acknowledgement, so that a P3 does not page the team lead on arrival.
 *
 * @example
 * severityPolicies.P0.escalateTo; // ['ceo', 'vp-engineering']
 */
export const severityPolicies: Readonly<Record<Severity, SeverityPolicy>> = {
  P0: {
    severity: 'P0',
    responseTargetMinutes: 15,
    escalateTo: ['ceo', 'vp-engineering'],
    escalation: { kind: 'immediately' },
  },
  P1: {
    severity: 'P1',
    responseTargetMinutes: 30,
    escalateTo: ['vp-engineering', 'team-lead'],
    escalation: { kind: 'unacknowledgedFor', minutes: 30 },
  },
  P2: {
    severity: 'P2',
    responseTargetMinutes: 60,
    escalateTo: ['team-lead', 'senior-engineer'],
    escalation: { kind: 'unacknowledgedFor', minutes: 60 },
  },
  P3: {
    severity: 'P3',
    responseTargetMinutes: 240,
    escalateTo: ['team-lead'],
    escalation: { kind: 'unacknowledgedFor', minutes: 240 },
  },
};

/**
 * The escalation rules a severity policy amounts to, one per role.
 *
 * @example
 * severityEscalationRules('P0').map((r) => r.id); // ['severity-P0/ceo', 'severity-P0/vp-engineering']
 */
export function severityEscalationRules(severity: Severity, policies = severityPolicies): EscalationRule[] {
  const policy = policies[severity];
  const reason =
    policy.escalation.kind === 'immediately'
      ? `${severity}: escalate immediately`
      : `${severity}: not acknowledged within ${policy.responseTargetMinutes} minutes`;
  return policy.escalateTo.map((toRole) => ({
    id: `severity-${severity}/${toRole}`,
    toRole,
    condition: policy.escalation,
    reason,
  }));
}
