import type { IncidentEvent } from '../incident/events';
import { secondsBetween } from '../time';

/**
 * The first and the last time a transition happened. An incident mitigated, relapsed and
 * mitigated again has both; one that happened once has `first === last`.
 *
 * @example
 * const mitigated: FirstLast = { first: '2025-03-01T10:20:00Z', last: '2025-03-01T11:05:00Z' };
 */
export type FirstLast = { readonly first: string; readonly last: string };

/**
 * When an incident's milestones happened and how long each took, in seconds.
 * Durations use first times: they measure how fast people first got there; a relapse or a
 * reopen shows in the last times and in the repeat rate instead of stretching the duration.
 * `timeToAcknowledge` counts from detection (what responders could see); the others count
 * from the start (what users felt).
 *
 * @example
 * incidentTimes(events)?.durations.timeToResolve; // 2700
 */
export type IncidentTimes = {
  readonly started: string;
  readonly detected: string;
  readonly acknowledged: FirstLast | null;
  readonly identified: FirstLast | null;
  readonly mitigated: FirstLast | null;
  readonly resolved: FirstLast | null;
  readonly durations: {
    readonly timeToDetect: number;
    readonly timeToAcknowledge: number | null;
    readonly timeToIdentify: number | null;
    readonly timeToMitigate: number | null;
    readonly timeToResolve: number | null;
  };
};

/**
 * Milestone times and durations of one incident from its events (in stream order);
 * null when the events hold no opening.
 *
 * @example
 * incidentTimes([detected, acknowledged, resolved])?.durations.timeToAcknowledge; // 240
 */
export function incidentTimes(events: readonly IncidentEvent[]): IncidentTimes | null {
  let opening: { startedAt: string; detectedAt: string } | null = null;
  const seen: Record<'acknowledged' | 'identified' | 'mitigated' | 'resolved', string[]> = {
    acknowledged: [],
    identified: [],
    mitigated: [],
    resolved: [],
  };
  for (const event of events) {
    switch (event.type) {
      case 'IncidentDetected':
      case 'IncidentDeclared':
        opening = event.data;
        break;
      case 'IncidentAcknowledged':
        seen.acknowledged.push(event.data.at);
        break;
      case 'RootCauseIdentified':
        seen.identified.push(event.data.at);
        break;
      case 'IncidentMitigated':
        seen.mitigated.push(event.data.at);
        break;
      case 'IncidentResolved':
        seen.resolved.push(event.data.at);
        break;
    }
  }
  if (!opening) return null;
  const { startedAt, detectedAt } = opening;
  const firstLast = (times: string[]): FirstLast | null => {
    const [first] = times;
    const last = times.at(-1);
    return first !== undefined && last !== undefined ? { first, last } : null;
  };
  const since = (from: string, times: FirstLast | null) => (times ? secondsBetween(from, times.first) : null);
  const acknowledged = firstLast(seen.acknowledged);
  const identified = firstLast(seen.identified);
  const mitigated = firstLast(seen.mitigated);
  const resolved = firstLast(seen.resolved);
  return {
    started: startedAt,
    detected: detectedAt,
    acknowledged,
    identified,
    mitigated,
    resolved,
    durations: {
      timeToDetect: secondsBetween(startedAt, detectedAt),
      timeToAcknowledge: since(detectedAt, acknowledged),
      timeToIdentify: since(startedAt, identified),
      timeToMitigate: since(startedAt, mitigated),
      timeToResolve: since(startedAt, resolved),
    },
  };
}
