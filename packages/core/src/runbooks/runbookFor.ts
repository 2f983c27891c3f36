import type { IncidentKind } from '../incident/kind';
import { type Severity, severityScore } from '../severity/severity';
import { defaultRunbooks } from './defaultRunbooks';
import type { Runbook } from './runbook';

/**
 * The runbook for an incident: one that covers its kind, preferring the runbook whose
 * severity is closest to the incident's; undefined when no runbook covers the kind.
 *
 * @example
 * runbookFor('error_rate', 'P1')?.title; // 'High Error Rate'
 */
export function runbookFor(
  kind: IncidentKind,
  severity: Severity,
  runbooks: readonly Runbook[] = defaultRunbooks,
): Runbook | undefined {
  const distance = (runbook: Runbook) => Math.abs(severityScore[runbook.severity] - severityScore[severity]);
  return runbooks
    .filter((runbook) => runbook.kinds.includes(kind))
    .reduce<Runbook | undefined>(
      (best, runbook) => (!best || distance(runbook) < distance(best) ? runbook : best),
      undefined,
    );
}
