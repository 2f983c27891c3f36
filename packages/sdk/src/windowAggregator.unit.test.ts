import { bucketFor, type LatencyHistogram, MetricsSignal, quantileMs, record } from '@vigil/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OVERFLOW_ROUTE_GROUP, type RequestSample, WindowAggregator } from './windowAggregator';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-29T10:00:00.000Z');

const sampleArb = (windowStartMs: number, windowMs: number) =>
  fc.record({
    service: fc.constant('checkout'),
    routeGroup: fc.constantFrom('api', 'static', 'admin', undefined),
    finishedAtMs: fc.integer({ min: windowStartMs, max: windowStartMs + windowMs - 1 }),
    latencyMs: fc.double({ min: 0, max: 120_000, noNaN: true }),
    failed: fc.boolean(),
  });

/** Closes whatever window is open by recording nothing: a clock far in the future. */
function closeAll(windows: WindowAggregator): MetricsSignal[] {
  return windows.closeDue(Number.MAX_SAFE_INTEGER);
}

function histogramOf(latencies: number[]): LatencyHistogram {
  const histogram: LatencyHistogram = [];
  for (const latency of latencies) record(histogram, latency);
  return histogram;
}

describe('SDK aggregation arithmetic', () => {
  it('counts every request of a window once, per route group, errors and latencies included', () => {
    fc.assert(
      fc.property(fc.array(sampleArb(T0, MINUTE), { minLength: 1, maxLength: 300 }), (samples) => {
        const windows = new WindowAggregator({ windowSeconds: 60, maxRouteGroups: 100 });
        for (const sample of samples) expect(windows.record(sample)).toEqual([]);
        const snapshots = closeAll(windows);

        const groups = new Set(samples.map((sample) => sample.routeGroup));
        expect(snapshots).toHaveLength(groups.size);
        for (const snapshot of snapshots) {
          const mine = samples.filter((sample) => sample.routeGroup === snapshot.routeGroup);
          expect(snapshot).toMatchObject({
            type: 'metrics',
            service: 'checkout',
            at: '2026-11-29T10:00:00.000Z',
            windowSeconds: 60,
            requests: mine.length,
            errors: mine.filter((sample) => sample.failed).length,
            latencyMs: { histogram: histogramOf(mine.map((sample) => sample.latencyMs)) },
          });
          expect('routeGroup' in snapshot).toBe(snapshot.routeGroup !== undefined);
          expect(MetricsSignal.safeParse(snapshot).success).toBe(true);
        }
      }),
    );
  });

  it('gives the detector the same p95 from the per-group histograms as from every latency at once', () => {
    fc.assert(
      fc.property(fc.array(sampleArb(T0, MINUTE), { minLength: 1, maxLength: 300 }), (samples) => {
        const windows = new WindowAggregator({ windowSeconds: 60, maxRouteGroups: 100 });
        for (const sample of samples) windows.record(sample);
        const merged: LatencyHistogram = [];
        for (const snapshot of closeAll(windows)) {
          const { histogram } = snapshot.latencyMs as { histogram: LatencyHistogram };
          histogram.forEach((count, index) => {
            merged[index] = (merged[index] ?? 0) + count;
          });
        }
        const all = histogramOf(samples.map((sample) => sample.latencyMs));
        expect(quantileMs(merged, 0.95)).toBe(quantileMs(all, 0.95));
        const sorted = samples.map((sample) => sample.latencyMs).sort((a, b) => a - b);
        const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
        // Within the histogram's range (up to 65,536 ms) the reported p95 is an upper bound.
        if (p95 <= 65_536) expect(quantileMs(merged, 0.95)).toBeGreaterThanOrEqual(p95);
      }),
    );
  });

  it('splits a stream across epoch-aligned windows, each closed by the first request after it', () => {
    const streamArb = fc
      .array(fc.record({ gapMs: fc.integer({ min: 0, max: 25_000 }), failed: fc.boolean() }), {
        minLength: 1,
        maxLength: 200,
      })
      .map((steps) => {
        let at = T0 + 17_000;
        return steps.map(({ gapMs, failed }) => {
          at += gapMs;
          return { service: 'search', routeGroup: undefined, finishedAtMs: at, latencyMs: 5, failed };
        });
      });
    fc.assert(
      fc.property(streamArb, fc.constantFrom(1, 10, 60), (samples: RequestSample[], windowSeconds) => {
        const windowMs = windowSeconds * 1000;
        const windows = new WindowAggregator({ windowSeconds, maxRouteGroups: 100 });
        const emitted: MetricsSignal[] = [];
        for (const sample of samples) {
          const closed = windows.record(sample);
          for (const snapshot of closed) {
            // A window is handed over only once the clock has left it.
            expect(Date.parse(snapshot.at) + windowMs).toBeLessThanOrEqual(sample.finishedAtMs);
          }
          emitted.push(...closed);
        }
        emitted.push(...closeAll(windows));

        const expected = new Map<number, { requests: number; errors: number }>();
        for (const sample of samples) {
          const start = Math.floor(sample.finishedAtMs / windowMs) * windowMs;
          const counts = expected.get(start) ?? { requests: 0, errors: 0 };
          counts.requests += 1;
          if (sample.failed) counts.errors += 1;
          expected.set(start, counts);
        }
        expect(
          emitted.map((snapshot) => [Date.parse(snapshot.at), snapshot.requests, snapshot.errors]),
        ).toEqual([...expected].map(([start, counts]) => [start, counts.requests, counts.errors]));
        for (const snapshot of emitted) expect(Date.parse(snapshot.at) % windowMs).toBe(0);
      }),
    );
  });

  it('closes the open window at its end, not a millisecond before, and only once', () => {
    const windows = new WindowAggregator({ windowSeconds: 60, maxRouteGroups: 100 });
    expect(windows.closeDue(T0)).toEqual([]);
    windows.record({
      service: 'checkout',
      routeGroup: 'api',
      finishedAtMs: T0 + 59_000,
      latencyMs: 3,
      failed: true,
    });
    expect(windows.closeDue(T0 + MINUTE - 1)).toEqual([]);
    expect(windows.openSeries).toBe(1);
    const closed = windows.closeDue(T0 + MINUTE);
    expect(closed).toEqual([
      {
        type: 'metrics',
        service: 'checkout',
        at: '2026-11-29T10:00:00.000Z',
        windowSeconds: 60,
        requests: 1,
        errors: 1,
        latencyMs: { histogram: [0, 0, 0, 0, 1] },
        routeGroup: 'api',
      },
    ]);
    expect(windows.closeDue(T0 + 2 * MINUTE)).toEqual([]);
    expect(windows.openSeries).toBe(0);
  });

  it('counts a request whose clock stepped back into the open window', () => {
    const windows = new WindowAggregator({ windowSeconds: 60, maxRouteGroups: 100 });
    windows.record({
      service: 'checkout',
      routeGroup: undefined,
      finishedAtMs: T0 + MINUTE,
      latencyMs: 1,
      failed: false,
    });
    expect(
      windows.record({
        service: 'checkout',
        routeGroup: undefined,
        finishedAtMs: T0 + 5,
        latencyMs: -3,
        failed: false,
      }),
    ).toEqual([]);
    const [snapshot] = closeAll(windows);
    expect(snapshot).toMatchObject({
      at: '2026-11-29T10:01:00.000Z',
      requests: 2,
      latencyMs: { histogram: [2] },
    });
  });

  it(`counts route groups past the limit under "${OVERFLOW_ROUTE_GROUP}", and keeps the counted ones`, () => {
    const windows = new WindowAggregator({ windowSeconds: 60, maxRouteGroups: 3 });
    const hit = (routeGroup: string, failed = false) =>
      windows.record({ service: 'checkout', routeGroup, finishedAtMs: T0, latencyMs: 10, failed });
    for (const group of ['a', 'b', 'c', 'd', 'e', 'a', 'e', OVERFLOW_ROUTE_GROUP]) hit(group, group === 'e');
    const byGroup = Object.fromEntries(closeAll(windows).map((s) => [s.routeGroup, [s.requests, s.errors]]));
    expect(byGroup).toEqual({ a: [2, 0], b: [1, 0], c: [1, 0], [OVERFLOW_ROUTE_GROUP]: [4, 2] });
  });

  it('keeps services apart when one aggregator counts several', () => {
    const windows = new WindowAggregator({ windowSeconds: 60, maxRouteGroups: 1 });
    windows.record({ service: 'checkout', routeGroup: 'api', finishedAtMs: T0, latencyMs: 1, failed: false });
    windows.record({ service: 'search', routeGroup: 'api', finishedAtMs: T0, latencyMs: 1, failed: true });
    const snapshots = closeAll(windows).map((s) => [s.service, s.routeGroup, s.requests, s.errors]);
    expect(snapshots).toEqual([
      ['checkout', 'api', 1, 0],
      ['search', 'api', 1, 1],
    ]);
  });

  it('puts a latency in the fixed bucket every sender uses', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 200_000, noNaN: true }), (latencyMs) => {
        const windows = new WindowAggregator({ windowSeconds: 60, maxRouteGroups: 100 });
        windows.record({
          service: 'checkout',
          routeGroup: undefined,
          finishedAtMs: T0,
          latencyMs,
          failed: false,
        });
        const { histogram } = closeAll(windows)[0]!.latencyMs as { histogram: LatencyHistogram };
        expect(histogram).toHaveLength(bucketFor(latencyMs) + 1);
        expect(histogram[bucketFor(latencyMs)]).toBe(1);
      }),
    );
  });
});
