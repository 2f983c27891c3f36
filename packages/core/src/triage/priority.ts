import type { ImpactSeverity } from '../rules/impact';
import { type Severity, severityScore } from '../severity/severity';

const impactScore: Readonly<Record<ImpactSeverity, number>> = { critical: 1, high: 2, medium: 3, low: 4 };

/**
 * Triage priority: severity score (P0 1 … P3 4) times impact score (critical 1 … low 4).
 * Lower is more urgent: 1 is a critical P0, 16 a low-impact P3.
 *
 * @example
 * priorityOf('P1', 'high'); // 4
 */
export function priorityOf(severity: Severity, impact: ImpactSeverity): number {
  return severityScore[severity] * impactScore[impact];
}
