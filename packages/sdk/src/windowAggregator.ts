import { type LatencyHistogram, type MetricsSignal, record } from '@vigil/contracts';

/** One finished request, as the aggregator counts it. */
export interface RequestSample {
  service: string;
  /** Undefined counts the request for the service as a whole. */
  routeGroup: string | undefined;
  /** When the request finished (epoch ms): it is counted in the window holding this time. */
  finishedAtMs: number;
  latencyMs: number;
  /** A 5xx answer or a thrown error. */
  failed: boolean;
}

interface Series {
  service: string;
  routeGroup: string | undefined;
  requests: number;
  errors: number;
  histogram: LatencyHistogram;
}

/** The route group that absorbs every group past `maxRouteGroups` in one window. */
export const OVERFLOW_ROUTE_GROUP = 'other';

/**
 * Counts requests into fixed windows aligned to the epoch (a 60 s window starts on the minute,
 * so snapshots from every isolate land in the detector's minute buckets) and turns each
 * closed window into one metrics snapshot per service and route group.
 *
 * Only one window is open at a time: a request that finishes after the open window ends
 * closes it. A request that finishes before the open window's start (a clock stepping back)
 * is counted in the open window rather than reopening a closed one.
 *
 * @example
 * const windows = new WindowAggregator({ windowSeconds: 60, maxRouteGroups: 100 });
 * const closed = windows.record({ service: 'checkout', routeGroup: 'api', finishedAtMs: Date.now(), latencyMs: 12, failed: false });
 */
export class WindowAggregator {
  readonly windowSeconds: number;
  readonly #windowMs: number;
  readonly #maxRouteGroups: number;
  #windowStartMs: number | null = null;
  #series = new Map<string, Series>();

  constructor({ windowSeconds, maxRouteGroups }: { windowSeconds: number; maxRouteGroups: number }) {
    this.windowSeconds = windowSeconds;
    this.#windowMs = windowSeconds * 1000;
    this.#maxRouteGroups = maxRouteGroups;
  }

  /** Counts a request; returns the snapshots of the window it closed, if any. */
  record(sample: RequestSample): MetricsSignal[] {
    const closed = this.closeDue(sample.finishedAtMs);
    this.#windowStartMs ??= this.#windowStartFor(sample.finishedAtMs);
    const series = this.#seriesFor(sample.service, sample.routeGroup);
    series.requests += 1;
    if (sample.failed) series.errors += 1;
    record(series.histogram, Math.max(0, sample.latencyMs));
    return closed;
  }

  /** Closes the open window if it ended at or before `nowMs`; returns its snapshots. */
  closeDue(nowMs: number): MetricsSignal[] {
    if (this.#windowStartMs === null || nowMs < this.#windowStartMs + this.#windowMs) return [];
    const at = new Date(this.#windowStartMs).toISOString();
    const snapshots = [...this.#series.values()].map((series) => this.#snapshot(series, at));
    this.#windowStartMs = null;
    this.#series.clear();
    return snapshots;
  }

  /** Series counted in the open window. */
  get openSeries(): number {
    return this.#series.size;
  }

  #windowStartFor(atMs: number): number {
    return Math.floor(atMs / this.#windowMs) * this.#windowMs;
  }

  #seriesFor(service: string, routeGroup: string | undefined): Series {
    const key = seriesKey(service, routeGroup);
    const existing = this.#series.get(key);
    if (existing) return existing;
    const overflows =
      routeGroup !== undefined &&
      routeGroup !== OVERFLOW_ROUTE_GROUP &&
      this.#namedGroupsOf(service) >= this.#maxRouteGroups;
    if (overflows) {
      return this.#seriesFor(service, OVERFLOW_ROUTE_GROUP);
    }
    const created: Series = { service, routeGroup, requests: 0, errors: 0, histogram: [] };
    this.#series.set(key, created);
    return created;
  }

  #namedGroupsOf(service: string): number {
    let groups = 0;
    for (const { service: owner, routeGroup } of this.#series.values()) {
      if (owner === service && routeGroup !== undefined && routeGroup !== OVERFLOW_ROUTE_GROUP) groups += 1;
    }
    return groups;
  }

  #snapshot(series: Series, at: string): MetricsSignal {
    return {
      type: 'metrics',
      service: series.service,
      at,
      windowSeconds: this.windowSeconds,
      requests: series.requests,
      errors: series.errors,
      latencyMs: { histogram: series.histogram },
      ...(series.routeGroup === undefined ? {} : { routeGroup: series.routeGroup }),
    };
  }
}

function seriesKey(service: string, routeGroup: string | undefined): string {
  return JSON.stringify([service, routeGroup ?? null]);
}
