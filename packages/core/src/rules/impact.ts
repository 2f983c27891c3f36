import type { IncidentKind } from '../incident/kind';

/**
 * How bad an incident is for the business, used with severity to compute triage priority.
 *
 * @example
 * const impact: ImpactSeverity = 'critical';
 */
export type ImpactSeverity = 'critical' | 'high' | 'medium' | 'low';

/**
 * The runbook's business-impact estimate: share of users affected (percent), revenue
 * impact (the runbook's relative units) and an impact severity.
 *
 * @example
 * const impact: ImpactEstimate = { usersAffected: 60, revenueImpact: 6, severity: 'high' };
 */
export type ImpactEstimate = {
  readonly usersAffected: number;
  readonly revenueImpact: number;
  readonly severity: ImpactSeverity;
};

/**
 * Estimates business impact from a breaching value with the runbook's models:
 * error rate (ratio) `users = min(100, rate × 1000)`, `revenue = rate × 100`, critical above 0.1;
 * p95 (ms) `users = min(80, ms / 50)`, `revenue = ms / 100`, critical above 5000;
 * availability (%) `users = revenue = (100 − a) × 10`, critical below 99.
 * Kinds without a model report no measured impact and count as `low`, so that priority
 * still orders them behind incidents whose impact was measured. Figures are rounded to two
 * decimals: they go into events and pages, where 7.000000000000001 % helps nobody.
 *
 * @example
 * estimateImpact('error_rate', 0.12); // { usersAffected: 100, revenueImpact: 12, severity: 'critical' }
 */
export function estimateImpact(kind: IncidentKind, value: number): ImpactEstimate {
  const model = modelled(kind, value);
  return { ...model, usersAffected: round2(model.usersAffected), revenueImpact: round2(model.revenueImpact) };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function modelled(kind: IncidentKind, value: number): ImpactEstimate {
  switch (kind) {
    case 'error_rate':
      return {
        usersAffected: Math.min(100, value * 1000),
        revenueImpact: value * 100,
        severity: value > 0.1 ? 'critical' : 'high',
      };
    case 'response_time':
      return {
        usersAffected: Math.min(80, value / 50),
        revenueImpact: value / 100,
        severity: value > 5000 ? 'critical' : 'high',
      };
    case 'availability':
      return {
        usersAffected: (100 - value) * 10,
        revenueImpact: (100 - value) * 10,
        severity: value < 99 ? 'critical' : 'high',
      };
    default:
      return { usersAffected: 0, revenueImpact: 0, severity: 'low' };
  }
}
