import type { IncidentKind } from '../incident/kind';
import type { KnownRole, Role } from '../incident/roles';
import type { Severity } from '../severity/severity';

/**
 * When an escalation rule comes due. Timers count from detection, when responders could
 * first know; a backdated start would page people for time nobody could act on.
 *
 * @example
 * const condition: EscalationCondition = { kind: 'unresolvedFor', minutes: 30 };
 */
export type EscalationCondition =
  | { readonly kind: 'immediately' }
  | { readonly kind: 'unresolvedFor'; readonly minutes: number }
  | { readonly kind: 'unacknowledgedFor'; readonly minutes: number }
  | { readonly kind: 'measurementAbove'; readonly value: number };

/**
 * One escalation: whom to page, when, and why. `id` is stable, so the escalation is
 * recorded on an incident exactly once however often timers fire.
 *
 * @example
 * const rule: EscalationRule = { id: 'high-error-rate/unresolved-30m/team-lead', toRole: 'team-lead',
 *   condition: { kind: 'unresolvedFor', minutes: 30 }, reason: 'Not resolved in 30 minutes' };
 */
export type EscalationRule = {
  readonly id: string;
  readonly toRole: Role;
  readonly condition: EscalationCondition;
  readonly reason: string;
};

/**
 * A runbook as data: which incidents it covers, who owns them, the steps, the escalations.
 *
 * @example
 * const runbook = defaultRunbooks.find((r) => r.id === 'service-outage');
 */
export type Runbook = {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly ownerRole: KnownRole;
  readonly kinds: readonly IncidentKind[];
  readonly steps: readonly string[];
  readonly escalations: readonly EscalationRule[];
};
