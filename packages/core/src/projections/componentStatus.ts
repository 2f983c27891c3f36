import type { IncidentKind } from '../incident/kind';
import type { Severity } from '../severity/severity';

/**
 * How a service looks on the status page, in Statuspage's vocabulary, best first.
 *
 * @example
 * const status: ComponentStatus = 'partial_outage';
 */
export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';

/** Every component status, best first: the index is how bad it is. */
export const componentStatuses: readonly ComponentStatus[] = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
];

/** What a person reads for each component status. */
export const componentStatusLabels: Readonly<Record<ComponentStatus, string>> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

/**
 * The effect an unmitigated incident has on its service, from the runbook's severity
 * definitions: P0 is "service completely down or severely degraded" (major outage); P1 is a
 * "partial service outage" unless it is only slowness ("significant performance degradation");
 * P2 is "slow response times, reduced quality" (degraded performance); P3 is cosmetic, so the
 * component stays operational while the incident is still listed.
 *
 * @example
 * componentStatusOf('P1', 'response_time'); // 'degraded_performance'
 */
export function componentStatusOf(severity: Severity, kind: IncidentKind): ComponentStatus {
  switch (severity) {
    case 'P0':
      return 'major_outage';
    case 'P1':
      return kind === 'response_time' ? 'degraded_performance' : 'partial_outage';
    case 'P2':
      return 'degraded_performance';
    case 'P3':
      return 'operational';
  }
}

/**
 * The worst of some statuses; operational when there are none.
 *
 * @example
 * worstComponentStatus(['degraded_performance', 'major_outage']); // 'major_outage'
 */
export function worstComponentStatus(statuses: readonly ComponentStatus[]): ComponentStatus {
  return statuses.reduce<ComponentStatus>(
    (worst, status) =>
      componentStatuses.indexOf(status) > componentStatuses.indexOf(worst) ? status : worst,
    'operational',
  );
}

/**
 * The page-wide indicator of Statuspage's summary: none, minor, major or critical.
 *
 * @example
 * statusIndicator('partial_outage'); // { indicator: 'major', description: 'Partial System Outage' }
 */
export function statusIndicator(worst: ComponentStatus): {
  readonly indicator: 'none' | 'minor' | 'major' | 'critical';
  readonly description: string;
} {
  switch (worst) {
    case 'operational':
      return { indicator: 'none', description: 'All Systems Operational' };
    case 'degraded_performance':
      return { indicator: 'minor', description: 'Minor Service Outage' };
    case 'partial_outage':
      return { indicator: 'major', description: 'Partial System Outage' };
    case 'major_outage':
      return { indicator: 'critical', description: 'Major System Outage' };
  }
}
