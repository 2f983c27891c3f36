import { millisOf } from '../time';

/** A month of 30 days, as in the runbook: windows then compare whatever month they fall in. */
export const monthMillis = 30 * 24 * 60 * 60 * 1000;

/**
 * How many incidents started in a window and what that is per 30-day month.
 *
 * @example
 * const frequency: Frequency = { count: 6, months: 2, perMonth: 3 };
 */
export type Frequency = { readonly count: number; readonly months: number; readonly perMonth: number };

/**
 * Incidents started in `[from, to)`, per 30-day month. Throws a RangeError for an empty window.
 *
 * @example
 * frequencyPerMonth(incidents, '2025-01-01T00:00:00Z', '2025-01-31T00:00:00Z').perMonth; // = count
 */
export function frequencyPerMonth(
  incidents: readonly { readonly startedAt: string }[],
  from: string,
  to: string,
): Frequency {
  const start = millisOf(from);
  const end = millisOf(to);
  if (end <= start) throw new RangeError(`empty window: ${from} to ${to}`);
  const count = incidents.filter((incident) => {
    const startedAt = millisOf(incident.startedAt);
    return startedAt >= start && startedAt < end;
  }).length;
  const months = (end - start) / monthMillis;
  return { count, months, perMonth: count / months };
}
