import type { IncidentKind } from '../incident/kind';

/**
 * The runbook's incident categories.
 *
 * @example
 * const category: IncidentCategory = 'security';
 */
export type IncidentCategory = 'technical' | 'security' | 'operational';

/**
 * The category of an incident kind: metric breaches are technical, security events are
 * security, and everything else (deployments, alerts, manual declarations) is operational.
 *
 * @example
 * categoryOf('availability'); // 'technical'
 */
export function categoryOf(kind: IncidentKind): IncidentCategory {
  switch (kind) {
    case 'error_rate':
    case 'response_time':
    case 'availability':
      return 'technical';
    case 'security':
      return 'security';
    default:
      return 'operational';
  }
}
