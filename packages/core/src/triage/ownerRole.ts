import type { KnownRole } from '../incident/roles';
import type { Severity } from '../severity/severity';

const ownerBySeverity: Readonly<Record<Severity, KnownRole>> = {
  P0: 'team-lead',
  P1: 'senior-engineer',
  P2: 'engineer',
  P3: 'junior-engineer',
};

/**
 * The role that owns an incident of a severity, per the runbook's assignment rules.
 *
 * @example
 * ownerRoleFor('P0'); // 'team-lead'
 */
export function ownerRoleFor(severity: Severity): KnownRole {
  return ownerBySeverity[severity];
}
