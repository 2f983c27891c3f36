/**
 * Incident severity from the runbook: P0 critical, P1 high, P2 medium, P3 low.
 *
 * @example
 * const worst: Severity = 'P0';
 */
export type Severity = 'P0' | 'P1' | 'P2' | 'P3';

/**
 * Every severity, most severe first.
 *
 * @example
 * severities.indexOf('P1'); // 1
 */
export const severities: readonly Severity[] = ['P0', 'P1', 'P2', 'P3'];

/**
 * The runbook's severity score used in triage priority: P0 1 … P3 4 (lower is more urgent).
 *
 * @example
 * severityScore.P1; // 2
 */
export const severityScore: Readonly<Record<Severity, number>> = { P0: 1, P1: 2, P2: 3, P3: 4 };
