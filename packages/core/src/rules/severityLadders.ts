import type { MetricKind } from '../incident/kind';
import type { Severity } from '../severity/severity';

/**
 * A severity ladder: the value past which a metric is P0, P1 or P2 (else P3), and
 * whether "past" means above (error rate, latency) or below (availability).
 *
 * @example
 * const ladder: SeverityLadder = { direction: 'above', P0: 0.1, P1: 0.05, P2: 0.02 };
 */
export type SeverityLadder = {
  readonly direction: 'above' | 'below';
  readonly P0: number;
  readonly P1: number;
  readonly P2: number;
};

/**
 * The runbook's ladders: error rate 0.02 / 0.05 / 0.10, p95 1000 / 2000 / 5000 ms,
 * availability 99.9 / 99.5 / 99 % (P2 / P1 / P0, else P3).
 *
 * @example
 * severityLadders.response_time.P0; // 5000
 */
export const severityLadders: Readonly<Record<MetricKind, SeverityLadder>> = {
  error_rate: { direction: 'above', P0: 0.1, P1: 0.05, P2: 0.02 },
  response_time: { direction: 'above', P0: 5000, P1: 2000, P2: 1000 },
  availability: { direction: 'below', P0: 99, P1: 99.5, P2: 99.9 },
};

/**
 * The severity of a measured value. Comparisons are strict, as in the runbook: an error
 * rate of exactly 0.05 is P2, not P1.
 *
 * @example
 * severityFor('availability', 99.2); // 'P1'
 */
export function severityFor(kind: MetricKind, value: number, ladder = severityLadders[kind]): Severity {
  const past = (limit: number) => (ladder.direction === 'above' ? value > limit : value < limit);
  if (past(ladder.P0)) return 'P0';
  if (past(ladder.P1)) return 'P1';
  if (past(ladder.P2)) return 'P2';
  return 'P3';
}
