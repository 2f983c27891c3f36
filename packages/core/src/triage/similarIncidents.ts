import type { IncidentKind } from '../incident/kind';
import type { Severity } from '../severity/severity';
import { millisOf } from '../time';
import type { IncidentCategory } from './category';

/**
 * What triage needs to know about a past incident to call it similar.
 *
 * @example
 * const past: PastIncidentSummary = { id: 'INC-01JN…', service: 'checkout', kind: 'error_rate',
 *   category: 'technical', severity: 'P1', startedAt: '2025-02-01T10:00:00Z', resolvedAt: null };
 */
export type PastIncidentSummary = {
  readonly id: string;
  readonly service: string;
  readonly kind: IncidentKind;
  readonly category: IncidentCategory;
  readonly severity: Severity;
  readonly startedAt: string;
  readonly resolvedAt?: string | null;
};

/**
 * How one incident resembles another.
 *
 * @example
 * const match: SimilarIncident = { ...past, match: 'same_service_and_kind' };
 */
export type SimilarIncident = PastIncidentSummary & {
  readonly match: 'same_service_and_kind' | 'same_category';
};

/** The most similar past incidents triage reports; more would not be read during a page. */
export const similarIncidentLimit = 5;

/**
 * Past incidents like this one: same service and kind first, then same category, each
 * group most recent first, at most five. The incident itself (same id) is never its own match.
 *
 * @example
 * similarIncidents({ id: 'INC-2', service: 'checkout', kind: 'error_rate', category: 'technical' }, history);
 */
export function similarIncidents(
  incident: {
    readonly id?: string;
    readonly service: string;
    readonly kind: IncidentKind;
    readonly category: IncidentCategory;
  },
  history: readonly PastIncidentSummary[],
  limit: number = similarIncidentLimit,
): SimilarIncident[] {
  const matches: SimilarIncident[] = [];
  for (const past of history) {
    if (past.id === incident.id) continue;
    if (past.service === incident.service && past.kind === incident.kind) {
      matches.push({ ...past, match: 'same_service_and_kind' });
    } else if (past.category === incident.category) {
      matches.push({ ...past, match: 'same_category' });
    }
  }
  const rank = (match: SimilarIncident) => (match.match === 'same_service_and_kind' ? 0 : 1);
  return matches
    .sort(
      (a, b) =>
        rank(a) - rank(b) || millisOf(b.startedAt) - millisOf(a.startedAt) || a.id.localeCompare(b.id),
    )
    .slice(0, limit);
}
