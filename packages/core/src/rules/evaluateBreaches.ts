import type { MetricKind } from '../incident/kind';
import type { Severity } from '../severity/severity';
import { estimateImpact, type ImpactEstimate } from './impact';
import { severityFor } from './severityLadders';
import type { DetectionThresholds } from './thresholds';

/**
 * One window of a service's metrics. A metric with no samples in the window is left
 * out rather than reported as zero, so that a quiet service never looks unavailable.
 *
 * @example
 * const window: WindowMetrics = { errorRate: 0.07, responseTimeP95: 850, availability: 99.95 };
 */
export type WindowMetrics = {
  readonly errorRate?: number;
  readonly responseTimeP95?: number;
  readonly availability?: number;
};

/**
 * A metric past its threshold, with the severity its ladder gives and the estimated impact.
 *
 * @example
 * const breach: Breach = { kind: 'error_rate', severity: 'P1', value: 0.07, threshold: 0.05,
 *   impact: { usersAffected: 70, revenueImpact: 7, severity: 'high' } };
 */
export type Breach = {
  readonly kind: MetricKind;
  readonly severity: Severity;
  readonly value: number;
  readonly threshold: number;
  readonly impact: ImpactEstimate;
};

/**
 * The breaches in a metric window: error rate and p95 strictly above their thresholds,
 * availability strictly below, in that order.
 *
 * @example
 * evaluateBreaches({ errorRate: 0.07 }, defaultThresholds);
 * // [{ kind: 'error_rate', severity: 'P1', value: 0.07, threshold: 0.05, impact: … }]
 */
export function evaluateBreaches(window: WindowMetrics, thresholds: DetectionThresholds): Breach[] {
  const breaches: Breach[] = [];
  const breach = (kind: MetricKind, value: number, threshold: number) =>
    breaches.push({
      kind,
      severity: severityFor(kind, value),
      value,
      threshold,
      impact: estimateImpact(kind, value),
    });

  if (window.errorRate !== undefined && window.errorRate > thresholds.errorRate) {
    breach('error_rate', window.errorRate, thresholds.errorRate);
  }
  if (window.responseTimeP95 !== undefined && window.responseTimeP95 > thresholds.responseTimeP95) {
    breach('response_time', window.responseTimeP95, thresholds.responseTimeP95);
  }
  if (window.availability !== undefined && window.availability < thresholds.availability) {
    breach('availability', window.availability, thresholds.availability);
  }
  return breaches;
}
