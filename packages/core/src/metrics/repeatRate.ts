import type { IncidentKind } from '../incident/kind';
import { millisOf } from '../time';

/** How far back an earlier incident makes a new one a repeat. */
export const repeatWindowMillis = 30 * 24 * 60 * 60 * 1000;

/**
 * How many incidents repeated an earlier one, and which.
 *
 * @example
 * const repeats: RepeatRate = { total: 10, repeats: 1, rate: 0.1, repeatIds: ['INC-9'] };
 */
export type RepeatRate = {
  readonly total: number;
  readonly repeats: number;
  readonly rate: number | null;
  readonly repeatIds: readonly string[];
};

type Occurrence = {
  readonly id: string;
  readonly service: string;
  readonly kind: IncidentKind;
  readonly startedAt: string;
};

/**
 * The share of incidents that are repeats: an incident is a repeat when an incident of the
 * same service and kind started strictly earlier and at most 30 days earlier. With a window,
 * only incidents started in `[from, to)` are counted, but earlier ones still make them repeats.
 * `rate` is null when no incident is counted.
 *
 * @example
 * repeatRate([{ id: 'a', service: 's', kind: 'error_rate', startedAt: '2025-03-01T00:00:00Z' },
 *   { id: 'b', service: 's', kind: 'error_rate', startedAt: '2025-03-10T00:00:00Z' }]).rate; // 0.5
 */
export function repeatRate(
  incidents: readonly Occurrence[],
  window?: { readonly from: string; readonly to: string },
): RepeatRate {
  const starts = new Map<string, number[]>();
  for (const incident of incidents) {
    const key = `${incident.service}\u0000${incident.kind}`;
    starts.set(key, [...(starts.get(key) ?? []), millisOf(incident.startedAt)]);
  }
  const inWindow = (startedAt: number) =>
    !window || (startedAt >= millisOf(window.from) && startedAt < millisOf(window.to));
  const counted = incidents.filter((incident) => inWindow(millisOf(incident.startedAt)));
  const repeatIds = counted
    .filter((incident) => {
      const startedAt = millisOf(incident.startedAt);
      const earlier = starts.get(`${incident.service}\u0000${incident.kind}`) ?? [];
      return earlier.some((other) => other < startedAt && startedAt - other <= repeatWindowMillis);
    })
    .map((incident) => incident.id);
  return {
    total: counted.length,
    repeats: repeatIds.length,
    rate: counted.length === 0 ? null : repeatIds.length / counted.length,
    repeatIds,
  };
}
