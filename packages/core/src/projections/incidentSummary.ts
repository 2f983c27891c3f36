import type { IncidentEvent } from '../incident/events';
import { evolve } from '../incident/evolve';
import { type IncidentState, initialIncidentState } from '../incident/state';

/** First and last time of a transition: an incident mitigated twice keeps both. */
export type Transition = { readonly first: string | null; readonly last: string | null };

/**
 * The incident list's read model: the folded state plus the first and last time of each
 * transition, so metrics never need the raw log.
 *
 * @example
 * const summary = events.reduce(projectIncidentSummary, emptyIncidentSummary);
 */
export type IncidentSummary = {
  readonly state: IncidentState;
  readonly version: number;
  readonly acknowledged: Transition;
  readonly identified: Transition;
  readonly mitigated: Transition;
  readonly resolved: Transition;
};

const never: Transition = { first: null, last: null };

export const emptyIncidentSummary: IncidentSummary = {
  state: initialIncidentState,
  version: 0,
  acknowledged: never,
  identified: never,
  mitigated: never,
  resolved: never,
};

const TRANSITIONS = {
  IncidentAcknowledged: 'acknowledged',
  RootCauseIdentified: 'identified',
  IncidentMitigated: 'mitigated',
  IncidentResolved: 'resolved',
} as const satisfies Partial<Record<IncidentEvent['type'], keyof IncidentSummary>>;

const touch = (transition: Transition, at: string): Transition => ({
  first: transition.first ?? at,
  last: at,
});

/**
 * Applies one event of the incident's stream. Events at or below the summary's version were
 * applied already, so redelivery changes nothing.
 */
export function projectIncidentSummary(
  summary: IncidentSummary,
  event: IncidentEvent & { readonly version: number },
): IncidentSummary {
  if (event.version <= summary.version) return summary;
  const next: IncidentSummary = { ...summary, state: evolve(summary.state, event), version: event.version };
  const transition = TRANSITIONS[event.type as keyof typeof TRANSITIONS];
  if (transition === undefined) return next;
  const at = (event.data as { at: string }).at;
  return { ...next, [transition]: touch(summary[transition], at) };
}
